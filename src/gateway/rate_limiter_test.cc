#include "gateway/rate_limiter.h"

#include <gtest/gtest.h>

namespace vigil::gateway {
namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

TEST(RateLimiter, AllowsTheBurstThenRefusesWithRetryAfter) {
  RateLimiter limiter(2, 4);

  for (int i = 0; i < 4; ++i) EXPECT_TRUE(limiter.Take("pump", 0).allowed) << i;
  const auto refused = limiter.Take("pump", 0);

  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 1);
}

TEST(RateLimiter, RefillsAtTheRate) {
  RateLimiter limiter(2, 2);
  EXPECT_TRUE(limiter.Take("pump", 0).allowed);
  EXPECT_TRUE(limiter.Take("pump", 0).allowed);
  EXPECT_FALSE(limiter.Take("pump", 0).allowed);

  EXPECT_TRUE(limiter.Take("pump", kSecond / 2).allowed);
  EXPECT_FALSE(limiter.Take("pump", kSecond / 2).allowed);
}

TEST(RateLimiter, KeysAreIndependent) {
  RateLimiter limiter(1, 1);
  EXPECT_TRUE(limiter.Take("a", 0).allowed);
  EXPECT_FALSE(limiter.Take("a", 0).allowed);

  EXPECT_TRUE(limiter.Take("b", 0).allowed);
}

TEST(RateLimiter, ForgetsIdleKeysAndBoundsMemory) {
  RateLimiter limiter(10, 10, 3);
  EXPECT_TRUE(limiter.Take("a", 0).allowed);
  EXPECT_TRUE(limiter.Take("b", 0).allowed);
  EXPECT_TRUE(limiter.Take("c", 0).allowed);

  EXPECT_FALSE(limiter.Take("d", 0).allowed);  // Full of active keys: a new one is refused.
  EXPECT_TRUE(limiter.Take("d", 5 * kSecond).allowed);  // The others went idle and were swept.
  EXPECT_EQ(limiter.size(), 1U);
}

}  // namespace
}  // namespace vigil::gateway
