// IdentityService: one's own account and the administration of accounts.

#include <algorithm>
#include <functional>
#include <optional>
#include <utility>

#include "core/id.h"
#include "crypto/totp.h"
#include "identity/credentials.h"
#include "server/identity_service.h"
#include "server/identity_text.h"
#include "server/runtime.h"

namespace vigil::server {

namespace {

// The user name behind an audit actor ("alice" or "alice/token:<id>").
std::string_view PersonOf(const audit::Actor& actor) {
  const std::string_view id = actor.id;
  return id.substr(0, id.find("/token:"));
}

audit::Actor UserActor(const identity::Principal& who) { return IdentityService::ActorOf(who); }

std::string Address(const ClientInfo& client) {
  return std::string(identity::AddressOf(client.remote_address));
}

}  // namespace

Status IdentityService::Logout(const identity::Principal& who, const ClientInfo& client) {
  sessions_.Remove(who.session_id);
  return AuditAlone(UserActor(who), "auth.logout", "user:" + who.username,
                    {{"session", who.session_id}, {"address", Address(client)}});
}

Status IdentityService::LogoutEverywhere(const identity::Principal& who, const ClientInfo& client) {
  const std::size_t ended = sessions_.RemoveUser(who.user_id);
  return AuditAlone(UserActor(who), "auth.logout_everywhere", "user:" + who.username,
                    {{"sessions_ended", ended}, {"address", Address(client)}});
}

Status IdentityService::ChangePassword(const identity::Principal& who, std::string_view current,
                                       std::string_view next, const ClientInfo& client) {
  auto user = GetUser(who.user_id);
  if (!user) return tl::unexpected(std::move(user).error());
  auto matches = crypto::VerifyPassword(current, user->password_hash);
  if (!matches || !*matches) {
    (void)AuditAlone(UserActor(who), "auth.password.change_failed", "user:" + who.username,
                     {{"reason", "wrong current password"}, {"address", Address(client)}});
    return MakeError(ErrorCode::kUnauthenticated, "the current password is wrong");
  }
  VIGIL_RETURN_IF_ERROR(policy_.Check(next, user->username));
  if (current == next) {
    return MakeError(ErrorCode::kInvalidArgument, "the new password must differ from the old one");
  }
  auto hash = crypto::HashPassword(next, options_.password_params);
  if (!hash) return tl::unexpected(std::move(hash).error());
  user->password_hash = std::move(*hash);
  user->must_change_password = false;
  user->password_changed_unix = rt_.clock().NowUnixSeconds();
  VIGIL_RETURN_IF_ERROR(rt_.store().Write([&](store::Transaction& tx) -> Status {
    VIGIL_RETURN_IF_ERROR(tx.identity().UpdateUser(*user));
    return Audit(tx, UserActor(who), "auth.password.changed", "user:" + who.username,
                 {{"address", Address(client)}});
  }));
  // Other sessions were opened with the old password: they end.
  sessions_.RemoveUser(who.user_id, who.session_id);
  return OkStatus();
}

Result<std::vector<std::string>> IdentityService::RegenerateRecoveryCodes(
    const identity::Principal& who, std::string_view totp_code) {
  auto user = GetUser(who.user_id);
  if (!user) return tl::unexpected(std::move(user).error());
  if (!user->mfa_enrolled) {
    return MakeError(ErrorCode::kFailedPrecondition, "this account has no authenticator");
  }
  crypto::SecretBytes key;
  VIGIL_RETURN_IF_ERROR(rt_.store().Read([&](store::ReadTransaction& tx) -> Status {
    auto found = tx.secrets().Get(TotpSecretName(user->id));
    if (!found) return tl::unexpected(std::move(found).error());
    key = std::move(*found);
    return OkStatus();
  }));
  auto step = crypto::VerifyTotp(key.span(), totp_code, rt_.clock().NowUnixSeconds(),
                                 options_.totp_window, user->totp_last_step);
  if (!step) return tl::unexpected(std::move(step).error());
  if (!step->has_value()) {
    (void)AuditAlone(UserActor(who), "auth.mfa.failed", "user:" + who.username,
                     {{"during", "recovery code renewal"}});
    return MakeError(ErrorCode::kUnauthenticated, "wrong code");
  }
  user->totp_last_step = **step;
  std::vector<std::string> codes;
  VIGIL_RETURN_IF_ERROR(rt_.store().Write([&](store::Transaction& tx) -> Status {
    auto fresh = StoreNewRecoveryCodes(tx, user->id);
    if (!fresh) return tl::unexpected(std::move(fresh).error());
    codes = std::move(*fresh);
    VIGIL_RETURN_IF_ERROR(tx.identity().UpdateUser(*user));
    return Audit(tx, UserActor(who), "auth.recovery_codes.renewed", "user:" + who.username,
                 {{"count", codes.size()}});
  }));
  return codes;
}

std::vector<identity::SessionInfo> IdentityService::Sessions(std::string_view user_id) const {
  return sessions_.ForUser(user_id);
}

Status IdentityService::SweepSessions() {
  const std::vector<identity::SessionInfo> swept = sessions_.Sweep();
  if (swept.empty()) return OkStatus();
  const auto now = rt_.clock().Now();
  return rt_.store().Write([&](store::Transaction& tx) -> Status {
    for (const auto& session : swept) {
      std::string username = session.user_id;
      {
        std::lock_guard lock(cache_mu_);
        if (auto user = users_.find(session.user_id); user != users_.end()) {
          username = user->second.username;
        }
      }
      const bool signed_in = session.step == identity::SignInStep::kDone;
      const char* reason = !signed_in                        ? "sign-in not finished"
                           : now >= session.absolute_expires ? "absolute timeout"
                                                             : "idle timeout";
      VIGIL_RETURN_IF_ERROR(Audit(tx, {.kind = audit::ActorKind::kSystem, .id = "vigil serve"},
                                  signed_in ? "auth.session.expired" : "auth.sign_in.expired",
                                  "user:" + username,
                                  {{"session", session.id}, {"reason", reason}}));
    }
    return OkStatus();
  });
}

Status IdentityService::EndSession(const identity::Principal& who, std::string_view session_id) {
  const auto session = sessions_.Get(session_id);
  if (!session || session->user_id != who.user_id) {
    return MakeError(ErrorCode::kNotFound, "no such session");
  }
  sessions_.Remove(session_id);
  return AuditAlone(UserActor(who), "auth.session.ended", "user:" + who.username,
                    {{"session", std::string(session_id)}});
}

// --- Administration -----------------------------------------------------------------------------

Result<std::vector<store::UserRecord>> IdentityService::ListUsers() const {
  std::vector<store::UserRecord> users;
  VIGIL_RETURN_IF_ERROR(rt_.store().Read([&](store::ReadTransaction& tx) -> Status {
    auto list = tx.identity().ListUsers();
    if (!list) return tl::unexpected(std::move(list).error());
    users = std::move(*list);
    return OkStatus();
  }));
  return users;
}

Result<IssuedUser> IdentityService::AddUser(const audit::Actor& actor, std::string_view username,
                                            identity::Role role, bool emergency) {
  const std::string name = identity::NormalizeUsername(username);
  VIGIL_RETURN_IF_ERROR(identity::CheckUsername(name));
  auto password = identity::NewOneTimePassword();
  if (!password) return tl::unexpected(std::move(password).error());
  auto hash = crypto::HashPassword(*password, options_.password_params);
  if (!hash) return tl::unexpected(std::move(hash).error());
  IssuedUser issued;
  issued.one_time_password = std::move(*password);
  std::string emergency_hash;
  if (emergency) {
    auto code = identity::NewEmergencyCode();
    if (!code) return tl::unexpected(std::move(code).error());
    auto code_hash = crypto::HashPassword(identity::NormalizeCode(*code), options_.password_params);
    if (!code_hash) return tl::unexpected(std::move(code_hash).error());
    issued.emergency_code = std::move(*code);
    emergency_hash = std::move(*code_hash);
  }
  const std::int64_t now = rt_.clock().NowUnixSeconds();
  issued.user = store::UserRecord{.id = Id::Random().ToString(),
                                  .username = name,
                                  .role = std::string(identity::RoleName(role)),
                                  .password_hash = std::move(*hash),
                                  .must_change_password = true,
                                  .disabled = false,
                                  .emergency = emergency,
                                  .mfa_enrolled = false,
                                  .totp_last_step = 0,
                                  .failed_logins = 0,
                                  .locked_until_unix = 0,
                                  .created_unix = now,
                                  .password_changed_unix = now,
                                  .last_login_unix = 0};
  VIGIL_RETURN_IF_ERROR(rt_.store().Write([&](store::Transaction& tx) -> Status {
    if (auto added = tx.identity().AddUser(issued.user); !added) {
      if (added.error().code == ErrorCode::kAlreadyExists) {
        return MakeError(ErrorCode::kAlreadyExists, "user '" + name + "' already exists");
      }
      return added;
    }
    nlohmann::json details = {{"role", issued.user.role}};
    if (emergency) {
      VIGIL_RETURN_IF_ERROR(
          tx.secrets().Put(EmergencySecretName(issued.user.id), AsBytes(emergency_hash)));
      details["emergency"] = true;
      details["severity"] = "high";
    }
    return Audit(tx, actor, emergency ? "user.create_emergency" : "user.create", "user:" + name,
                 std::move(details));
  }));
  CacheUser(issued.user);
  return issued;
}

Result<IssuedUser> IdentityService::CreateUser(const audit::Actor& actor, std::string_view username,
                                               std::string_view role) {
  const auto parsed = identity::ParseRole(role);
  if (!parsed) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "unknown role '" + Printable(role) +
                         "' (admin, security_analyst, clinical_engineer, network_engineer, "
                         "auditor)");
  }
  return AddUser(actor, username, *parsed, /*emergency=*/false);
}

Result<IssuedUser> IdentityService::CreateEmergencyUser(const audit::Actor& actor,
                                                        std::string_view username) {
  return AddUser(actor, username, identity::Role::kAdmin, /*emergency=*/true);
}

Result<IssuedUser> IdentityService::ReissueEmergencyCode(const audit::Actor& actor,
                                                         std::string_view user_ref) {
  auto user = ResolveUser(user_ref);
  if (!user) return tl::unexpected(std::move(user).error());
  if (!user->emergency) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "'" + user->username + "' is not the emergency account");
  }
  auto code = identity::NewEmergencyCode();
  if (!code) return tl::unexpected(std::move(code).error());
  auto hash = crypto::HashPassword(identity::NormalizeCode(*code), options_.password_params);
  if (!hash) return tl::unexpected(std::move(hash).error());
  VIGIL_RETURN_IF_ERROR(rt_.store().Write([&](store::Transaction& tx) -> Status {
    VIGIL_RETURN_IF_ERROR(tx.secrets().Put(EmergencySecretName(user->id), AsBytes(*hash)));
    return Audit(tx, actor, "user.emergency_code.issued", "user:" + user->username,
                 {{"severity", "high"}});
  }));
  return IssuedUser{.user = *user, .one_time_password = {}, .emergency_code = std::move(*code)};
}

Status IdentityService::ReviewEmergencyUse(const audit::Actor& actor, std::int64_t use_seq,
                                           std::string_view notes) {
  if (notes.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "a review needs notes: who, why, what was done");
  }
  return rt_.store().Write([&](store::Transaction& tx) -> Status {
    std::optional<store::AuditRow> entry;
    VIGIL_RETURN_IF_ERROR(tx.audit().Scan(use_seq, use_seq, [&](const store::AuditRow& row) {
      entry = row;
      return false;
    }));
    if (!entry || entry->action != "auth.emergency.used") {
      return MakeError(ErrorCode::kNotFound,
                       "audit entry " + std::to_string(use_seq) + " is not an emergency sign-in");
    }
    const std::string used_by = entry->actor;
    if (used_by == PersonOf(actor)) {
      return MakeError(ErrorCode::kPermissionDenied,
                       "the review must be made by someone other than who used the account");
    }
    return Audit(tx, actor, "auth.emergency.reviewed", "audit:" + std::to_string(use_seq),
                 {{"notes", std::string(notes.substr(0, 4000))}, {"used_by", used_by}});
  });
}

namespace {

// True if `user` is the only enabled administrator (the emergency account aside): taking that
// role away or disabling it would leave nobody to administer Vigil from the dashboard.
bool LastAdmin(const std::vector<store::UserRecord>& users, const store::UserRecord& user) {
  if (user.role != "admin" || user.disabled || user.emergency) return false;
  return std::none_of(users.begin(), users.end(), [&](const store::UserRecord& other) {
    return other.id != user.id && other.role == "admin" && !other.disabled && !other.emergency;
  });
}

// Loads, changes and saves one user in one transaction with its audit entry.
template <typename Change>
Result<store::UserRecord> Modify(
    Runtime& rt, const store::UserRecord& before, Change&& change,
    const std::function<Status(store::Transaction&, const store::UserRecord&)>& audit) {
  store::UserRecord user = before;
  change(user);
  VIGIL_RETURN_IF_ERROR(rt.store().Write([&](store::Transaction& tx) -> Status {
    VIGIL_RETURN_IF_ERROR(tx.identity().UpdateUser(user));
    return audit(tx, user);
  }));
  return user;
}

}  // namespace

Result<store::UserRecord> IdentityService::SetDisabled(const audit::Actor& actor,
                                                       std::string_view user_ref, bool disabled) {
  auto user = ResolveUser(user_ref);
  if (!user) return tl::unexpected(std::move(user).error());
  if (disabled && user->username == PersonOf(actor)) {
    return MakeError(ErrorCode::kFailedPrecondition, "you cannot disable your own account");
  }
  if (auto users = ListUsers(); disabled && users && LastAdmin(*users, *user)) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "'" + user->username + "' is the last administrator; make another first");
  }
  auto changed = Modify(
      rt_, *user, [&](store::UserRecord& u) { u.disabled = disabled; },
      [&](store::Transaction& tx, const store::UserRecord& u) {
        return Audit(tx, actor, disabled ? "user.disable" : "user.enable", "user:" + u.username,
                     nlohmann::json::object());
      });
  if (!changed) return changed;
  CacheUser(*changed);
  if (disabled) sessions_.RemoveUser(changed->id);
  return changed;
}

Result<store::UserRecord> IdentityService::SetRole(const audit::Actor& actor,
                                                   std::string_view user_ref,
                                                   std::string_view role) {
  const auto parsed = identity::ParseRole(role);
  if (!parsed)
    return MakeError(ErrorCode::kInvalidArgument, "unknown role '" + Printable(role) + "'");
  auto user = ResolveUser(user_ref);
  if (!user) return tl::unexpected(std::move(user).error());
  if (user->emergency) {
    return MakeError(ErrorCode::kFailedPrecondition, "the emergency account's role is fixed");
  }
  if (auto users = ListUsers();
      *parsed != identity::Role::kAdmin && users && LastAdmin(*users, *user)) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "'" + user->username + "' is the last administrator; make another first");
  }
  const std::string before = user->role;
  auto changed = Modify(
      rt_, *user, [&](store::UserRecord& u) { u.role = std::string(identity::RoleName(*parsed)); },
      [&](store::Transaction& tx, const store::UserRecord& u) {
        return Audit(tx, actor, "user.set_role", "user:" + u.username,
                     {{"from", before}, {"to", u.role}});
      });
  if (changed) CacheUser(*changed);
  return changed;
}

Result<store::UserRecord> IdentityService::ResetMfa(const audit::Actor& actor,
                                                    std::string_view user_ref) {
  auto user = ResolveUser(user_ref);
  if (!user) return tl::unexpected(std::move(user).error());
  if (user->emergency) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "the emergency account has no authenticator; issue a new emergency code");
  }
  store::UserRecord changed = *user;
  changed.mfa_enrolled = false;
  changed.totp_last_step = 0;
  VIGIL_RETURN_IF_ERROR(rt_.store().Write([&](store::Transaction& tx) -> Status {
    if (auto removed = tx.secrets().Remove(TotpSecretName(changed.id));
        !removed && removed.error().code != ErrorCode::kNotFound) {
      return removed;
    }
    VIGIL_RETURN_IF_ERROR(tx.identity().ReplaceRecoveryCodes(changed.id, {}));
    VIGIL_RETURN_IF_ERROR(tx.identity().UpdateUser(changed));
    return Audit(tx, actor, "user.reset_mfa", "user:" + changed.username, {{"severity", "high"}});
  }));
  sessions_.RemoveUser(changed.id);
  return changed;
}

Result<IssuedUser> IdentityService::ResetPassword(const audit::Actor& actor,
                                                  std::string_view user_ref) {
  auto user = ResolveUser(user_ref);
  if (!user) return tl::unexpected(std::move(user).error());
  auto password = identity::NewOneTimePassword();
  if (!password) return tl::unexpected(std::move(password).error());
  auto hash = crypto::HashPassword(*password, options_.password_params);
  if (!hash) return tl::unexpected(std::move(hash).error());
  auto changed = Modify(
      rt_, *user,
      [&](store::UserRecord& u) {
        u.password_hash = std::move(*hash);
        u.must_change_password = true;
        u.password_changed_unix = rt_.clock().NowUnixSeconds();
        u.failed_logins = 0;
        u.locked_until_unix = 0;
      },
      [&](store::Transaction& tx, const store::UserRecord& u) {
        return Audit(tx, actor, "user.reset_password", "user:" + u.username,
                     nlohmann::json::object());
      });
  if (!changed) return tl::unexpected(std::move(changed).error());
  sessions_.RemoveUser(changed->id);
  return IssuedUser{
      .user = std::move(*changed), .one_time_password = std::move(*password), .emergency_code = {}};
}

Result<store::UserRecord> IdentityService::Unlock(const audit::Actor& actor,
                                                  std::string_view user_ref) {
  auto user = ResolveUser(user_ref);
  if (!user) return tl::unexpected(std::move(user).error());
  return Modify(
      rt_, *user,
      [](store::UserRecord& u) {
        u.failed_logins = 0;
        u.locked_until_unix = 0;
      },
      [&](store::Transaction& tx, const store::UserRecord& u) {
        return Audit(tx, actor, "user.unlock", "user:" + u.username, nlohmann::json::object());
      });
}

}  // namespace vigil::server
