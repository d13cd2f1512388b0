#include "inventory/glob.h"

#include <gtest/gtest.h>

namespace vigil::inventory {
namespace {

TEST(Glob, MatchesWithoutCaseAndCaptures) {
  std::vector<std::string_view> c;

  EXPECT_TRUE(GlobMatch("cisco *", "Cisco WS-C3560-24TS", &c));
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0], "WS-C3560-24TS");
  EXPECT_TRUE(GlobMatch("Cisco IOS*Version *, *",
                        "Cisco IOS Software, C3560, Version 12.2(44)SE, "
                        "RELEASE SOFTWARE (fc1)",
                        &c));
  EXPECT_EQ(c[1], "12.2(44)SE");
  EXPECT_TRUE(GlobMatch("a?c", "abc"));
  EXPECT_TRUE(GlobMatch("*", ""));
}

TEST(Glob, WholeTextOnly) {
  EXPECT_FALSE(GlobMatch("abc", "abcd"));
  EXPECT_FALSE(GlobMatch("*b", "abc"));
  EXPECT_FALSE(GlobMatch("a?", "a"));
}

TEST(Glob, TooManyStarsNeverMatch) {
  EXPECT_FALSE(GlobMatch("*a*a*a*a*a", "aaaaaaaaaa"));
  EXPECT_EQ(CountStars("*a*a*"), 3u);
}

}  // namespace
}  // namespace vigil::inventory
