#include "store/sqlite/identity_table.h"

#include <string>
#include <utility>

#include "store/identity_checks.h"
#include "store/sqlite/query.h"

namespace vigil::store::sqlite {
namespace {

std::string SelectUsers(std::string_view rest) {
  return "SELECT id, username, role, password_hash, must_change_password, disabled, emergency, "
         "mfa_enrolled, totp_last_step, failed_logins, locked_until_unix, created_unix, "
         "password_changed_unix, last_login_unix FROM users " +
         std::string(rest);
}

std::string SelectTokens(std::string_view rest) {
  return "SELECT id, user_id, name, token_hash, scopes, created_unix, expires_unix, "
         "last_used_unix, revoked_unix FROM api_tokens " +
         std::string(rest);
}

// Columns in SelectUsers() order; parameters ?1..?14 of the user statements in the same order.
UserRecord ReadUser(const Statement& stmt) {
  return UserRecord{.id = stmt.ColumnText(0),
                    .username = stmt.ColumnText(1),
                    .role = stmt.ColumnText(2),
                    .password_hash = stmt.ColumnText(3),
                    .must_change_password = stmt.ColumnInt64(4) != 0,
                    .disabled = stmt.ColumnInt64(5) != 0,
                    .emergency = stmt.ColumnInt64(6) != 0,
                    .mfa_enrolled = stmt.ColumnInt64(7) != 0,
                    .totp_last_step = stmt.ColumnInt64(8),
                    .failed_logins = stmt.ColumnInt64(9),
                    .locked_until_unix = stmt.ColumnInt64(10),
                    .created_unix = stmt.ColumnInt64(11),
                    .password_changed_unix = stmt.ColumnInt64(12),
                    .last_login_unix = stmt.ColumnInt64(13)};
}

void BindUser(Statement& stmt, const UserRecord& user) {
  stmt.BindText(1, user.id);
  stmt.BindText(2, user.username);
  stmt.BindText(3, user.role);
  stmt.BindText(4, user.password_hash);
  stmt.BindInt64(5, user.must_change_password ? 1 : 0);
  stmt.BindInt64(6, user.disabled ? 1 : 0);
  stmt.BindInt64(7, user.emergency ? 1 : 0);
  stmt.BindInt64(8, user.mfa_enrolled ? 1 : 0);
  stmt.BindInt64(9, user.totp_last_step);
  stmt.BindInt64(10, user.failed_logins);
  stmt.BindInt64(11, user.locked_until_unix);
  stmt.BindInt64(12, user.created_unix);
  stmt.BindInt64(13, user.password_changed_unix);
  stmt.BindInt64(14, user.last_login_unix);
}

// Scopes are stored as one string of names separated by single spaces (migrations.cc).
std::string JoinScopes(const std::vector<std::string>& scopes) {
  std::string joined;
  for (std::size_t i = 0; i < scopes.size(); ++i) {
    if (i > 0) joined += ' ';
    joined += scopes[i];
  }
  return joined;
}

std::vector<std::string> SplitScopes(std::string_view text) {
  std::vector<std::string> scopes;
  while (!text.empty()) {
    const std::size_t space = text.find(' ');
    scopes.emplace_back(text.substr(0, space));
    if (space == std::string_view::npos) break;
    text.remove_prefix(space + 1);
  }
  return scopes;
}

// Columns in SelectTokens() order; parameters ?1..?9 of the token statements in the same order.
TokenRecord ReadToken(const Statement& stmt) {
  return TokenRecord{.id = stmt.ColumnText(0),
                     .user_id = stmt.ColumnText(1),
                     .name = stmt.ColumnText(2),
                     .token_hash = stmt.ColumnBlob(3),
                     .scopes = SplitScopes(stmt.ColumnText(4)),
                     .created_unix = stmt.ColumnInt64(5),
                     .expires_unix = stmt.ColumnInt64(6),
                     .last_used_unix = stmt.ColumnInt64(7),
                     .revoked_unix = stmt.ColumnInt64(8)};
}

void BindToken(Statement& stmt, const TokenRecord& token) {
  stmt.BindText(1, token.id);
  stmt.BindText(2, token.user_id);
  stmt.BindText(3, token.name);
  stmt.BindBlob(4, token.token_hash);
  stmt.BindText(5, JoinScopes(token.scopes));
  stmt.BindInt64(6, token.created_unix);
  stmt.BindInt64(7, token.expires_unix);
  stmt.BindInt64(8, token.last_used_unix);
  stmt.BindInt64(9, token.revoked_unix);
}

RecoveryCodeRecord ReadCode(const Statement& stmt) {
  return RecoveryCodeRecord{.user_id = stmt.ColumnText(0),
                            .code_hash = stmt.ColumnBlob(1),
                            .used_unix = stmt.ColumnInt64(2)};
}

// The row readers here are plain functions, so the row type follows from them.
template <typename T, typename Bind>
Result<std::vector<T>> Query(Database& db, std::string_view sql, const Bind& bind,
                             T (*read)(const Statement&), std::string_view context) {
  return QueryRows<T>(db, sql, bind, read, context);
}

template <typename Bind>
Status Run(Database& db, std::string_view sql, const Bind& bind, std::string_view context) {
  return RunStatement(db, sql, bind, context);
}

void BindNothing(Statement& /*stmt*/) {}

std::string Quoted(std::string_view what, std::string_view name) {
  return std::string(what) + " '" + std::string(name) + "'";
}

}  // namespace

Result<bool> IdentityTable::HasRow(std::string_view sql, std::string_view key,
                                   std::string_view context) const {
  auto rows = Query(
      db_, sql, [&](Statement& s) { s.BindText(1, key); },
      +[](const Statement& s) { return s.ColumnInt64(0); }, context);
  if (!rows) return tl::unexpected(std::move(rows).error());
  return !rows->empty();
}

Status IdentityTable::NeedUser(std::string_view id, std::string_view context) const {
  auto found = HasRow("SELECT 1 FROM users WHERE id = ?", id, context);
  if (!found) return tl::unexpected(std::move(found).error());
  if (!*found) return tl::unexpected(Annotate(UserNotFound(id).value(), context));
  return OkStatus();
}

Result<UserRecord> IdentityTable::GetUser(std::string_view id) const {
  VIGIL_RETURN_IF_ERROR(CheckNotEmpty(id, "user id", "identity get user"));
  auto users = Query(
      db_, SelectUsers("WHERE id = ?"), [&](Statement& s) { s.BindText(1, id); }, ReadUser,
      Quoted("identity get user", id));
  if (!users) return tl::unexpected(std::move(users).error());
  if (users->empty()) return UserNotFound(id);
  return std::move(users->front());
}

Result<UserRecord> IdentityTable::FindUserByName(std::string_view username) const {
  VIGIL_RETURN_IF_ERROR(CheckNotEmpty(username, "user name", "identity find user"));
  auto users = Query(
      db_, SelectUsers("WHERE username = ?"), [&](Statement& s) { s.BindText(1, username); },
      ReadUser, Quoted("identity find user", username));
  if (!users) return tl::unexpected(std::move(users).error());
  if (users->empty()) return UserNameNotFound(username);
  return std::move(users->front());
}

Result<std::vector<UserRecord>> IdentityTable::ListUsers() const {
  return Query(db_, SelectUsers("ORDER BY username"), BindNothing, ReadUser, "identity list users");
}

Result<std::vector<RecoveryCodeRecord>> IdentityTable::RecoveryCodes(
    std::string_view user_id) const {
  const std::string context = Quoted("identity recovery codes of", user_id);
  VIGIL_RETURN_IF_ERROR(CheckNotEmpty(user_id, "user id", context));
  VIGIL_RETURN_IF_ERROR(NeedUser(user_id, context));
  return Query(
      db_, "SELECT user_id, code_hash, used_unix FROM recovery_codes WHERE user_id = ? ORDER BY id",
      [&](Statement& s) { s.BindText(1, user_id); }, ReadCode, context);
}

Result<TokenRecord> IdentityTable::GetToken(std::string_view id) const {
  VIGIL_RETURN_IF_ERROR(CheckNotEmpty(id, "token id", "identity get token"));
  auto tokens = Query(
      db_, SelectTokens("WHERE id = ?"), [&](Statement& s) { s.BindText(1, id); }, ReadToken,
      Quoted("identity get token", id));
  if (!tokens) return tl::unexpected(std::move(tokens).error());
  if (tokens->empty()) return TokenNotFound(id);
  return std::move(tokens->front());
}

Result<TokenRecord> IdentityTable::FindTokenByHash(std::span<const std::uint8_t> hash) const {
  auto tokens = Query(
      db_, SelectTokens("WHERE token_hash = ?"), [&](Statement& s) { s.BindBlob(1, hash); },
      ReadToken, "identity find token");
  if (!tokens) return tl::unexpected(std::move(tokens).error());
  if (tokens->empty()) return TokenHashNotFound();
  return std::move(tokens->front());
}

Result<std::vector<TokenRecord>> IdentityTable::ListTokens() const {
  return Query(db_, SelectTokens("ORDER BY created_unix, id"), BindNothing, ReadToken,
               "identity list tokens");
}

Status IdentityTable::AddUser(const UserRecord& user) {
  const std::string context = Quoted("identity add user", user.username);
  VIGIL_RETURN_IF_ERROR(CheckUser(user, context));
  Status added = Run(
      db_,
      "INSERT INTO users (id, username, role, password_hash, must_change_password, disabled, "
      "emergency, mfa_enrolled, totp_last_step, failed_logins, locked_until_unix, created_unix, "
      "password_changed_unix, last_login_unix) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
      [&](Statement& s) { BindUser(s, user); }, context);
  if (!IsDuplicate(added)) return added;
  // The Database layer's message quotes the whole statement: name the key instead.
  auto id_taken = HasRow("SELECT 1 FROM users WHERE id = ?", user.id, context);
  if (id_taken && *id_taken) return AlreadyExists(context, "user id '" + user.id + "'");
  return AlreadyExists(context, "user name");
}

Status IdentityTable::UpdateUser(const UserRecord& user) {
  const std::string context = Quoted("identity update user", user.username);
  VIGIL_RETURN_IF_ERROR(CheckUser(user, context));
  Status updated = Run(
      db_,
      "UPDATE users SET username = ?2, role = ?3, password_hash = ?4, must_change_password = ?5, "
      "disabled = ?6, emergency = ?7, mfa_enrolled = ?8, totp_last_step = ?9, "
      "failed_logins = ?10, locked_until_unix = ?11, created_unix = ?12, "
      "password_changed_unix = ?13, last_login_unix = ?14 WHERE id = ?1",
      [&](Statement& s) { BindUser(s, user); }, context);
  if (IsDuplicate(updated)) return AlreadyExists(context, "user name");
  VIGIL_RETURN_IF_ERROR(updated);
  if (db_.changes() == 0) return tl::unexpected(Annotate(UserNotFound(user.id).value(), context));
  return OkStatus();
}

Status IdentityTable::ReplaceRecoveryCodes(
    std::string_view user_id, const std::vector<std::vector<std::uint8_t>>& code_hashes) {
  const std::string context = Quoted("identity replace recovery codes of", user_id);
  VIGIL_RETURN_IF_ERROR(CheckRecoveryCodes(user_id, code_hashes, context));
  VIGIL_RETURN_IF_ERROR(NeedUser(user_id, context));
  // A savepoint of its own, so a failure half-way (disk full) leaves the old codes in place even
  // if the caller goes on and commits.
  VIGIL_RETURN_IF_ERROR(db_.Exec("SAVEPOINT identity_codes"));
  Status done = WriteCodes(user_id, code_hashes, context);
  if (done) done = db_.Exec("RELEASE identity_codes");
  if (!done && db_.in_transaction()) {
    (void)db_.Exec("ROLLBACK TO identity_codes");
    (void)db_.Exec("RELEASE identity_codes");
  }
  return done;
}

Status IdentityTable::WriteCodes(std::string_view user_id,
                                 const std::vector<std::vector<std::uint8_t>>& code_hashes,
                                 std::string_view context) {
  VIGIL_RETURN_IF_ERROR(Run(
      db_, "DELETE FROM recovery_codes WHERE user_id = ?",
      [&](Statement& s) { s.BindText(1, user_id); }, context));
  for (const auto& hash : code_hashes) {
    VIGIL_RETURN_IF_ERROR(Run(
        db_, "INSERT INTO recovery_codes (user_id, code_hash, used_unix) VALUES (?, ?, 0)",
        [&](Statement& s) {
          s.BindText(1, user_id);
          s.BindBlob(2, hash);
        },
        context));
  }
  return OkStatus();
}

Status IdentityTable::UseRecoveryCode(std::string_view user_id,
                                      std::span<const std::uint8_t> code_hash,
                                      std::int64_t now_unix) {
  const std::string context = Quoted("identity use recovery code of", user_id);
  VIGIL_RETURN_IF_ERROR(CheckNotEmpty(user_id, "user id", context));
  if (now_unix <= 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     context + ": time " + std::to_string(now_unix) + " is not after 1970");
  }
  VIGIL_RETURN_IF_ERROR(Run(
      db_,
      "UPDATE recovery_codes SET used_unix = ?3 WHERE id = (SELECT id FROM recovery_codes "
      "WHERE user_id = ?1 AND code_hash = ?2 AND used_unix = 0 ORDER BY id LIMIT 1)",
      [&](Statement& s) {
        s.BindText(1, user_id);
        s.BindBlob(2, code_hash);
        s.BindInt64(3, now_unix);
      },
      context));
  if (db_.changes() == 0) return RecoveryCodeNotFound(user_id);
  return OkStatus();
}

Status IdentityTable::AddToken(const TokenRecord& token) {
  const std::string context = Quoted("identity add token", token.id);
  auto checked = CheckedToken(token, context);
  if (!checked) return tl::unexpected(std::move(checked).error());
  VIGIL_RETURN_IF_ERROR(NeedUser(checked->user_id, context));
  Status added = Run(
      db_,
      "INSERT INTO api_tokens (id, user_id, name, token_hash, scopes, created_unix, "
      "expires_unix, last_used_unix, revoked_unix) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
      [&](Statement& s) { BindToken(s, *checked); }, context);
  if (!IsDuplicate(added)) return added;
  auto id_taken = HasRow("SELECT 1 FROM api_tokens WHERE id = ?", checked->id, context);
  return AlreadyExists(context, id_taken && *id_taken ? "token id" : "token hash");
}

Status IdentityTable::UpdateToken(const TokenRecord& token) {
  const std::string context = Quoted("identity update token", token.id);
  auto checked = CheckedToken(token, context);
  if (!checked) return tl::unexpected(std::move(checked).error());
  VIGIL_RETURN_IF_ERROR(NeedUser(checked->user_id, context));
  Status updated = Run(
      db_,
      "UPDATE api_tokens SET user_id = ?2, name = ?3, token_hash = ?4, scopes = ?5, "
      "created_unix = ?6, expires_unix = ?7, last_used_unix = ?8, revoked_unix = ?9 "
      "WHERE id = ?1",
      [&](Statement& s) { BindToken(s, *checked); }, context);
  if (IsDuplicate(updated)) return AlreadyExists(context, "token hash");
  VIGIL_RETURN_IF_ERROR(updated);
  if (db_.changes() == 0) return tl::unexpected(Annotate(TokenNotFound(token.id).value(), context));
  return OkStatus();
}

}  // namespace vigil::store::sqlite
