// IdentityService on a real data directory (SQLite store, key ring, audit log): the rules that
// the HTTP tests cannot see from outside.

#include "server/identity_service.h"

#include <gtest/gtest.h>

#include "core/hex.h"
#include "crypto/password.h"
#include "crypto/totp.h"
#include "server/identity_text.h"
#include "server/runtime.h"
#include "testing/fixtures.h"

namespace vigil::server {
namespace {

constexpr std::string_view kPassphrase = "granite otter lantern meadow";
const audit::Actor kAdmin{.kind = audit::ActorKind::kUser, .id = "root-admin"};
const ClientInfo kClient{.remote_address = "10.1.2.3:4444", .user_agent = "test"};

class IdentityServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_.storage.data_dir = (dir_ / "data").string();
    config_.identity.failure_delay_seconds = 0;
    Reopen();
  }

  // Opens the data directory (again) with config_.
  void Reopen() {
    rt_.reset();
    auto rt = Runtime::Open(config_, {.create = true});
    ASSERT_TRUE(rt) << rt.error().message;
    rt_ = std::move(*rt);
  }

  IdentityService& id() { return rt_->identity(); }

  struct SignedIn {
    std::string cookie;
    std::string session_id;
    std::string totp_secret;
  };

  // Creates `name` and signs it in all the way: password change, enrolment, first code.
  SignedIn CreateAndSignIn(const std::string& name, const std::string& role) {
    auto issued = id().CreateUser(kAdmin, name, role);
    EXPECT_TRUE(issued) << issued.error().message;
    AuthOutcome login = id().Login(name, issued->one_time_password, kClient);
    EXPECT_EQ(login.next, identity::SignInStep::kPasswordChange);
    const std::string session = SessionId(login.cookie);
    auto changed = id().ChangeInitialPassword(session, kPassphrase, kClient);
    EXPECT_TRUE(changed) << changed.error().message;
    auto enrolment = id().BeginEnrolment(session);
    EXPECT_TRUE(enrolment) << enrolment.error().message;
    const std::string code = Code(enrolment->secret_base32);
    AuthOutcome done = id().ConfirmEnrolment(session, code, kClient);
    EXPECT_EQ(done.kind, AuthOutcome::Kind::kOk) << done.message;
    EXPECT_EQ(done.recovery_codes.size(), 10U);
    recovery_codes_ = done.recovery_codes;
    return {.cookie = done.cookie, .session_id = session, .totp_secret = enrolment->secret_base32};
  }

  std::string SessionId(const std::string& cookie) {
    auto session = id().FindSession(cookie, false);
    EXPECT_TRUE(session) << session.error().message;
    return session ? session->id : std::string();
  }

  static std::string Code(const std::string& secret, std::int64_t offset = 0) {
    auto key = crypto::Base32Decode(secret);
    auto code = crypto::TotpCode(key->span(), std::time(nullptr) + offset);
    return code ? *code : std::string();
  }

  identity::Principal PrincipalOf(const SignedIn& who) {
    auto session = id().FindSession(who.cookie, false);
    EXPECT_TRUE(session);
    auto principal = id().PrincipalFor(*session);
    EXPECT_TRUE(principal) << principal.error().message;
    return *principal;
  }

  std::string AuditActions() {
    std::string actions;
    (void)rt_->store().Read([&](store::ReadTransaction& tx) -> Status {
      return tx.audit().Scan(1, -1, [&](const store::AuditRow& row) {
        actions += row.action + " " + row.details_json + "\n";
        return true;
      });
    });
    return actions;
  }

  testing::TempDir dir_;
  config::Config config_;
  std::unique_ptr<Runtime> rt_;
  std::vector<std::string> recovery_codes_;
};

TEST_F(IdentityServiceTest, FirstAdminOnlyWhenThereAreNoAccounts) {
  auto first = id().BootstrapFirstAdmin("admin");
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->user.role, "admin");
  EXPECT_TRUE((*first)->user.must_change_password);
  auto again = id().BootstrapFirstAdmin("admin");
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->has_value());
}

TEST_F(IdentityServiceTest, RecoveryCodeWorksOnceAndCountsDown) {
  const SignedIn alice = CreateAndSignIn("alice", "security_analyst");
  const std::string code = recovery_codes_.front();

  AuthOutcome login = id().Login("alice", kPassphrase, kClient);
  ASSERT_EQ(login.next, identity::SignInStep::kMfa);
  AuthOutcome used = id().SecondFactor(SessionId(login.cookie),
                                       IdentityService::FactorKind::kRecoveryCode, code, kClient);
  EXPECT_EQ(used.kind, AuthOutcome::Kind::kOk) << used.message;

  AuthOutcome again = id().Login("alice", kPassphrase, kClient);
  AuthOutcome reused = id().SecondFactor(SessionId(again.cookie),
                                         IdentityService::FactorKind::kRecoveryCode, code, kClient);
  EXPECT_EQ(reused.kind, AuthOutcome::Kind::kInvalid);
  EXPECT_NE(AuditActions().find(R"(auth.recovery_code.used {"remaining":9})"), std::string::npos)
      << AuditActions();
}

TEST_F(IdentityServiceTest, PasswordAloneNeverClearsFailedCodes) {
  config_.identity.lockout_threshold = 3;
  Reopen();
  const SignedIn bob = CreateAndSignIn("bob", "auditor");
  for (int i = 0; i < 3; ++i) {
    AuthOutcome login = id().Login("bob", kPassphrase, kClient);
    if (login.kind != AuthOutcome::Kind::kOk) {
      EXPECT_EQ(login.kind, AuthOutcome::Kind::kLocked);  // The lock came from the codes.
      break;
    }
    (void)id().SecondFactor(SessionId(login.cookie), IdentityService::FactorKind::kTotp, "000000",
                            kClient);
  }
  auto user = id().GetUser(PrincipalOf(bob).user_id);
  ASSERT_TRUE(user);
  EXPECT_GE(user->failed_logins, 3) << "correct passwords reset the counter of wrong codes";
  EXPECT_GT(user->locked_until_unix, 0);
}

TEST_F(IdentityServiceTest, RehashesAPasswordMadeWithOldParameters) {
  const SignedIn carol = CreateAndSignIn("carol", "auditor");
  auto user = id().GetUser(PrincipalOf(carol).user_id);
  ASSERT_TRUE(user);
  // As if the hash had been made by an older Vigil with a smaller memory cost.
  auto old = crypto::HashPassword(kPassphrase, {.memory_kib = 8192, .iterations = 1});
  ASSERT_TRUE(old);
  user->password_hash = *old;
  ASSERT_TRUE(
      rt_->store().Write([&](store::Transaction& tx) { return tx.identity().UpdateUser(*user); }));

  AuthOutcome login = id().Login("carol", kPassphrase, kClient);
  EXPECT_EQ(login.kind, AuthOutcome::Kind::kOk);
  auto after = id().GetUser(user->id);
  ASSERT_TRUE(after);
  EXPECT_NE(after->password_hash, *old);
  EXPECT_FALSE(*crypto::NeedsRehash(after->password_hash, id().options().password_params));
  EXPECT_TRUE(*crypto::VerifyPassword(kPassphrase, after->password_hash));
}

TEST_F(IdentityServiceTest, UnknownUserIsAuditedWithTheNameTried) {
  AuthOutcome login = id().Login("Mallory\x01", "whatever whatever", kClient);
  EXPECT_EQ(login.kind, AuthOutcome::Kind::kInvalid);
  EXPECT_EQ(login.message, "wrong user name or password");
  EXPECT_NE(AuditActions().find(R"("username":"mallory?")"), std::string::npos) << AuditActions();
}

TEST_F(IdentityServiceTest, AddressLimitStopsGuessingAcrossAccounts) {
  config_.identity.address_attempts_per_minute = 3;
  Reopen();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(id().Login("user" + std::to_string(i), "x", kClient).kind,
              AuthOutcome::Kind::kInvalid);
  }
  AuthOutcome limited = id().Login("user9", "x", kClient);
  EXPECT_EQ(limited.kind, AuthOutcome::Kind::kRateLimited);
  EXPECT_GT(limited.retry_after_seconds, 0);
  const ClientInfo elsewhere{.remote_address = "10.9.9.9:1", .user_agent = ""};
  EXPECT_EQ(id().Login("user9", "x", elsewhere).kind, AuthOutcome::Kind::kInvalid);
}

TEST_F(IdentityServiceTest, TokensNeverExceedTheirOwner) {
  const SignedIn dave = CreateAndSignIn("dave", "network_engineer");
  const identity::Principal who = PrincipalOf(dave);
  auto refused = id().CreateToken(who, "too-much", {"users.manage"}, 30);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied);
  auto unknown = id().CreateToken(who, "typo", {"users.mange"}, 30);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
  auto too_long = id().CreateToken(who, "long", {"self"}, 10000);
  EXPECT_FALSE(too_long);

  auto issued = id().CreateToken(who, "probe", {"self"}, 0);
  ASSERT_TRUE(issued) << issued.error().message;
  EXPECT_EQ(issued->token.expires_unix - issued->token.created_unix, 90 * 86400);
  auto principal = id().AuthenticateToken(issued->secret, kClient);
  ASSERT_TRUE(principal) << principal.error().message;
  EXPECT_TRUE(principal->Has(identity::Permission::kSelf));
  EXPECT_FALSE(principal->Has(identity::Permission::kTokensOwn));  // Not in its scopes.

  // Disabling the owner stops the token and ends the sessions at once.
  ASSERT_TRUE(id().SetDisabled(kAdmin, "dave", true));
  EXPECT_FALSE(id().AuthenticateToken(issued->secret, kClient));
  EXPECT_FALSE(id().FindSession(dave.cookie, false));
}

TEST_F(IdentityServiceTest, RotatedTokenReplacesTheOldOne) {
  const SignedIn erin = CreateAndSignIn("erin", "security_analyst");
  const identity::Principal who = PrincipalOf(erin);
  auto first = id().CreateToken(who, "siem", {"self", "tokens.own"}, 10);
  ASSERT_TRUE(first);
  auto second = id().RotateToken(who, first->token.id, false);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_FALSE(id().AuthenticateToken(first->secret, kClient));
  EXPECT_TRUE(id().AuthenticateToken(second->secret, kClient));
  EXPECT_EQ(second->token.scopes, first->token.scopes);
  // Someone else's token is not found for a caller without tokens.manage.
  const SignedIn frank = CreateAndSignIn("frank", "auditor");
  auto foreign = id().RevokeToken(PrincipalOf(frank), second->token.id, false);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, ErrorCode::kNotFound);
}

TEST_F(IdentityServiceTest, ChangingThePasswordEndsOtherSessions) {
  const SignedIn gina = CreateAndSignIn("gina", "clinical_engineer");
  AuthOutcome other = id().Login("gina", kPassphrase, kClient);
  ASSERT_EQ(other.kind, AuthOutcome::Kind::kOk);
  auto wrong = id().ChangePassword(PrincipalOf(gina), "not my password", "quartz heron", kClient);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);
  auto weak = id().ChangePassword(PrincipalOf(gina), kPassphrase, "password1234", kClient);
  ASSERT_FALSE(weak);
  EXPECT_EQ(weak.error().code, ErrorCode::kInvalidArgument);
  ASSERT_TRUE(
      id().ChangePassword(PrincipalOf(gina), kPassphrase, "velvet quarry bishop tundra", kClient));
  EXPECT_TRUE(id().FindSession(gina.cookie, false));
  EXPECT_FALSE(id().FindSession(other.cookie, false));
}

TEST_F(IdentityServiceTest, EmergencyCodeIsSingleUseAndReviewedBySomeoneElse) {
  auto glass = id().CreateEmergencyUser(kAdmin, "glass");
  ASSERT_TRUE(glass) << glass.error().message;
  ASSERT_FALSE(glass->emergency_code.empty());
  AuthOutcome login = id().Login("glass", glass->one_time_password, kClient);
  std::string session = SessionId(login.cookie);
  auto changed = id().ChangeInitialPassword(session, kPassphrase, kClient);
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->next, identity::SignInStep::kEmergencyCode);
  // A TOTP code is not what this step takes.
  EXPECT_EQ(id().SecondFactor(session, IdentityService::FactorKind::kTotp, "123456", kClient).kind,
            AuthOutcome::Kind::kInvalid);
  AuthOutcome used = id().SecondFactor(session, IdentityService::FactorKind::kEmergencyCode,
                                       glass->emergency_code, kClient);
  ASSERT_EQ(used.kind, AuthOutcome::Kind::kOk) << used.message;

  AuthOutcome again = id().Login("glass", kPassphrase, kClient);
  AuthOutcome reused =
      id().SecondFactor(SessionId(again.cookie), IdentityService::FactorKind::kEmergencyCode,
                        glass->emergency_code, kClient);
  EXPECT_EQ(reused.kind, AuthOutcome::Kind::kInvalid);

  std::int64_t use_seq = 0;
  (void)rt_->store().Read([&](store::ReadTransaction& tx) -> Status {
    return tx.audit().Scan(1, -1, [&](const store::AuditRow& row) {
      if (row.action == "auth.emergency.used") {
        use_seq = row.seq;
        EXPECT_NE(row.details_json.find(R"("severity":"high")"), std::string::npos);
      }
      return true;
    });
  });
  ASSERT_GT(use_seq, 0);
  const audit::Actor self{.kind = audit::ActorKind::kUser, .id = "glass"};
  auto own = id().ReviewEmergencyUse(self, use_seq, "I used it");
  ASSERT_FALSE(own);
  EXPECT_EQ(own.error().code, ErrorCode::kPermissionDenied);
  EXPECT_TRUE(id().ReviewEmergencyUse(kAdmin, use_seq, "night shift, PACS outage, ticket 4711"));
  EXPECT_FALSE(id().ReviewEmergencyUse(kAdmin, 1, "not an emergency entry"));
}

TEST_F(IdentityServiceTest, TheLastAdministratorStays) {
  auto first = id().BootstrapFirstAdmin("admin");
  ASSERT_TRUE(first && first->has_value());
  auto demoted = id().SetRole(kAdmin, "admin", "auditor");
  ASSERT_FALSE(demoted);
  EXPECT_EQ(demoted.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_FALSE(id().SetDisabled(kAdmin, "admin", true));
  ASSERT_TRUE(id().CreateUser(kAdmin, "second", "admin"));
  EXPECT_TRUE(id().SetRole(kAdmin, "admin", "auditor"));
  EXPECT_FALSE(id().SetDisabled(kAdmin, "second", true));
}

TEST_F(IdentityServiceTest, ResetMfaMeansEnrollingAgain) {
  const SignedIn hank = CreateAndSignIn("hank", "auditor");
  ASSERT_TRUE(id().ResetMfa(kAdmin, "hank"));
  EXPECT_FALSE(id().FindSession(hank.cookie, false));
  AuthOutcome login = id().Login("hank", kPassphrase, kClient);
  EXPECT_EQ(login.next, identity::SignInStep::kMfaEnrolment);
  EXPECT_NE(AuditActions().find(R"(user.reset_mfa {"severity":"high"})"), std::string::npos);
}

}  // namespace
}  // namespace vigil::server
