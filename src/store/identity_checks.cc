#include "store/identity_checks.h"

#include <algorithm>
#include <utility>

namespace vigil::store {

Status CheckNotEmpty(std::string_view value, std::string_view what, std::string_view context) {
  if (value.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string(context) + ": empty " + std::string(what));
  }
  return OkStatus();
}

Status CheckUser(const UserRecord& user, std::string_view context) {
  VIGIL_RETURN_IF_ERROR(CheckNotEmpty(user.id, "user id", context));
  return CheckNotEmpty(user.username, "user name", context);
}

Status CheckRecoveryCodes(std::string_view user_id,
                          std::span<const std::vector<std::uint8_t>> code_hashes,
                          std::string_view context) {
  VIGIL_RETURN_IF_ERROR(CheckNotEmpty(user_id, "user id", context));
  for (const auto& hash : code_hashes) {
    if (hash.empty()) {
      return MakeError(ErrorCode::kInvalidArgument, std::string(context) + ": empty code hash");
    }
  }
  return OkStatus();
}

Result<TokenRecord> CheckedToken(const TokenRecord& token, std::string_view context) {
  VIGIL_RETURN_IF_ERROR(CheckNotEmpty(token.id, "token id", context));
  VIGIL_RETURN_IF_ERROR(CheckNotEmpty(token.user_id, "user id", context));
  if (token.token_hash.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, std::string(context) + ": empty token hash");
  }
  // Stores keep scopes as one space-separated string, so a name must not be empty or hold a
  // space for the list to read back as it was written.
  for (const std::string& scope : token.scopes) {
    if (scope.empty() || scope.find(' ') != std::string::npos) {
      return MakeError(ErrorCode::kInvalidArgument,
                       std::string(context) + ": scope '" + scope + "' is empty or has a space");
    }
  }
  TokenRecord checked = token;
  std::sort(checked.scopes.begin(), checked.scopes.end());
  return checked;
}

tl::unexpected<Error> AlreadyExists(std::string_view context, std::string_view what) {
  return MakeError(ErrorCode::kAlreadyExists,
                   std::string(context) + ": " + std::string(what) + " already exists");
}

tl::unexpected<Error> UserNotFound(std::string_view id) {
  return MakeError(ErrorCode::kNotFound, "user '" + std::string(id) + "' not found");
}

tl::unexpected<Error> UserNameNotFound(std::string_view username) {
  return MakeError(ErrorCode::kNotFound, "user name '" + std::string(username) + "' not found");
}

tl::unexpected<Error> TokenNotFound(std::string_view id) {
  return MakeError(ErrorCode::kNotFound, "token '" + std::string(id) + "' not found");
}

tl::unexpected<Error> TokenHashNotFound() {
  return MakeError(ErrorCode::kNotFound, "token with that hash not found");
}

tl::unexpected<Error> RecoveryCodeNotFound(std::string_view user_id) {
  return MakeError(ErrorCode::kNotFound, "no unused recovery code with that hash for user '" +
                                             std::string(user_id) + "'");
}

}  // namespace vigil::store
