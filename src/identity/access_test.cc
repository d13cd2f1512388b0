// Tests of the pure access rules: permissions, principals, sign-in steps and lockout.

#include <gtest/gtest.h>

#include "identity/lockout.h"
#include "identity/permissions.h"
#include "identity/principal.h"
#include "identity/sign_in.h"

namespace vigil::identity {
namespace {

TEST(Permissions, NamesRoundTrip) {
  for (Role role : AllRoles()) EXPECT_EQ(ParseRole(RoleName(role)), role);
  for (Permission permission : AllPermissions()) {
    EXPECT_EQ(ParsePermission(PermissionName(permission)), permission);
  }
  EXPECT_EQ(ParseRole("root"), std::nullopt);
  EXPECT_EQ(ParsePermission("users.*"), std::nullopt);
}

TEST(Permissions, AuditorReadsButChangesNothing) {
  EXPECT_TRUE(RoleHas(Role::kAuditor, Permission::kAuditRead));
  EXPECT_TRUE(RoleHas(Role::kAuditor, Permission::kUsersRead));
  EXPECT_FALSE(RoleHas(Role::kAuditor, Permission::kUsersManage));
  EXPECT_FALSE(RoleHas(Role::kAuditor, Permission::kTokensManage));
  EXPECT_FALSE(RoleHas(Role::kSecurityAnalyst, Permission::kUsersRead));
  EXPECT_EQ(RolePermissions(Role::kAdmin).size(), AllPermissions().size());
}

TEST(Principal, TokenScopesNarrowTheRole) {
  Principal analyst{.role = Role::kSecurityAnalyst,
                    .token_id = "t",
                    .token_scopes = {Permission::kSelf, Permission::kUsersManage}};
  EXPECT_TRUE(analyst.Has(Permission::kSelf));
  EXPECT_FALSE(analyst.Has(Permission::kUsersManage));  // Scope beyond the role: no.
  EXPECT_FALSE(analyst.Has(Permission::kTokensOwn));    // Role without the scope: no.
  Principal admin{.role = Role::kAdmin};
  EXPECT_TRUE(admin.Has(Permission::kUsersManage));
}

TEST(SignIn, StepsInOrder) {
  const AccountFacts first{.must_change_password = true, .mfa_enrolled = false};
  EXPECT_EQ(NextStep(first), SignInStep::kPasswordChange);
  EXPECT_EQ(NextStep(first, SignInStep::kPasswordChange), SignInStep::kMfaEnrolment);
  EXPECT_EQ(NextStep(first, SignInStep::kMfaEnrolment), SignInStep::kDone);
  const AccountFacts usual{.mfa_enrolled = true};
  EXPECT_EQ(NextStep(usual), SignInStep::kMfa);
  EXPECT_EQ(NextStep(usual, SignInStep::kMfa), SignInStep::kDone);
  const AccountFacts glass{.emergency = true};
  EXPECT_EQ(NextStep(glass), SignInStep::kEmergencyCode);
  EXPECT_EQ(NextStep(glass, SignInStep::kEmergencyCode), SignInStep::kDone);
  EXPECT_EQ(StepName(SignInStep::kMfaEnrolment), "mfa_enrolment");
}

TEST(Lockout, DelaysThenLocks) {
  const LockoutPolicy policy{.delay_after = 3,
                             .failure_delay = std::chrono::seconds(1),
                             .max_delay = std::chrono::seconds(4),
                             .lock_after = 6,
                             .lock_for = std::chrono::seconds(900)};
  std::int64_t failed = 0;
  std::int64_t not_before = 0;
  std::vector<std::int64_t> waits;
  for (int i = 0; i < 6; ++i) {
    const FailureOutcome outcome = RecordFailure(policy, failed, 1000);
    failed = outcome.failed;
    not_before = outcome.not_before_unix;
    waits.push_back(not_before - 1000);
    EXPECT_EQ(outcome.locked_now, i == 5);
  }
  EXPECT_EQ(waits, (std::vector<std::int64_t>{0, 0, 1, 2, 4, 900}));
  const AttemptVerdict verdict = CheckAttempt(policy, failed, not_before, 1010);
  EXPECT_FALSE(verdict.allowed);
  EXPECT_TRUE(verdict.locked);
  EXPECT_EQ(verdict.retry_after_seconds, 890);
  EXPECT_TRUE(CheckAttempt(policy, failed, not_before, 1900).allowed);
  // A failure after the lock ran out locks again at once.
  EXPECT_TRUE(RecordFailure(policy, failed, 1900).locked_now);
}

TEST(Lockout, ZeroDelayOnlyLocks) {
  const LockoutPolicy policy{.failure_delay = std::chrono::seconds(0), .lock_after = 5};
  EXPECT_EQ(RecordFailure(policy, 3, 50).not_before_unix, 50);
  EXPECT_TRUE(RecordFailure(policy, 4, 50).locked_now);
}

TEST(AddressLimiter, CountsPerAddressPerMinute) {
  AddressLimiter limiter(2, 2);
  EXPECT_EQ(limiter.Attempt("10.0.0.1", 100).retry_after_seconds, 0);
  EXPECT_EQ(limiter.Attempt("10.0.0.1", 101).retry_after_seconds, 0);
  const AddressLimiter::Verdict first = limiter.Attempt("10.0.0.1", 110);
  EXPECT_EQ(first.retry_after_seconds, 50);
  EXPECT_TRUE(first.first_refusal);
  EXPECT_FALSE(limiter.Attempt("10.0.0.1", 111).first_refusal);
  EXPECT_EQ(limiter.Attempt("10.0.0.2", 110).retry_after_seconds, 0);
  EXPECT_EQ(limiter.Attempt("10.0.0.1", 160).retry_after_seconds, 0);  // A new window.
  // A third address pushes out the oldest window instead of growing without bound.
  EXPECT_EQ(limiter.Attempt("10.0.0.3", 161).retry_after_seconds, 0);
}

TEST(AddressLimiter, AddressOfStripsThePort) {
  EXPECT_EQ(AddressOf("127.0.0.1:443"), "127.0.0.1");
  EXPECT_EQ(AddressOf("[::1]:443"), "::1");
  EXPECT_EQ(AddressOf("host"), "host");
}

}  // namespace
}  // namespace vigil::identity
