#include "core/time_format.h"

#include <gtest/gtest.h>

#include "core/clock.h"

namespace vigil {
namespace {

TEST(Rfc3339, FormatsUtcWithFraction) {
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00.000000000Z");
  EXPECT_EQ(FormatRfc3339(1'700'000'000'123'000'000, 3), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(FormatRfc3339(-1'000'000'000, 0), "1969-12-31T23:59:59Z");
}

TEST(Rfc3339, ParsesOffsetsAndFractions) {
  EXPECT_EQ(*ParseRfc3339("2023-11-14T22:13:20Z"), 1'700'000'000'000'000'000);
  EXPECT_EQ(*ParseRfc3339("2023-11-14T23:13:20.5+01:00"), 1'700'000'000'500'000'000);
  EXPECT_EQ(*ParseRfc3339("2023-11-14 17:13:20-05:00"), 1'700'000'000'000'000'000);
}

TEST(Rfc3339, RoundTrips) {
  const std::int64_t t = 1'764'351'960'123'456'789;

  EXPECT_EQ(*ParseRfc3339(FormatRfc3339(t)), t);
}

TEST(Rfc3339, RejectsMalformed) {
  EXPECT_FALSE(ParseRfc3339(""));
  EXPECT_FALSE(ParseRfc3339("2023-11-14"));
  EXPECT_FALSE(ParseRfc3339("2023-02-30T00:00:00Z"));
  EXPECT_FALSE(ParseRfc3339("2023-11-14T25:00:00Z"));
  EXPECT_FALSE(ParseRfc3339("2023-11-14T22:13:20"));
  EXPECT_FALSE(ParseRfc3339("2023-11-14T22:13:20Zjunk"));
  EXPECT_FALSE(ParseRfc3339("2023-11-14T22:13:20.Z"));
}

TEST(FakeClock, AdvancesOnlyWhenTold) {
  FakeClock clock;
  const auto start = clock.NowUnixNanos();

  clock.Advance(std::chrono::seconds(5));

  EXPECT_EQ(clock.NowUnixNanos() - start, 5'000'000'000);
}

TEST(ParseRfc3339, YearsBeyondInt64NanosecondsAreRefused) {
  const auto late = ParseRfc3339("9999-01-01T00:00:00Z");
  const auto early = ParseRfc3339("0001-01-01T00:00:00Z");

  ASSERT_FALSE(late);
  EXPECT_NE(late.error().message.find("1678 to 2261"), std::string::npos);
  EXPECT_FALSE(early);
  EXPECT_TRUE(ParseRfc3339("2261-12-31T23:59:59Z"));
}

}  // namespace
}  // namespace vigil
