#pragma once

// Operator identity kept in the store: accounts, their single-use recovery codes, and API
// tokens. The identity rules (password policy, lockout, MFA) live in identity/ and server/;
// these repositories only keep rows.
//
// Secrets never stored here in clear: password hashes are Argon2id PHC strings, recovery codes
// and API tokens are stored as hashes computed by the caller, and TOTP keys go to the sealed
// SecretRepo under "totp/<user id>" (see server/identity_service.h).
//
// Errors: kNotFound for an unknown user or token id, user name or token hash, including the
// owner named by a token or recovery code; kAlreadyExists for a duplicate user id, user name,
// token id or token hash; kInvalidArgument for an empty user name, id or hash, or a scope name
// that is empty or contains a space. A call that fails changes nothing.
//
// Thread safety: as the Transaction or ReadTransaction they come from.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace vigil::store {

struct UserRecord {
  std::string id;             // 32 hex digits (vigil::Id).
  std::string username;       // Unique, compared exactly (the service lowercases it first).
  std::string role;           // "admin", "security_analyst", ... (identity/permissions.h).
  std::string password_hash;  // Argon2id PHC string.
  bool must_change_password = false;
  bool disabled = false;
  bool emergency = false;           // The break-glass account (identity_service.h).
  bool mfa_enrolled = false;        // A confirmed TOTP key exists in secrets "totp/<id>".
  std::int64_t totp_last_step = 0;  // Highest accepted TOTP time step (replay guard).
  std::int64_t failed_logins = 0;   // Consecutive failures since the last success.
  std::int64_t locked_until_unix = 0;
  std::int64_t created_unix = 0;
  std::int64_t password_changed_unix = 0;
  std::int64_t last_login_unix = 0;  // 0: never.
  friend bool operator==(const UserRecord&, const UserRecord&) = default;
};

struct RecoveryCodeRecord {
  std::string user_id;
  std::vector<std::uint8_t> code_hash;  // Keyed hash of the code (caller's choice of key).
  std::int64_t used_unix = 0;           // 0: unused.
  friend bool operator==(const RecoveryCodeRecord&, const RecoveryCodeRecord&) = default;
};

struct TokenRecord {
  std::string id;       // 32 hex digits; shown in lists, never enough to authenticate.
  std::string user_id;  // The owner; a token never has more permissions than its owner.
  std::string name;     // A label the owner chose ("siem-export").
  std::vector<std::uint8_t> token_hash;  // SHA-256 of the whole token text; unique.
  std::vector<std::string> scopes;       // Permission names; the store keeps them sorted.
  std::int64_t created_unix = 0;
  std::int64_t expires_unix = 0;
  std::int64_t last_used_unix = 0;  // 0: never.
  std::int64_t revoked_unix = 0;    // 0: active.
  friend bool operator==(const TokenRecord&, const TokenRecord&) = default;
};

class IdentityReader {
 public:
  virtual ~IdentityReader() = default;
  virtual Result<UserRecord> GetUser(std::string_view id) const = 0;
  virtual Result<UserRecord> FindUserByName(std::string_view username) const = 0;
  virtual Result<std::vector<UserRecord>> ListUsers() const = 0;  // Ascending by user name.
  // The user's codes, used ones included, in insertion order.
  virtual Result<std::vector<RecoveryCodeRecord>> RecoveryCodes(std::string_view user_id) const = 0;
  virtual Result<TokenRecord> GetToken(std::string_view id) const = 0;
  virtual Result<TokenRecord> FindTokenByHash(std::span<const std::uint8_t> hash) const = 0;
  // All tokens, revoked ones included, ascending by creation time then id.
  virtual Result<std::vector<TokenRecord>> ListTokens() const = 0;
};

class IdentityRepo : public virtual IdentityReader {
 public:
  virtual Status AddUser(const UserRecord& user) = 0;
  // Replaces every field of the user with id `user.id`.
  virtual Status UpdateUser(const UserRecord& user) = 0;
  // Replaces all of the user's recovery codes, used ones included, with unused codes with
  // `code_hashes`, kept in that order.
  virtual Status ReplaceRecoveryCodes(
      std::string_view user_id, const std::vector<std::vector<std::uint8_t>>& code_hashes) = 0;
  // Marks the user's unused code with `code_hash` as used at `now_unix`; kNotFound if there is
  // none (never issued, already used, or another user's). kInvalidArgument if now_unix <= 0,
  // which would read as unused.
  virtual Status UseRecoveryCode(std::string_view user_id, std::span<const std::uint8_t> code_hash,
                                 std::int64_t now_unix) = 0;
  // Inserts a token; its scopes are stored sorted. kNotFound if its owner does not exist.
  virtual Status AddToken(const TokenRecord& token) = 0;
  // Replaces every field of the token with id `token.id`, as AddToken stores them.
  virtual Status UpdateToken(const TokenRecord& token) = 0;
};

}  // namespace vigil::store
