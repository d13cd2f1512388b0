// IdentityService: creation, caches and signing in. Accounts and tokens are in
// identity_accounts.cc and identity_tokens.cc.

#include "server/identity_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "core/id.h"
#include "crypto/hash.h"
#include "crypto/totp.h"
#include "identity/credentials.h"
#include "server/identity_text.h"
#include "server/runtime.h"

namespace vigil::server {

using identity::SignInStep;

IdentityOptions IdentityOptions::FromConfig(const config::IdentityConfig& c) {
  IdentityOptions o;
  o.sessions.idle = std::chrono::seconds(c.session_idle_timeout_seconds);
  o.sessions.absolute = std::chrono::seconds(c.session_absolute_timeout_seconds);
  o.sessions.sign_in = std::chrono::seconds(c.sign_in_timeout_seconds);
  o.lockout.lock_after = c.lockout_threshold;
  o.lockout.delay_after = std::min<std::int64_t>(3, c.lockout_threshold);
  o.lockout.lock_for = std::chrono::seconds(c.lockout_seconds);
  o.lockout.failure_delay = std::chrono::seconds(c.failure_delay_seconds);
  o.address_attempts_per_minute = c.address_attempts_per_minute;
  o.totp_window = c.totp_skew_steps;
  o.token_default_days = c.token_default_days;
  o.token_max_days = c.token_max_days;
  o.password_policy.dictionary = c.password_dictionary;
  return o;
}

Result<std::unique_ptr<IdentityService>> IdentityService::Create(Runtime& runtime,
                                                                 IdentityOptions options) {
  auto policy = identity::PasswordPolicy::Create(options.password_policy);
  if (!policy) return tl::unexpected(Annotate(std::move(policy).error(), "identity"));
  std::unique_ptr<IdentityService> service(
      new IdentityService(runtime, std::move(options), std::move(*policy)));
  auto dummy = crypto::HashPassword("vigil-unknown-user", service->options_.password_params);
  if (!dummy) return tl::unexpected(std::move(dummy).error());
  service->dummy_hash_ = std::move(*dummy);
  // Recovery codes are hashed with a key from the key ring (DEK version 1, which every ring
  // keeps), so a stolen database alone does not allow guessing them offline.
  auto key = runtime.ring().DeriveKey("identity/recovery-codes", 1);
  if (!key) return tl::unexpected(std::move(key).error());
  service->recovery_key_ = std::move(*key);
  VIGIL_RETURN_IF_ERROR(service->LoadCaches());
  return service;
}

IdentityService::IdentityService(Runtime& runtime, IdentityOptions options,
                                 identity::PasswordPolicy policy)
    : rt_(runtime),
      options_(std::move(options)),
      policy_(std::move(policy)),
      sessions_(runtime.clock(), options_.sessions),
      address_limiter_(options_.address_attempts_per_minute) {}

IdentityService::~IdentityService() { (void)FlushTokenUse(); }

audit::Actor IdentityService::ActorOf(const identity::Principal& who) {
  std::string id = who.username;
  if (who.via_token()) id += "/token:" + who.token_id;
  return {.kind = audit::ActorKind::kUser, .id = std::move(id)};
}

Status IdentityService::Audit(store::Transaction& tx, const audit::Actor& actor, std::string action,
                              std::string target, nlohmann::json details) {
  auto seq = rt_.audit().Append(tx, {.actor = actor,
                                     .action = std::move(action),
                                     .target = std::move(target),
                                     .details = std::move(details)});
  if (!seq) return tl::unexpected(std::move(seq).error());
  return OkStatus();
}

Status IdentityService::AuditAlone(const audit::Actor& actor, std::string action,
                                   std::string target, nlohmann::json details) {
  return rt_.store().Write([&](store::Transaction& tx) {
    return Audit(tx, actor, std::move(action), std::move(target), std::move(details));
  });
}

Status IdentityService::LoadCaches() {
  std::vector<store::UserRecord> users;
  std::vector<store::TokenRecord> tokens;
  VIGIL_RETURN_IF_ERROR(rt_.store().Read([&](store::ReadTransaction& tx) -> Status {
    auto u = tx.identity().ListUsers();
    if (!u) return tl::unexpected(std::move(u).error());
    auto t = tx.identity().ListTokens();
    if (!t) return tl::unexpected(std::move(t).error());
    users = std::move(*u);
    tokens = std::move(*t);
    return OkStatus();
  }));
  for (const auto& user : users) CacheUser(user);
  std::lock_guard lock(cache_mu_);
  for (auto& token : tokens) {
    if (token.revoked_unix != 0) continue;
    std::string key(token.token_hash.begin(), token.token_hash.end());
    tokens_[key] = CachedToken{.record = std::move(token), .last_audited_unix = 0};
  }
  return OkStatus();
}

void IdentityService::CacheUser(const store::UserRecord& user) {
  std::lock_guard lock(cache_mu_);
  users_[user.id] =
      CachedUser{.username = user.username,
                 .role = identity::ParseRole(user.role).value_or(identity::Role::kAuditor),
                 .disabled = user.disabled,
                 .emergency = user.emergency};
}

Result<store::UserRecord> IdentityService::GetUser(std::string_view user_id) const {
  store::UserRecord user;
  VIGIL_RETURN_IF_ERROR(rt_.store().Read([&](store::ReadTransaction& tx) -> Status {
    auto found = tx.identity().GetUser(user_id);
    if (!found) return tl::unexpected(std::move(found).error());
    user = std::move(*found);
    return OkStatus();
  }));
  return user;
}

Result<store::UserRecord> IdentityService::ResolveUser(std::string_view user_ref) const {
  store::UserRecord user;
  VIGIL_RETURN_IF_ERROR(rt_.store().Read([&](store::ReadTransaction& tx) -> Status {
    auto found = tx.identity().GetUser(user_ref);
    if (!found && found.error().code == ErrorCode::kNotFound) {
      found = tx.identity().FindUserByName(identity::NormalizeUsername(user_ref));
    }
    if (!found) {
      if (found.error().code == ErrorCode::kNotFound) {
        return MakeError(ErrorCode::kNotFound, "no user '" + Printable(user_ref) + "'");
      }
      return tl::unexpected(std::move(found).error());
    }
    user = std::move(*found);
    return OkStatus();
  }));
  return user;
}

Result<std::optional<IssuedUser>> IdentityService::BootstrapFirstAdmin(std::string_view username) {
  auto users = ListUsers();
  if (!users) return tl::unexpected(std::move(users).error());
  if (!users->empty()) return std::optional<IssuedUser>();
  auto issued = AddUser({.kind = audit::ActorKind::kSystem, .id = "vigil serve"}, username,
                        identity::Role::kAdmin, /*emergency=*/false);
  if (!issued) return tl::unexpected(std::move(issued).error());
  return std::optional<IssuedUser>(std::move(*issued));
}

// --- Signing in ---------------------------------------------------------------------------------

AuthOutcome IdentityService::Failure(store::UserRecord user, const std::string& action,
                                     const nlohmann::json& details, const ClientInfo& client) {
  const std::int64_t now = rt_.clock().NowUnixSeconds();
  const identity::FailureOutcome outcome =
      identity::RecordFailure(options_.lockout, user.failed_logins, now);
  user.failed_logins = outcome.failed;
  user.locked_until_unix = outcome.not_before_unix;
  const audit::Actor actor{.kind = audit::ActorKind::kUser, .id = user.username};
  nlohmann::json full = details;
  full["address"] = std::string(identity::AddressOf(client.remote_address));
  full["failures"] = outcome.failed;
  const Status saved = rt_.store().Write([&](store::Transaction& tx) -> Status {
    VIGIL_RETURN_IF_ERROR(tx.identity().UpdateUser(user));
    VIGIL_RETURN_IF_ERROR(Audit(tx, actor, action, "user:" + user.username, full));
    if (outcome.locked_now) {
      VIGIL_RETURN_IF_ERROR(Audit(tx, actor, "auth.account.locked", "user:" + user.username,
                                  {{"severity", "high"},
                                   {"failures", outcome.failed},
                                   {"locked_until", FormatUnix(outcome.not_before_unix)},
                                   {"address", full["address"]}}));
    }
    return OkStatus();
  });
  if (!saved) spdlog::error("identity: recording a failed attempt: {}", saved.error().message);
  if (outcome.locked_now) {
    return {.kind = AuthOutcome::Kind::kLocked,
            .message = "too many failed attempts: the account is locked for " +
                       std::to_string(options_.lockout.lock_for.count()) + " s",
            .retry_after_seconds = options_.lockout.lock_for.count()};
  }
  return {.kind = AuthOutcome::Kind::kInvalid, .message = ""};
}

AuthOutcome IdentityService::Login(std::string_view username, std::string_view password,
                                   const ClientInfo& client) {
  const std::int64_t now = rt_.clock().NowUnixSeconds();
  const std::string name = identity::NormalizeUsername(username);
  const std::string address(identity::AddressOf(client.remote_address));
  const identity::AddressLimiter::Verdict limited = address_limiter_.Attempt(address, now);
  if (limited.retry_after_seconds > 0) {
    if (limited.first_refusal) {
      (void)AuditAlone({.kind = audit::ActorKind::kSystem, .id = "auth"}, "auth.rate_limited",
                       "address:" + address, {{"username", Printable(name)}});
    }
    return {.kind = AuthOutcome::Kind::kRateLimited,
            .message = "too many sign-in attempts from this address; try again in " +
                       std::to_string(limited.retry_after_seconds) + " s",
            .retry_after_seconds = limited.retry_after_seconds};
  }
  const AuthOutcome invalid{.kind = AuthOutcome::Kind::kInvalid,
                            .message = "wrong user name or password"};

  std::optional<store::UserRecord> user;
  Status read = rt_.store().Read([&](store::ReadTransaction& tx) -> Status {
    auto found = tx.identity().FindUserByName(name);
    if (found) user = std::move(*found);
    if (!found && found.error().code != ErrorCode::kNotFound) {
      return tl::unexpected(std::move(found).error());
    }
    return OkStatus();
  });
  if (!read) {
    spdlog::error("identity: login: {}", read.error().message);
    return {.kind = AuthOutcome::Kind::kRateLimited,
            .message = "sign-in is unavailable; try again",
            .retry_after_seconds = 5};
  }
  if (!user || user->disabled) {
    // As slow as a real check, so the answer's timing does not tell which names exist.
    (void)crypto::VerifyPassword(password, dummy_hash_);
    (void)AuditAlone({.kind = audit::ActorKind::kUser, .id = user ? user->username : "<unknown>"},
                     "auth.login.failed", "user:" + Printable(name),
                     {{"username", Printable(name)},
                      {"reason", user ? "disabled" : "unknown user"},
                      {"address", address}});
    return invalid;
  }
  const identity::AttemptVerdict verdict =
      identity::CheckAttempt(options_.lockout, user->failed_logins, user->locked_until_unix, now);
  if (!verdict.allowed) {
    (void)crypto::VerifyPassword(password, dummy_hash_);
    (void)AuditAlone({.kind = audit::ActorKind::kUser, .id = user->username}, "auth.login.refused",
                     "user:" + user->username,
                     {{"reason", verdict.locked ? "locked" : "delay"}, {"address", address}});
    if (verdict.locked) {
      return {.kind = AuthOutcome::Kind::kLocked,
              .message = "the account is locked after repeated failures; try again in " +
                         std::to_string(verdict.retry_after_seconds) + " s",
              .retry_after_seconds = verdict.retry_after_seconds};
    }
    return {.kind = AuthOutcome::Kind::kRateLimited,
            .message = "too many failed attempts; wait " +
                       std::to_string(verdict.retry_after_seconds) + " s and try again",
            .retry_after_seconds = verdict.retry_after_seconds};
  }
  auto matches = crypto::VerifyPassword(password, user->password_hash);
  if (!matches || !*matches) {
    AuthOutcome failed =
        Failure(*user, "auth.login.failed", {{"reason", "wrong password"}}, client);
    return failed.kind == AuthOutcome::Kind::kInvalid ? invalid : failed;
  }
  // Rehash under today's parameters; failures reset only when the second factor succeeds, so
  // knowing the password does not buy unlimited guesses at the code.
  if (auto stale = crypto::NeedsRehash(user->password_hash, options_.password_params);
      stale && *stale) {
    if (auto fresh = crypto::HashPassword(password, options_.password_params)) {
      user->password_hash = std::move(*fresh);
      const Status saved = rt_.store().Write([&](store::Transaction& tx) -> Status {
        VIGIL_RETURN_IF_ERROR(tx.identity().UpdateUser(*user));
        return Audit(tx, {.kind = audit::ActorKind::kUser, .id = user->username},
                     "auth.password.rehashed", "user:" + user->username, nlohmann::json::object());
      });
      if (!saved) spdlog::error("identity: rehash: {}", saved.error().message);
    }
  }
  const SignInStep next = identity::NextStep({.must_change_password = user->must_change_password,
                                              .mfa_enrolled = user->mfa_enrolled,
                                              .emergency = user->emergency});
  auto opened = sessions_.Create(user->id, next, client.remote_address, client.user_agent);
  if (!opened) {
    return {.kind = AuthOutcome::Kind::kRateLimited,
            .message = opened.error().message,
            .retry_after_seconds = 5};
  }
  (void)AuditAlone({.kind = audit::ActorKind::kUser, .id = user->username},
                   "auth.login.password_ok", "user:" + user->username,
                   {{"next", identity::StepName(next)}, {"address", address}});
  return {.kind = AuthOutcome::Kind::kOk,
          .next = next,
          .cookie = std::move(opened->cookie),
          .csrf_token = opened->info.csrf_token};
}

namespace {

Result<identity::SessionInfo> SessionAt(const identity::SessionTable& sessions,
                                        std::string_view session_id,
                                        std::initializer_list<SignInStep> steps) {
  std::optional<identity::SessionInfo> info = sessions.Get(session_id);
  if (!info) return MakeError(ErrorCode::kUnauthenticated, "no session");
  if (std::find(steps.begin(), steps.end(), info->step) == steps.end()) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "this sign-in step is not expected now (next: " +
                         std::string(identity::StepName(info->step)) + ")");
  }
  return *info;
}

}  // namespace

Result<AuthOutcome> IdentityService::ChangeInitialPassword(std::string_view session_id,
                                                           std::string_view new_password,
                                                           const ClientInfo& client) {
  auto session = SessionAt(sessions_, session_id, {SignInStep::kPasswordChange});
  if (!session) return tl::unexpected(std::move(session).error());
  auto user = GetUser(session->user_id);
  if (!user) return tl::unexpected(std::move(user).error());
  VIGIL_RETURN_IF_ERROR(policy_.Check(new_password, user->username));
  if (auto same = crypto::VerifyPassword(new_password, user->password_hash); same && *same) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "choose a new password, not the one-time password");
  }
  auto hash = crypto::HashPassword(new_password, options_.password_params);
  if (!hash) return tl::unexpected(std::move(hash).error());
  user->password_hash = std::move(*hash);
  user->must_change_password = false;
  user->password_changed_unix = rt_.clock().NowUnixSeconds();
  VIGIL_RETURN_IF_ERROR(rt_.store().Write([&](store::Transaction& tx) -> Status {
    VIGIL_RETURN_IF_ERROR(tx.identity().UpdateUser(*user));
    return Audit(tx, {.kind = audit::ActorKind::kUser, .id = user->username},
                 "auth.password.changed", "user:" + user->username,
                 {{"first_login", true},
                  {"address", std::string(identity::AddressOf(client.remote_address))}});
  }));
  const SignInStep next = identity::NextStep({.must_change_password = false,
                                              .mfa_enrolled = user->mfa_enrolled,
                                              .emergency = user->emergency},
                                             SignInStep::kPasswordChange);
  auto advanced = sessions_.Advance(session_id, next);
  if (!advanced) return tl::unexpected(std::move(advanced).error());
  return AuthOutcome{
      .kind = AuthOutcome::Kind::kOk, .next = next, .csrf_token = session->csrf_token};
}

Result<Enrolment> IdentityService::BeginEnrolment(std::string_view session_id) {
  auto session = SessionAt(sessions_, session_id, {SignInStep::kMfaEnrolment});
  if (!session) return tl::unexpected(std::move(session).error());
  auto user = GetUser(session->user_id);
  if (!user) return tl::unexpected(std::move(user).error());
  auto key = crypto::NewTotpKey();
  if (!key) return tl::unexpected(std::move(key).error());
  auto enrolment = DescribeKey(user->username, *key);
  if (!enrolment) return enrolment;
  VIGIL_RETURN_IF_ERROR(sessions_.SetPendingKey(session_id, std::move(*key)));
  return enrolment;
}

AuthOutcome IdentityService::ConfirmEnrolment(std::string_view session_id, std::string_view code,
                                              const ClientInfo& client) {
  auto session = SessionAt(sessions_, session_id, {SignInStep::kMfaEnrolment});
  if (!session) return {.kind = AuthOutcome::Kind::kInvalid, .message = session.error().message};
  auto user = GetUser(session->user_id);
  if (!user) return {.kind = AuthOutcome::Kind::kInvalid, .message = user.error().message};
  const std::int64_t now = rt_.clock().NowUnixSeconds();
  const identity::AttemptVerdict verdict =
      identity::CheckAttempt(options_.lockout, user->failed_logins, user->locked_until_unix, now);
  if (!verdict.allowed) {
    return {.kind = verdict.locked ? AuthOutcome::Kind::kLocked : AuthOutcome::Kind::kRateLimited,
            .message = "too many failed attempts; try again in " +
                       std::to_string(verdict.retry_after_seconds) + " s",
            .retry_after_seconds = verdict.retry_after_seconds};
  }
  auto key = sessions_.PendingKey(session_id);
  if (!key) return {.kind = AuthOutcome::Kind::kInvalid, .message = key.error().message};
  auto step = crypto::VerifyTotp(key->span(), code, now, options_.totp_window, 0);
  if (!step || !step->has_value()) {
    AuthOutcome failed = Failure(*user, "auth.mfa.failed", {{"during", "enrolment"}}, client);
    if (failed.kind == AuthOutcome::Kind::kInvalid) failed.message = "wrong code";
    return failed;
  }
  user->mfa_enrolled = true;
  user->totp_last_step = **step;
  std::vector<std::string> codes;
  const Status saved = rt_.store().Write([&](store::Transaction& tx) -> Status {
    VIGIL_RETURN_IF_ERROR(tx.secrets().Put(TotpSecretName(user->id), key->span()));
    auto fresh = StoreNewRecoveryCodes(tx, user->id);
    if (!fresh) return tl::unexpected(std::move(fresh).error());
    codes = std::move(*fresh);
    VIGIL_RETURN_IF_ERROR(tx.identity().UpdateUser(*user));
    return Audit(tx, {.kind = audit::ActorKind::kUser, .id = user->username}, "auth.mfa.enrolled",
                 "user:" + user->username, {{"method", "totp"}});
  });
  if (!saved) return {.kind = AuthOutcome::Kind::kInvalid, .message = saved.error().message};
  return Succeed(*user, session_id, "totp-enrolment", client, std::move(codes));
}

AuthOutcome IdentityService::Succeed(const store::UserRecord& signed_in,
                                     std::string_view session_id, std::string_view method,
                                     const ClientInfo& client,
                                     std::vector<std::string> recovery_codes) {
  store::UserRecord user = signed_in;
  user.failed_logins = 0;
  user.locked_until_unix = 0;
  user.last_login_unix = rt_.clock().NowUnixSeconds();
  auto cookie = sessions_.Advance(session_id, SignInStep::kDone);
  if (!cookie || !cookie->has_value()) {
    return {.kind = AuthOutcome::Kind::kInvalid, .message = "the sign-in session ended"};
  }
  const Status saved = rt_.store().Write([&](store::Transaction& tx) -> Status {
    VIGIL_RETURN_IF_ERROR(tx.identity().UpdateUser(user));
    nlohmann::json details = {{"method", method},
                              {"address", std::string(identity::AddressOf(client.remote_address))},
                              {"session", std::string(session_id)}};
    if (user.emergency) details["severity"] = "high";
    return Audit(tx, {.kind = audit::ActorKind::kUser, .id = user.username}, "auth.login",
                 "user:" + user.username, std::move(details));
  });
  if (!saved) {
    sessions_.Remove(session_id);
    return {.kind = AuthOutcome::Kind::kInvalid, .message = saved.error().message};
  }
  std::string csrf;
  if (auto info = sessions_.Get(session_id)) csrf = info->csrf_token;
  return {.kind = AuthOutcome::Kind::kOk,
          .next = SignInStep::kDone,
          .cookie = std::move(**cookie),
          .csrf_token = std::move(csrf),
          .recovery_codes = std::move(recovery_codes)};
}

AuthOutcome IdentityService::SecondFactor(std::string_view session_id, FactorKind kind,
                                          std::string_view code, const ClientInfo& client) {
  const SignInStep expected =
      kind == FactorKind::kEmergencyCode ? SignInStep::kEmergencyCode : SignInStep::kMfa;
  auto session = SessionAt(sessions_, session_id, {expected});
  if (!session) return {.kind = AuthOutcome::Kind::kInvalid, .message = session.error().message};
  auto user = GetUser(session->user_id);
  if (!user) return {.kind = AuthOutcome::Kind::kInvalid, .message = user.error().message};
  if (user->disabled) {
    sessions_.Remove(session_id);
    return {.kind = AuthOutcome::Kind::kInvalid, .message = "the account is disabled"};
  }
  const std::int64_t now = rt_.clock().NowUnixSeconds();
  const identity::AttemptVerdict verdict =
      identity::CheckAttempt(options_.lockout, user->failed_logins, user->locked_until_unix, now);
  if (!verdict.allowed) {
    return {.kind = verdict.locked ? AuthOutcome::Kind::kLocked : AuthOutcome::Kind::kRateLimited,
            .message = verdict.locked ? "the account is locked after repeated failures; try "
                                        "again in " +
                                            std::to_string(verdict.retry_after_seconds) + " s"
                                      : "too many failed attempts; wait " +
                                            std::to_string(verdict.retry_after_seconds) + " s",
            .retry_after_seconds = verdict.retry_after_seconds};
  }
  switch (kind) {
    case FactorKind::kTotp: {
      crypto::SecretBytes key;
      Status read = rt_.store().Read([&](store::ReadTransaction& tx) -> Status {
        auto found = tx.secrets().Get(TotpSecretName(user->id));
        if (!found) return tl::unexpected(std::move(found).error());
        key = std::move(*found);
        return OkStatus();
      });
      if (!read) return {.kind = AuthOutcome::Kind::kInvalid, .message = read.error().message};
      auto step =
          crypto::VerifyTotp(key.span(), code, now, options_.totp_window, user->totp_last_step);
      if (!step || !step->has_value()) {
        AuthOutcome failed = Failure(*user, "auth.mfa.failed", {{"method", "totp"}}, client);
        if (failed.kind == AuthOutcome::Kind::kInvalid) failed.message = "wrong code";
        return failed;
      }
      user->totp_last_step = **step;
      return Succeed(*user, session_id, "totp", client);
    }
    case FactorKind::kRecoveryCode: {
      auto hash = RecoveryCodeHash(code);
      std::int64_t remaining = 0;
      const Status used = hash ? rt_.store().Write([&](store::Transaction& tx) -> Status {
        VIGIL_RETURN_IF_ERROR(tx.identity().UseRecoveryCode(user->id, *hash, now));
        auto codes = tx.identity().RecoveryCodes(user->id);
        if (!codes) return tl::unexpected(std::move(codes).error());
        remaining = std::count_if(codes->begin(), codes->end(),
                                  [](const auto& c) { return c.used_unix == 0; });
        return Audit(tx, {.kind = audit::ActorKind::kUser, .id = user->username},
                     "auth.recovery_code.used", "user:" + user->username,
                     {{"remaining", remaining}});
      })
                               : Status(tl::unexpected(hash.error()));
      if (!used) {
        AuthOutcome failed =
            Failure(*user, "auth.mfa.failed", {{"method", "recovery_code"}}, client);
        if (failed.kind == AuthOutcome::Kind::kInvalid) failed.message = "wrong recovery code";
        return failed;
      }
      return Succeed(*user, session_id, "recovery_code", client);
    }
    case FactorKind::kEmergencyCode: {
      std::string stored;
      Status read = rt_.store().Read([&](store::ReadTransaction& tx) -> Status {
        auto found = tx.secrets().Get(EmergencySecretName(user->id));
        if (!found) return tl::unexpected(std::move(found).error());
        stored.assign(reinterpret_cast<const char*>(found->data()), found->size());
        return OkStatus();
      });
      const std::string normalized = identity::NormalizeCode(code);
      auto matches = read ? crypto::VerifyPassword(normalized, stored)
                          : crypto::VerifyPassword(normalized, dummy_hash_);
      if (!read || !matches || !*matches) {
        AuthOutcome failed = Failure(*user, "auth.emergency.failed",
                                     {{"severity", "high"}, {"used_up", !read}}, client);
        if (failed.kind == AuthOutcome::Kind::kInvalid) {
          failed.message = read ? "wrong emergency code"
                                : "this emergency code was used; an administrator must issue "
                                  "a new one";
        }
        return failed;
      }
      // Single use: the hash goes in the same transaction that records the use.
      const Status consumed = rt_.store().Write([&](store::Transaction& tx) -> Status {
        VIGIL_RETURN_IF_ERROR(tx.secrets().Remove(EmergencySecretName(user->id)));
        return Audit(tx, {.kind = audit::ActorKind::kUser, .id = user->username},
                     "auth.emergency.used", "user:" + user->username,
                     {{"severity", "high"},
                      {"review_required", true},
                      {"address", std::string(identity::AddressOf(client.remote_address))}});
      });
      if (!consumed)
        return {.kind = AuthOutcome::Kind::kInvalid, .message = consumed.error().message};
      return Succeed(*user, session_id, "emergency_code", client);
    }
  }
  return {.kind = AuthOutcome::Kind::kInvalid, .message = "unknown factor"};
}

// --- Every request ------------------------------------------------------------------------------

Result<identity::SessionInfo> IdentityService::FindSession(std::string_view cookie, bool person) {
  return sessions_.Find(cookie, person);
}

Result<identity::Principal> IdentityService::PrincipalFor(const identity::SessionInfo& session) {
  std::lock_guard lock(cache_mu_);
  const auto user = users_.find(session.user_id);
  if (user == users_.end() || user->second.disabled) {
    return MakeError(ErrorCode::kUnauthenticated, "the account is disabled");
  }
  return identity::Principal{.user_id = session.user_id,
                             .username = user->second.username,
                             .role = user->second.role,
                             .emergency = user->second.emergency,
                             .session_id = session.id,
                             .token_id = {},
                             .token_scopes = {}};
}

Result<std::vector<std::uint8_t>> IdentityService::RecoveryCodeHash(std::string_view code) const {
  const std::string normalized = identity::NormalizeCode(code);
  if (normalized.size() != 12) {
    return MakeError(ErrorCode::kInvalidArgument, "a recovery code has 12 characters");
  }
  const crypto::Sha256Digest mac = crypto::HmacSha256(recovery_key_.span(), AsBytes(normalized));
  return std::vector<std::uint8_t>(mac.begin(), mac.end());
}

Result<std::vector<std::string>> IdentityService::StoreNewRecoveryCodes(store::Transaction& tx,
                                                                        std::string_view user_id) {
  auto codes = identity::NewRecoveryCodes(10);
  if (!codes) return tl::unexpected(std::move(codes).error());
  std::vector<std::vector<std::uint8_t>> hashes;
  for (const std::string& code : *codes) {
    auto hash = RecoveryCodeHash(code);
    if (!hash) return tl::unexpected(std::move(hash).error());
    hashes.push_back(std::move(*hash));
  }
  VIGIL_RETURN_IF_ERROR(tx.identity().ReplaceRecoveryCodes(user_id, hashes));
  return codes;
}

}  // namespace vigil::server
