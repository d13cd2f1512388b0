#pragma once

// IdentityService: operator accounts, signing in with a password and a second factor, sessions,
// API tokens and the break-glass account, each change and every authentication event written
// to the audit log in the same transaction as the change.
//
// Where things are kept: accounts, recovery-code hashes and token hashes in the store
// (store/identity_repo.h); TOTP keys and emergency-code hashes sealed in the store's secrets
// ("totp/<user id>", "emergency-code/<user id>"); sessions in memory (identity/sessions.h).
// Account facts needed on every request (role, disabled) and active tokens are cached in
// memory; every change goes through this service, which keeps the caches true.
//
// Slow calls (marked "Argon2id") hash or verify a password or emergency code: call them on a
// worker thread, never on a network thread. Everything else is fast.
//
// Refusals a person can cause (wrong password, wrong code, lockout, rate limit) are not errors:
// they come back as an AuthOutcome. Errors are reserved for bad input (kInvalidArgument, with
// a message for the person), missing things (kNotFound), permission (kPermissionDenied), and
// failures of the store (passed on).
//
// Thread safety: every member may be called from any thread.

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "audit/event.h"
#include "config/config.h"
#include "crypto/password.h"
#include "crypto/secret.h"
#include "identity/lockout.h"
#include "identity/password_policy.h"
#include "identity/permissions.h"
#include "identity/principal.h"
#include "identity/sessions.h"
#include "identity/sign_in.h"
#include "store/identity_repo.h"
#include "store/store.h"

namespace vigil::server {

class Runtime;

struct IdentityOptions {
  identity::SessionLimits sessions;
  identity::LockoutPolicy lockout;
  std::int64_t address_attempts_per_minute = 30;
  int totp_window = 1;
  std::int64_t token_default_days = 90;
  std::int64_t token_max_days = 365;
  crypto::PasswordParams password_params;
  identity::PasswordPolicyOptions password_policy;
  std::string issuer = "Vigil";  // Shown by authenticator apps.

  static IdentityOptions FromConfig(const config::IdentityConfig& config);
};

// Where a request came from, for the audit log, the rate limit and the session list.
struct ClientInfo {
  std::string remote_address;  // "10.1.2.3:5555"
  std::string user_agent;
};

struct AuthOutcome {
  enum class Kind { kOk, kInvalid, kLocked, kRateLimited };
  Kind kind = Kind::kOk;
  std::string message;  // For refusals: what to tell the person.
  std::int64_t retry_after_seconds = 0;
  identity::SignInStep next = identity::SignInStep::kDone;
  std::string cookie;  // A new session cookie value to send, if any.
  std::string csrf_token;
  std::vector<std::string> recovery_codes;  // After enrolment: shown once.
};

struct Enrolment {
  std::string secret_base32;
  std::string otpauth_uri;
  std::string qr_svg;
  std::string qr_terminal;
};

struct IssuedUser {
  store::UserRecord user;
  std::string one_time_password;  // Shown once.
  std::string emergency_code;     // Break-glass accounts only; shown once.
};

struct IssuedToken {
  store::TokenRecord token;
  std::string secret;  // "vgl_...", shown once.
};

struct CredentialReport {
  struct Item {
    std::string kind;  // "token" or "password"
    std::string id;    // Token id or user id.
    std::string name;  // Token name or user name.
    std::string owner;
    std::string reason;  // "expires soon", "unused for 90 days", "never used"...
    std::int64_t expires_unix = 0;
    std::int64_t last_used_unix = 0;
  };
  std::vector<Item> items;
};

class IdentityService {
 public:
  static Result<std::unique_ptr<IdentityService>> Create(Runtime& runtime, IdentityOptions options);
  ~IdentityService();

  // First start: when there are no accounts, creates the admin `username` with a one-time
  // password (Argon2id). Returns nullopt when accounts exist.
  Result<std::optional<IssuedUser>> BootstrapFirstAdmin(std::string_view username);

  // --- Signing in ---------------------------------------------------------------------------
  AuthOutcome Login(std::string_view username, std::string_view password,
                    const ClientInfo& client);  // Argon2id
  // The first-login password change of a session at SignInStep::kPasswordChange. Argon2id.
  Result<AuthOutcome> ChangeInitialPassword(std::string_view session_id,
                                            std::string_view new_password,
                                            const ClientInfo& client);
  Result<Enrolment> BeginEnrolment(std::string_view session_id);
  AuthOutcome ConfirmEnrolment(std::string_view session_id, std::string_view code,
                               const ClientInfo& client);
  enum class FactorKind { kTotp, kRecoveryCode, kEmergencyCode };
  // The second factor of a session at kMfa (TOTP or recovery code) or kEmergencyCode
  // (Argon2id for the emergency code).
  AuthOutcome SecondFactor(std::string_view session_id, FactorKind kind, std::string_view code,
                           const ClientInfo& client);

  // MFA enrolment at the console, for a person setting up their own account without a browser:
  // the key waits sealed ("totp-pending/<user id>") until a code from the app confirms it.
  // Returns the key, URI and QR codes (the CLI prints the terminal one); Confirm returns the
  // recovery codes. kFailedPrecondition for the emergency account or with nothing pending.
  Result<Enrolment> BeginConsoleEnrolment(const audit::Actor& actor, std::string_view user_ref);
  Result<std::vector<std::string>> ConfirmConsoleEnrolment(const audit::Actor& actor,
                                                           std::string_view user_ref,
                                                           std::string_view code);

  // --- Every request --------------------------------------------------------------------------
  // The session behind a cookie value; `person` marks a request the person made (extends it).
  Result<identity::SessionInfo> FindSession(std::string_view cookie, bool person);
  // The principal of a signed-in session: kUnauthenticated if the account was disabled.
  Result<identity::Principal> PrincipalFor(const identity::SessionInfo& session);
  // The principal of an API token: kUnauthenticated for an unknown, expired or revoked token or
  // a disabled owner (each failure audited), kResourceExhausted when `client` sent too many
  // bad tokens.
  Result<identity::Principal> AuthenticateToken(std::string_view token, const ClientInfo& client);

  // --- One's own account ----------------------------------------------------------------------
  Status Logout(const identity::Principal& who, const ClientInfo& client);
  Status LogoutEverywhere(const identity::Principal& who, const ClientInfo& client);
  // Argon2id. kUnauthenticated for a wrong current password, kInvalidArgument for a weak one.
  Status ChangePassword(const identity::Principal& who, std::string_view current,
                        std::string_view next, const ClientInfo& client);
  // New recovery codes, after a current TOTP code (kUnauthenticated if wrong).
  Result<std::vector<std::string>> RegenerateRecoveryCodes(const identity::Principal& who,
                                                           std::string_view totp_code);
  std::vector<identity::SessionInfo> Sessions(std::string_view user_id) const;
  Status EndSession(const identity::Principal& who, std::string_view session_id);
  Result<store::UserRecord> GetUser(std::string_view user_id) const;

  // --- Administration (the caller checked the permission; `actor` is written to the audit) --
  Result<std::vector<store::UserRecord>> ListUsers() const;
  Result<IssuedUser> CreateUser(const audit::Actor& actor, std::string_view username,
                                std::string_view role);  // Argon2id
  // The break-glass account: admin role, no TOTP, signs in with password + emergency code.
  Result<IssuedUser> CreateEmergencyUser(const audit::Actor& actor,
                                         std::string_view username);  // Argon2id
  // A new emergency code for the break-glass account (after one was used). Argon2id.
  Result<IssuedUser> ReissueEmergencyCode(const audit::Actor& actor, std::string_view user_ref);
  // Records the review a person made of a break-glass use (`use_seq`: its audit entry).
  Status ReviewEmergencyUse(const audit::Actor& actor, std::int64_t use_seq,
                            std::string_view notes);
  // `user_ref` is a user id or a user name.
  Result<store::UserRecord> SetDisabled(const audit::Actor& actor, std::string_view user_ref,
                                        bool disabled);
  Result<store::UserRecord> SetRole(const audit::Actor& actor, std::string_view user_ref,
                                    std::string_view role);
  Result<store::UserRecord> ResetMfa(const audit::Actor& actor, std::string_view user_ref);
  Result<IssuedUser> ResetPassword(const audit::Actor& actor,
                                   std::string_view user_ref);  // Argon2id
  Result<store::UserRecord> Unlock(const audit::Actor& actor, std::string_view user_ref);

  // --- API tokens -----------------------------------------------------------------------------
  // The caller's own tokens; everyone's when `all`.
  Result<std::vector<store::TokenRecord>> ListTokens(const identity::Principal& who, bool all);
  // Scopes must be permission names the owner's role holds; `days` 0 means the default.
  Result<IssuedToken> CreateToken(const identity::Principal& who, std::string_view name,
                                  const std::vector<std::string>& scopes, std::int64_t days);
  // `manage`: the caller may act on other users' tokens.
  Result<IssuedToken> RotateToken(const identity::Principal& who, std::string_view token_id,
                                  bool manage);
  Status RevokeToken(const identity::Principal& who, std::string_view token_id, bool manage);
  Result<CredentialReport> Report(std::int64_t soon_days = 14, std::int64_t unused_days = 90);

  // Writes tokens' last-use times gathered in memory to the store (called now and then).
  Status FlushTokenUse();
  // Ends expired sessions, recording each automatic logoff in the audit log.
  Status SweepSessions();

  const IdentityOptions& options() const { return options_; }

  // The audit actor for a principal: the user name, or "<user>/token:<id>" for a token.
  static audit::Actor ActorOf(const identity::Principal& who);

 private:
  struct CachedUser {
    std::string username;
    identity::Role role = identity::Role::kAuditor;
    bool disabled = false;
    bool emergency = false;
  };
  struct CachedToken {
    store::TokenRecord record;
    std::int64_t last_audited_unix = 0;
  };

  IdentityService(Runtime& runtime, IdentityOptions options, identity::PasswordPolicy policy);

  Status LoadCaches();
  void CacheUser(const store::UserRecord& user);
  Result<store::UserRecord> ResolveUser(std::string_view user_ref) const;
  // Records a failed attempt on `user` and returns the refusal to give.
  AuthOutcome Failure(store::UserRecord user, const std::string& action,
                      const nlohmann::json& details, const ClientInfo& client);
  AuthOutcome Succeed(const store::UserRecord& user, std::string_view session_id,
                      std::string_view method, const ClientInfo& client,
                      std::vector<std::string> recovery_codes = {});
  Result<std::vector<std::uint8_t>> RecoveryCodeHash(std::string_view code) const;
  Result<Enrolment> DescribeKey(const std::string& username, const crypto::SecretBytes& key) const;
  Result<std::vector<std::string>> StoreNewRecoveryCodes(store::Transaction& tx,
                                                         std::string_view user_id);
  Result<IssuedUser> AddUser(const audit::Actor& actor, std::string_view username,
                             identity::Role role, bool emergency);
  Status Audit(store::Transaction& tx, const audit::Actor& actor, std::string action,
               std::string target, nlohmann::json details);
  Status AuditAlone(const audit::Actor& actor, std::string action, std::string target,
                    nlohmann::json details);

  Runtime& rt_;
  const IdentityOptions options_;
  const identity::PasswordPolicy policy_;
  identity::SessionTable sessions_;
  identity::AddressLimiter address_limiter_;
  std::string dummy_hash_;  // Verified for unknown users, so they take as long as known ones.
  crypto::SecretBytes recovery_key_;  // HMAC key for recovery-code hashes.

  mutable std::mutex cache_mu_;
  std::unordered_map<std::string, CachedUser> users_;        // By user id.
  std::unordered_map<std::string, CachedToken> tokens_;      // By raw SHA-256 of the token.
  std::unordered_map<std::string, std::int64_t> token_use_;  // Token id -> last use, unflushed.
};

}  // namespace vigil::server
