#include "identity/sessions.h"

#include <gtest/gtest.h>

namespace vigil::identity {
namespace {

using std::chrono::seconds;

class SessionTableTest : public ::testing::Test {
 protected:
  FakeClock clock_;
  SessionTable table_{clock_, SessionLimits{.idle = seconds(60),
                                            .absolute = seconds(300),
                                            .sign_in = seconds(30),
                                            .max_per_user = 2}};
};

TEST_F(SessionTableTest, PersonRequestsExtendIdleBackgroundOnesDoNot) {
  auto opened = table_.Create("u1", SignInStep::kDone, "10.0.0.1:1", "test");
  ASSERT_TRUE(opened.has_value());
  clock_.Advance(seconds(50));
  ASSERT_TRUE(table_.Find(opened->cookie, /*person=*/false).has_value());
  clock_.Advance(seconds(50));  // 100 s idle: expired despite the background request.
  auto gone = table_.Find(opened->cookie, false);
  ASSERT_FALSE(gone.has_value());
  EXPECT_EQ(gone.error().message, "session expired");
  // Swept, it is reported once and its cookie still says why it no longer works.
  const auto swept = table_.Sweep();
  ASSERT_EQ(swept.size(), 1U);
  EXPECT_EQ(swept.front().id, opened->info.id);
  EXPECT_TRUE(table_.Sweep().empty());
  auto still = table_.Find(opened->cookie, true);
  ASSERT_FALSE(still.has_value());
  EXPECT_EQ(still.error().message, "session expired");
  clock_.Advance(std::chrono::hours(25));
  (void)table_.Sweep();
  EXPECT_EQ(table_.Find(opened->cookie, true).error().message, "no session");

  auto other = table_.Create("u1", SignInStep::kDone, "", "");
  clock_.Advance(seconds(50));
  ASSERT_TRUE(table_.Find(other->cookie, /*person=*/true).has_value());
  clock_.Advance(seconds(50));
  EXPECT_TRUE(table_.Find(other->cookie, false).has_value());
}

TEST_F(SessionTableTest, AbsoluteTimeoutWins) {
  auto opened = table_.Create("u1", SignInStep::kDone, "", "");
  for (int i = 0; i < 5; ++i) {
    clock_.Advance(seconds(59));
    ASSERT_TRUE(table_.Find(opened->cookie, true).has_value()) << i;
  }
  clock_.Advance(seconds(10));  // 305 s after creation.
  EXPECT_FALSE(table_.Find(opened->cookie, true).has_value());
}

TEST_F(SessionTableTest, FinishingSignInRotatesTheCookie) {
  auto opened = table_.Create("u1", SignInStep::kMfa, "", "");
  ASSERT_TRUE(opened.has_value());
  auto same = table_.Advance(opened->info.id, SignInStep::kMfa);
  ASSERT_TRUE(same.has_value());
  EXPECT_FALSE(same->has_value());
  auto fresh = table_.Advance(opened->info.id, SignInStep::kDone);
  ASSERT_TRUE(fresh.has_value() && fresh->has_value());
  EXPECT_FALSE(table_.Find(opened->cookie, true).has_value());
  auto found = table_.Find(**fresh, true);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->step, SignInStep::kDone);
  EXPECT_EQ(found->id, opened->info.id);
  EXPECT_NE(found->csrf_token, opened->info.csrf_token);
}

TEST_F(SessionTableTest, UnfinishedSignInExpiresSoon) {
  auto opened = table_.Create("u1", SignInStep::kMfa, "", "");
  clock_.Advance(seconds(31));
  EXPECT_FALSE(table_.Find(opened->cookie, true).has_value());
}

TEST_F(SessionTableTest, PendingKeyStaysWithItsSession) {
  auto opened = table_.Create("u1", SignInStep::kMfaEnrolment, "", "");
  EXPECT_FALSE(table_.PendingKey(opened->info.id).has_value());
  crypto::SecretBytes key(20);
  key.data()[0] = 7;
  ASSERT_TRUE(table_.SetPendingKey(opened->info.id, std::move(key)).has_value());
  auto back = table_.PendingKey(opened->info.id);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->span()[0], 7);
}

TEST_F(SessionTableTest, PerUserLimitAndRemoval) {
  auto a = table_.Create("u1", SignInStep::kDone, "", "");
  clock_.Advance(seconds(1));
  auto b = table_.Create("u1", SignInStep::kDone, "", "");
  clock_.Advance(seconds(1));
  auto c = table_.Create("u1", SignInStep::kDone, "", "");  // Evicts a.
  auto d = table_.Create("u2", SignInStep::kDone, "", "");
  EXPECT_FALSE(table_.Find(a->cookie, false).has_value());
  EXPECT_EQ(table_.ForUser("u1").size(), 2U);
  EXPECT_EQ(table_.RemoveUser("u1", c->info.id), 1U);
  EXPECT_FALSE(table_.Find(b->cookie, false).has_value());
  EXPECT_TRUE(table_.Find(c->cookie, false).has_value());
  EXPECT_TRUE(table_.Remove(d->info.id));
  EXPECT_FALSE(table_.Remove(d->info.id));
  EXPECT_EQ(table_.size(), 1U);
  EXPECT_FALSE(table_.Find("", false).has_value());
  EXPECT_FALSE(table_.Find("not-a-cookie", false).has_value());
}

}  // namespace
}  // namespace vigil::identity
