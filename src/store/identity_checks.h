#pragma once

// Argument checks and error messages shared by every IdentityRepo implementation, so the SQLite
// tables and the in-memory fake refuse the same input with the same codes (identity_repo.h).
// Pure functions; thread-safe.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/identity_repo.h"

namespace vigil::store {

// kInvalidArgument "<context>: empty <what>" if `value` is empty.
Status CheckNotEmpty(std::string_view value, std::string_view what, std::string_view context);

// kInvalidArgument for an empty id or user name.
Status CheckUser(const UserRecord& user, std::string_view context);

// kInvalidArgument for an empty user id or an empty code hash.
Status CheckRecoveryCodes(std::string_view user_id,
                          std::span<const std::vector<std::uint8_t>> code_hashes,
                          std::string_view context);

// The token as it is stored: scopes sorted. kInvalidArgument for an empty id, user id or token
// hash, or a scope name that is empty or contains a space.
Result<TokenRecord> CheckedToken(const TokenRecord& token, std::string_view context);

// kAlreadyExists "<context>: <what> already exists".
tl::unexpected<Error> AlreadyExists(std::string_view context, std::string_view what);

// kNotFound errors naming what was asked for.
tl::unexpected<Error> UserNotFound(std::string_view id);
tl::unexpected<Error> UserNameNotFound(std::string_view username);
tl::unexpected<Error> TokenNotFound(std::string_view id);
tl::unexpected<Error> TokenHashNotFound();
tl::unexpected<Error> RecoveryCodeNotFound(std::string_view user_id);

}  // namespace vigil::store
