// The identity REST API end to end, through real peers only: the vigil binary (serve and the
// CLI over its control socket), curl as the browser or script, oathtool as the authenticator
// app. Each test has a server and data directory of its own.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>

#include "integration/identity/api_client.h"
#include "testing/fixtures.h"

namespace vigil::identity_test {
namespace {

using nlohmann::json;
using std::chrono::seconds;

constexpr char kNewPassword[] = "Violet-Ferry-Anchor-2917";

// What a first sign-in leaves behind: the authenticator's secret, the code that confirmed it
// (and the time step it was taken in) and the recovery codes.
struct Enrolled {
  std::string secret;
  std::string code;
  std::int64_t code_step = 0;
  std::vector<std::string> recovery_codes;
};

class IdentityApi : public ::testing::Test {
 protected:
  void SetUp() override {
    VIGIL_REQUIRE_TOOL(curl, "curl");
    VIGIL_REQUIRE_TOOL(oathtool, "oathtool");
    curl_ = curl;
    oathtool_ = oathtool;
  }

  void TearDown() override {
    if (!server_ || !server_->ok()) return;
    // A clean stop also tells that the server met no sanitizer error on the way.
    EXPECT_EQ(server_->Stop(), 0) << server_->output();
  }

  // Starts a server with `identity_config` as its [identity] section.
  void Start(const std::string& identity_config = "") {
    server_ = std::make_unique<Server>(identity_config);
    ASSERT_TRUE(server_->ok()) << server_->output();
    ASSERT_FALSE(server_->admin_password().empty()) << server_->output();
  }

  // A person's browser with a cookie jar of its own.
  HttpClient Browser() {
    return HttpClient(curl_, server_->url(), server_->scratch() / std::to_string(++clients_),
                      /*cookies=*/true);
  }
  // A script: no cookies, only the headers it is given.
  HttpClient Script() {
    return HttpClient(curl_, server_->url(), server_->scratch() / std::to_string(++clients_),
                      /*cookies=*/false);
  }

  static Reply Login(HttpClient& browser, const std::string& username,
                     const std::string& password) {
    return browser.Post("/api/v1/auth/login", {{"username", username}, {"password", password}});
  }

  // A first sign-in from the one-time password to a signed-in session: a new password, then
  // enrolment of an authenticator confirmed with oathtool's code.
  void SignInFirstTime(HttpClient& browser, const std::string& username,
                       const std::string& one_time_password, Enrolled& out) {
    const Reply login = Login(browser, username, one_time_password);
    ASSERT_EQ(login.status, 200) << login.raw;
    ASSERT_EQ(login.body.value("next", ""), "password_change") << login.raw;
    const Reply changed = browser.Post("/api/v1/auth/password", {{"new_password", kNewPassword}});
    ASSERT_EQ(changed.status, 200) << changed.raw;
    ASSERT_EQ(changed.body.value("next", ""), "mfa_enrolment") << changed.raw;
    const Reply enrol = browser.Post("/api/v1/auth/mfa/enrol");
    ASSERT_EQ(enrol.status, 200) << enrol.raw;
    out.secret = enrol.body.value("secret", "");
    out.code_step = TotpStepNow();
    out.code = TotpCode(oathtool_, out.secret);
    ASSERT_EQ(out.code.size(), 6u) << "oathtool gave no code for secret " << out.secret;
    const Reply confirmed = browser.Post("/api/v1/auth/mfa/enrol/confirm", {{"code", out.code}});
    ASSERT_EQ(confirmed.status, 200) << confirmed.raw;
    ASSERT_EQ(confirmed.body.value("next", ""), "done") << confirmed.raw;
    out.recovery_codes = confirmed.body.value("recovery_codes", std::vector<std::string>{});
  }

  void SignInFirstAdmin(HttpClient& browser, Enrolled& out) {
    SignInFirstTime(browser, "admin", server_->admin_password(), out);
  }

  std::filesystem::path curl_;
  std::filesystem::path oathtool_;
  std::unique_ptr<Server> server_;
  int clients_ = 0;
};

TEST_F(IdentityApi, FirstAdminSignsInWithNewPasswordAndTotpEnrolment) {
  ASSERT_NO_FATAL_FAILURE(Start());
  HttpClient browser = Browser();

  const Reply login = Login(browser, "admin", server_->admin_password());
  const std::string pre_sign_in_cookie = browser.SessionCookie();
  const Reply weak = browser.Post("/api/v1/auth/password", {{"new_password", "password1234"}});
  const Reply changed = browser.Post("/api/v1/auth/password", {{"new_password", kNewPassword}});
  const Reply too_early = browser.Get("/api/v1/me");
  const Reply enrol = browser.Post("/api/v1/auth/mfa/enrol");
  const std::string secret = enrol.body.is_object() ? enrol.body.value("secret", "") : "";
  const Reply confirmed =
      browser.Post("/api/v1/auth/mfa/enrol/confirm", {{"code", TotpCode(oathtool_, secret)}});
  const Reply me = browser.Get("/api/v1/me");
  const Reply with_old_cookie = Script().Get(
      "/api/v1/me", {"Cookie: " + std::string(kSessionCookie) + "=" + pre_sign_in_cookie});

  ASSERT_EQ(login.status, 200) << login.raw;
  EXPECT_EQ(login.body.value("next", ""), "password_change") << login.raw;
  EXPECT_FALSE(login.body.value("csrf_token", "").empty()) << login.raw;
  ASSERT_FALSE(pre_sign_in_cookie.empty()) << "no session cookie in curl's jar";
  EXPECT_EQ(weak.status, 400) << weak.raw;
  EXPECT_EQ(weak.ErrorCode(), "weak_password") << weak.raw;
  ASSERT_EQ(changed.status, 200) << changed.raw;
  EXPECT_EQ(changed.body.value("next", ""), "mfa_enrolment") << changed.raw;
  EXPECT_EQ(too_early.status, 401) << too_early.raw;
  EXPECT_EQ(too_early.ErrorCode(), "sign_in_incomplete") << too_early.raw;
  ASSERT_EQ(enrol.status, 200) << enrol.raw;
  EXPECT_NE(enrol.body.value("otpauth_uri", "").find("secret=" + secret), std::string::npos)
      << enrol.raw;
  EXPECT_NE(enrol.body.value("qr_svg", "").find("<svg"), std::string::npos)
      << enrol.raw.substr(0, 200);
  ASSERT_EQ(confirmed.status, 200) << confirmed.raw;
  EXPECT_EQ(confirmed.body.value("next", ""), "done") << confirmed.raw;
  const auto codes = confirmed.body.value("recovery_codes", std::vector<std::string>{});
  EXPECT_EQ(codes.size(), 10u) << confirmed.raw;
  EXPECT_EQ(std::set<std::string>(codes.begin(), codes.end()).size(), codes.size());
  EXPECT_NE(browser.SessionCookie(), pre_sign_in_cookie);  // Rotated at sign-in.
  ASSERT_EQ(me.status, 200) << me.raw;
  EXPECT_EQ(me.body.value("username", ""), "admin") << me.raw;
  EXPECT_EQ(me.body.value("role", ""), "admin") << me.raw;
  EXPECT_TRUE(me.body.value("mfa_enrolled", false)) << me.raw;
  const auto permissions = me.body.value("permissions", std::vector<std::string>{});
  for (const char* permission :
       {"self", "users.read", "users.manage", "tokens.manage", "audit.read", "emergency.review"}) {
    EXPECT_NE(std::find(permissions.begin(), permissions.end(), permission), permissions.end())
        << permission << " missing from " << me.raw;
  }
  EXPECT_EQ(with_old_cookie.status, 401) << with_old_cookie.raw;
  EXPECT_EQ(with_old_cookie.ErrorCode(), "unauthenticated") << with_old_cookie.raw;
}

TEST_F(IdentityApi, TotpCodeIsAcceptedOnlyOnce) {
  ASSERT_NO_FATAL_FAILURE(Start());
  HttpClient first = Browser();
  Enrolled admin;
  ASSERT_NO_FATAL_FAILURE(SignInFirstAdmin(first, admin));
  HttpClient second = Browser();
  HttpClient third = Browser();

  const Reply second_login = Login(second, "admin", kNewPassword);
  // Still inside the accepted skew (one step), so a refusal can only be the replay check.
  ASSERT_LE(TotpStepNow(), admin.code_step + 1) << "too slow to test replay of the code";
  const Reply replayed = second.Post("/api/v1/auth/mfa", {{"code", admin.code}});
  const std::string fresh = LaterTotpCode(oathtool_, admin.secret, admin.code_step, admin.code);
  ASSERT_FALSE(fresh.empty()) << "oathtool gave no later code";
  const Reply accepted = second.Post("/api/v1/auth/mfa", {{"code", fresh}});
  const Reply third_login = Login(third, "admin", kNewPassword);
  const Reply replayed_again = third.Post("/api/v1/auth/mfa", {{"code", fresh}});

  ASSERT_EQ(second_login.status, 200) << second_login.raw;
  EXPECT_EQ(second_login.body.value("next", ""), "mfa") << second_login.raw;
  EXPECT_EQ(replayed.status, 401) << replayed.raw;
  EXPECT_EQ(replayed.ErrorCode(), "invalid_code") << replayed.raw;
  EXPECT_EQ(accepted.status, 200) << accepted.raw;
  EXPECT_EQ(accepted.body.value("next", ""), "done") << accepted.raw;
  EXPECT_EQ(second.Get("/api/v1/me").status, 200);
  ASSERT_EQ(third_login.status, 200) << third_login.raw;
  EXPECT_EQ(replayed_again.status, 401) << replayed_again.raw;
  EXPECT_EQ(replayed_again.ErrorCode(), "invalid_code") << replayed_again.raw;
}

TEST_F(IdentityApi, StateChangeWithoutCsrfTokenIsRefused) {
  ASSERT_NO_FATAL_FAILURE(Start());
  HttpClient browser = Browser();
  Enrolled admin;
  ASSERT_NO_FATAL_FAILURE(SignInFirstAdmin(browser, admin));
  const json token = {{"name", "siem"}, {"scopes", {"audit.read"}}, {"expires_in_days", 30}};

  const Reply without = browser.Send(
      {.method = "POST", .path = "/api/v1/tokens", .body = token, .headers = {}, .csrf = false});
  const Reply wrong = browser.Send({.method = "POST",
                                    .path = "/api/v1/tokens",
                                    .body = token,
                                    .headers = {"X-CSRF-Token: " + std::string(64, '0')},
                                    .csrf = false});
  const Reply after_refusals = browser.Get("/api/v1/tokens");
  const Reply with = browser.Post("/api/v1/tokens", token);
  const Reply after_success = browser.Get("/api/v1/tokens");

  EXPECT_EQ(without.status, 403) << without.raw;
  EXPECT_EQ(without.ErrorCode(), "csrf") << without.raw;
  EXPECT_EQ(wrong.status, 403) << wrong.raw;
  EXPECT_EQ(wrong.ErrorCode(), "csrf") << wrong.raw;
  ASSERT_EQ(after_refusals.status, 200) << after_refusals.raw;
  EXPECT_TRUE(after_refusals.body["tokens"].empty()) << after_refusals.raw;
  EXPECT_EQ(with.status, 201) << with.raw;
  ASSERT_EQ(after_success.status, 200) << after_success.raw;
  EXPECT_EQ(after_success.body["tokens"].size(), 1u) << after_success.raw;
}

TEST_F(IdentityApi, ThirdWrongPasswordLocksTheAccount) {
  ASSERT_NO_FATAL_FAILURE(
      Start("failure_delay_seconds = 0\nlockout_threshold = 3\nlockout_seconds = 600"));
  HttpClient browser = Browser();

  const Reply first = Login(browser, "admin", "wrong-password-1");
  const Reply second = Login(browser, "admin", "wrong-password-2");
  const Reply third = Login(browser, "admin", "wrong-password-3");
  const Reply right = Login(browser, "admin", server_->admin_password());
  const auto locked = WithAction(server_->AuditEvents(), "auth.account.locked");

  EXPECT_EQ(first.status, 401) << first.raw;
  EXPECT_EQ(first.ErrorCode(), "invalid_credentials") << first.raw;
  EXPECT_EQ(second.status, 401) << second.raw;
  EXPECT_EQ(second.ErrorCode(), "invalid_credentials") << second.raw;
  EXPECT_EQ(third.status, 429) << third.raw;
  EXPECT_EQ(third.ErrorCode(), "locked") << third.raw;
  EXPECT_EQ(third.Header("retry-after"), "600") << third.raw;
  EXPECT_EQ(right.status, 429) << right.raw;
  EXPECT_EQ(right.ErrorCode(), "locked") << right.raw;
  EXPECT_FALSE(right.Header("retry-after").empty());
  EXPECT_TRUE(browser.SessionCookie().empty());
  ASSERT_EQ(locked.size(), 1u);
  EXPECT_EQ(locked[0].value("target", ""), "user:admin") << locked[0];
  EXPECT_EQ(locked[0]["details"].value("severity", ""), "high") << locked[0];
  EXPECT_EQ(locked[0]["details"].value("failures", 0), 3) << locked[0];
}

TEST_F(IdentityApi, UnknownUserIsRefusedAndAudited) {
  ASSERT_NO_FATAL_FAILURE(Start());
  HttpClient browser = Browser();

  const Reply login = Login(browser, "nobody", "some-password-1234");
  const auto failed = WithAction(server_->AuditEvents(), "auth.login.failed");

  EXPECT_EQ(login.status, 401) << login.raw;
  EXPECT_EQ(login.ErrorCode(), "invalid_credentials") << login.raw;
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0]["details"].value("username", ""), "nobody") << failed[0];
  EXPECT_EQ(failed[0]["details"].value("reason", ""), "unknown user") << failed[0];
}

TEST_F(IdentityApi, ScopedApiTokenWorksUntilRevokedByCli) {
  ASSERT_NO_FATAL_FAILURE(Start());
  HttpClient browser = Browser();
  Enrolled admin;
  ASSERT_NO_FATAL_FAILURE(SignInFirstAdmin(browser, admin));
  const Reply created = browser.Post(
      "/api/v1/tokens", {{"name", "siem"}, {"scopes", {"audit.read"}}, {"expires_in_days", 30}});
  ASSERT_EQ(created.status, 201) << created.raw;
  const std::string id = created.body["token"].value("id", "");
  const std::string bearer = "Authorization: Bearer " + created.body.value("secret", "");
  HttpClient script = Script();

  const Reply audit = script.Get("/api/v1/audit/events", {bearer});
  const Reply users = script.Get("/api/v1/users", {bearer});
  const cli_test::Outcome revoke = server_->Vigil({"token", "revoke", id});
  const Reply after_revoke = script.Get("/api/v1/audit/events", {bearer});

  ASSERT_EQ(audit.status, 200) << audit.raw;
  EXPECT_FALSE(audit.body["events"].empty()) << audit.raw;
  EXPECT_EQ(users.status, 403) << users.raw;
  EXPECT_EQ(users.ErrorCode(), "forbidden") << users.raw;
  EXPECT_EQ(revoke.exit_code, 0) << revoke.output;
  EXPECT_NE(revoke.output.find("token " + id + " revoked"), std::string::npos) << revoke.output;
  EXPECT_EQ(after_revoke.status, 401) << after_revoke.raw;
  EXPECT_EQ(after_revoke.ErrorCode(), "unauthenticated") << after_revoke.raw;
}

TEST_F(IdentityApi, EmergencyCodeWorksOnceAndItsUseIsReviewed) {
  ASSERT_NO_FATAL_FAILURE(Start());
  const cli_test::Outcome added = server_->Vigil({"user", "add-emergency", "glass"});
  ASSERT_EQ(added.exit_code, 0) << added.output;
  const std::string password = ValueAfter(added.output, "one-time password:");
  const std::string emergency_code = ValueAfter(added.output, "emergency code:");
  ASSERT_FALSE(password.empty()) << added.output;
  ASSERT_FALSE(emergency_code.empty()) << added.output;
  HttpClient browser = Browser();
  HttpClient later = Browser();

  const Reply login = Login(browser, "glass", password);
  const Reply changed = browser.Post("/api/v1/auth/password", {{"new_password", kNewPassword}});
  const Reply used = browser.Post("/api/v1/auth/mfa", {{"emergency_code", emergency_code}});
  const Reply me = browser.Get("/api/v1/me");
  const Reply later_login = Login(later, "glass", kNewPassword);
  const Reply reused = later.Post("/api/v1/auth/mfa", {{"emergency_code", emergency_code}});
  const auto uses = WithAction(server_->AuditEvents(), "auth.emergency.used");
  ASSERT_EQ(uses.size(), 1u);
  const std::string seq = std::to_string(uses[0].value("seq", 0));
  const cli_test::Outcome review = server_->Vigil(
      {"user", "review-emergency", seq, "--notes", "night shift, PACS outage; checked"});
  const auto reviews = WithAction(server_->AuditEvents(), "auth.emergency.reviewed");

  ASSERT_EQ(login.status, 200) << login.raw;
  EXPECT_EQ(login.body.value("next", ""), "password_change") << login.raw;
  ASSERT_EQ(changed.status, 200) << changed.raw;
  EXPECT_EQ(changed.body.value("next", ""), "emergency_code") << changed.raw;
  EXPECT_EQ(used.status, 200) << used.raw;
  EXPECT_EQ(used.body.value("next", ""), "done") << used.raw;
  EXPECT_EQ(me.status, 200) << me.raw;
  EXPECT_TRUE(me.body.value("emergency", false)) << me.raw;
  EXPECT_EQ(uses[0].value("actor", ""), "glass") << uses[0];
  EXPECT_EQ(uses[0]["details"].value("severity", ""), "high") << uses[0];
  ASSERT_EQ(later_login.status, 200) << later_login.raw;
  EXPECT_EQ(later_login.body.value("next", ""), "emergency_code") << later_login.raw;
  EXPECT_EQ(reused.status, 401) << reused.raw;
  EXPECT_EQ(reused.ErrorCode(), "invalid_code") << reused.raw;
  EXPECT_EQ(review.exit_code, 0) << review.output;
  ASSERT_EQ(reviews.size(), 1u);
  EXPECT_EQ(reviews[0].value("target", ""), "audit:" + seq) << reviews[0];
  EXPECT_EQ(reviews[0]["details"].value("used_by", ""), "glass") << reviews[0];
  EXPECT_EQ(reviews[0]["details"].value("notes", ""), "night shift, PACS outage; checked");
}

TEST_F(IdentityApi, AdminResetOfMfaForcesEnrolmentAgain) {
  ASSERT_NO_FATAL_FAILURE(Start());
  HttpClient admin_browser = Browser();
  Enrolled admin;
  ASSERT_NO_FATAL_FAILURE(SignInFirstAdmin(admin_browser, admin));
  const Reply created =
      admin_browser.Post("/api/v1/users", {{"username", "bob"}, {"role", "security_analyst"}});
  ASSERT_EQ(created.status, 201) << created.raw;
  const std::string bob_id = created.body["user"].value("id", "");
  HttpClient bob_browser = Browser();
  Enrolled bob;
  ASSERT_NO_FATAL_FAILURE(
      SignInFirstTime(bob_browser, "bob", created.body.value("one_time_password", ""), bob));
  ASSERT_EQ(bob_browser.Get("/api/v1/me").status, 200);
  HttpClient bob_later = Browser();

  const Reply reset = admin_browser.Post("/api/v1/users/" + bob_id + "/reset-mfa");
  const Reply bob_session = bob_browser.Get("/api/v1/me");
  const Reply bob_login = Login(bob_later, "bob", kNewPassword);
  const auto resets = WithAction(server_->AuditEvents(), "user.reset_mfa");

  ASSERT_EQ(reset.status, 200) << reset.raw;
  EXPECT_FALSE(reset.body["user"].value("mfa_enrolled", true)) << reset.raw;
  EXPECT_EQ(bob_session.status, 401) << bob_session.raw;  // His sessions ended with it.
  ASSERT_EQ(bob_login.status, 200) << bob_login.raw;
  EXPECT_EQ(bob_login.body.value("next", ""), "mfa_enrolment") << bob_login.raw;
  ASSERT_EQ(resets.size(), 1u);
  EXPECT_EQ(resets[0].value("actor", ""), "admin") << resets[0];
  EXPECT_EQ(resets[0].value("target", ""), "user:bob") << resets[0];
  EXPECT_EQ(resets[0]["details"].value("severity", ""), "high") << resets[0];
}

TEST_F(IdentityApi, IdleSessionAnswersSessionExpired) {
  ASSERT_NO_FATAL_FAILURE(Start("session_idle_timeout_seconds = 3"));
  HttpClient browser = Browser();
  Enrolled admin;
  ASSERT_NO_FATAL_FAILURE(SignInFirstAdmin(browser, admin));

  const Reply used = browser.Get("/api/v1/me");
  // Past the 3 s timeout and past serve's 5 s sweep of expired sessions too, so the answer
  // cannot depend on whether the sweep ran in between.
  std::this_thread::sleep_for(seconds(9));
  const Reply left = browser.Get("/api/v1/me");

  EXPECT_EQ(used.status, 200) << used.raw;
  EXPECT_EQ(left.status, 401) << left.raw;
  EXPECT_EQ(left.ErrorCode(), "session_expired") << left.raw;
}

TEST_F(IdentityApi, BackgroundRequestsDoNotExtendASession) {
  ASSERT_NO_FATAL_FAILURE(Start("session_idle_timeout_seconds = 3"));
  HttpClient browser = Browser();
  Enrolled admin;
  ASSERT_NO_FATAL_FAILURE(SignInFirstAdmin(browser, admin));
  const Reply used = browser.Get("/api/v1/me");
  ASSERT_EQ(used.status, 200) << used.raw;

  // Counted as activity, one poll a second would keep the session open for ever; the bound is
  // far past the idle timeout.
  int answered = 0;
  Reply poll;
  for (int i = 0; i < 15; ++i) {
    std::this_thread::sleep_for(seconds(1));
    poll = browser.Get("/api/v1/me", {"X-Vigil-Background: 1"});
    if (poll.status != 200) break;
    ++answered;
  }

  EXPECT_GE(answered, 1) << "no background poll was answered before the session ended";
  EXPECT_LE(answered, 3) << "background polls kept the session open";
  EXPECT_EQ(poll.status, 401) << poll.raw;
}

TEST_F(IdentityApi, RequestsWithoutCredentialsAreRefused) {
  ASSERT_NO_FATAL_FAILURE(Start());
  HttpClient script = Script();

  const Reply me = script.Get("/api/v1/me");
  const Reply users = script.Get("/api/v1/users");
  const Reply forged = script.Get(
      "/api/v1/users", {"Cookie: " + std::string(kSessionCookie) + "=" + std::string(64, 'a')});

  EXPECT_EQ(me.status, 401) << me.raw;
  EXPECT_EQ(me.ErrorCode(), "unauthenticated") << me.raw;
  EXPECT_EQ(users.status, 401) << users.raw;
  EXPECT_EQ(users.ErrorCode(), "unauthenticated") << users.raw;
  EXPECT_EQ(forged.status, 401) << forged.raw;
  EXPECT_EQ(forged.ErrorCode(), "unauthenticated") << forged.raw;
}

}  // namespace
}  // namespace vigil::identity_test
