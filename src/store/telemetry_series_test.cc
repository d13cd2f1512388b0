#include "store/telemetry_series.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace vigil::store {
namespace {

constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kWindow = kRollupWindowNanos;

TEST(WindowStart, FloorsToTheWindowOnBothSidesOfTheEpoch) {
  EXPECT_EQ(WindowStart(0, kWindow), 0);
  EXPECT_EQ(WindowStart(kWindow - 1, kWindow), 0);
  EXPECT_EQ(WindowStart(kWindow + 1, kWindow), kWindow);
  EXPECT_EQ(WindowStart(-1, kWindow), -kWindow);
  EXPECT_EQ(WindowStart(-kWindow, kWindow), -kWindow);
}

TEST(WindowStart, LowestAndHighestTimesDoNotOverflow) {
  const std::int64_t lowest_aligned = (kMin / kWindow) * kWindow;

  EXPECT_EQ(WindowStart(kMin, kWindow), kMin);
  EXPECT_EQ(WindowStart(lowest_aligned - 1, kWindow), kMin);
  EXPECT_EQ(WindowStart(lowest_aligned, kWindow), lowest_aligned);
  EXPECT_EQ(WindowStart(kMax, kWindow), (kMax / kWindow) * kWindow);
}

TEST(WindowLast, IsTheLastTimeInTheWindow) {
  const std::int64_t lowest_aligned = (kMin / kWindow) * kWindow;

  EXPECT_EQ(WindowLast(0, kWindow), kWindow - 1);
  EXPECT_EQ(WindowLast(-kWindow, kWindow), -1);
  EXPECT_EQ(WindowLast(kMin, kWindow), lowest_aligned - 1);
  EXPECT_EQ(WindowLast(WindowStart(kMax, kWindow), kWindow), kMax);
}

TEST(MergeSamples, KeepsTheEarlierSourceFirstOnEqualTimes) {
  const std::vector<TelemetrySample> earlier = {{1, 10}, {3, 30}};
  const std::vector<TelemetrySample> later = {{1, 11}, {2, 20}, {3, 31}};

  const auto merged = MergeSamples(earlier, later);

  EXPECT_EQ(merged, (std::vector<TelemetrySample>{{1, 10}, {1, 11}, {2, 20}, {3, 30}, {3, 31}}));
}

TEST(SortSamples, IsStable) {
  std::vector<TelemetrySample> samples = {{2, 1}, {1, 2}, {2, 3}, {1, 4}};

  SortSamples(samples);

  EXPECT_EQ(samples, (std::vector<TelemetrySample>{{1, 2}, {1, 4}, {2, 1}, {2, 3}}));
}

TEST(SamplesIn, IsHalfOpen) {
  const std::vector<TelemetrySample> samples = {{1, 0}, {2, 0}, {2, 1}, {3, 0}};

  EXPECT_EQ(SamplesIn(samples, 2, 3).size(), 2u);
  EXPECT_EQ(SamplesIn(samples, 0, kMax).size(), 4u);
  EXPECT_TRUE(SamplesIn(samples, 3, 3).empty());
  EXPECT_TRUE(SamplesIn(samples, 5, 1).empty());
}

TEST(SplitByHour, GroupsSortedSamplesByHour) {
  const std::int64_t hour = kBlockWindowNanos;
  const std::vector<TelemetrySample> samples = {{-1, 0}, {0, 1}, {hour - 1, 2}, {3 * hour, 3}};

  const auto hours = SplitByHour(samples);

  ASSERT_EQ(hours.size(), 3u);
  EXPECT_EQ(hours[0].start_unix_nanos, -hour);
  EXPECT_EQ(hours[1].start_unix_nanos, 0);
  EXPECT_EQ(hours[1].samples.size(), 2u);
  EXPECT_EQ(hours[2].start_unix_nanos, 3 * hour);
}

TEST(RollUp, CountsSumsAndBoundsEachWindow) {
  const std::vector<TelemetrySample> samples = {
      {0, 4}, {1, -2}, {kWindow - 1, 8}, {2 * kWindow, 1}};

  const auto rollups = RollUp(samples);

  EXPECT_EQ(rollups,
            (std::vector<TelemetryRollup>{
                {.start_unix_nanos = 0, .count = 3, .min = -2, .max = 8, .sum = 10},
                {.start_unix_nanos = 2 * kWindow, .count = 1, .min = 1, .max = 1, .sum = 1}}));
}

TEST(RollUp, NanCountsAndPoisonsTheSumButNotTheBounds) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<TelemetrySample> samples = {{0, nan}, {1, 3}, {2, 1}};

  const auto rollups = RollUp(samples);

  ASSERT_EQ(rollups.size(), 1u);
  EXPECT_EQ(rollups[0].count, 3);
  EXPECT_TRUE(std::isnan(rollups[0].sum));
  EXPECT_EQ(rollups[0].min, 1);
  EXPECT_EQ(rollups[0].max, 3);
}

TEST(CombineRollups, MergesStoredAndRecentWindowsInRange) {
  const std::vector<TelemetryRollup> stored = {
      {.start_unix_nanos = 0, .count = 2, .min = 1, .max = 5, .sum = 6},
      {.start_unix_nanos = kWindow, .count = 1, .min = 7, .max = 7, .sum = 7}};
  const std::vector<TelemetrySample> recent = {{kWindow + 5, 9}, {3 * kWindow, 2}};

  const auto all = CombineRollups(stored, recent, 0, kMax);
  const auto from_second = CombineRollups(stored, recent, 1, 3 * kWindow);

  EXPECT_EQ(all, (std::vector<TelemetryRollup>{
                     stored[0],
                     {.start_unix_nanos = kWindow, .count = 2, .min = 7, .max = 9, .sum = 16},
                     {.start_unix_nanos = 3 * kWindow, .count = 1, .min = 2, .max = 2, .sum = 2}}));
  EXPECT_EQ(from_second, (std::vector<TelemetryRollup>{all[1]}));
}

TEST(SummarizeMetrics, TakesTheLastUnitAndTheTimeRangePerName) {
  const std::vector<model::MetricPoint> points = {
      {.name = "b", .value = 1, .unit = "%", .time_unix_nanos = 5},
      {.name = "a", .value = 1, .unit = "x", .time_unix_nanos = 9},
      {.name = "b", .value = 1, .unit = "percent", .time_unix_nanos = 2}};

  const auto summary = SummarizeMetrics(points);

  EXPECT_EQ(summary,
            (std::vector<MetricInfo>{
                {.name = "a", .unit = "x", .first_unix_nanos = 9, .last_unix_nanos = 9},
                {.name = "b", .unit = "percent", .first_unix_nanos = 2, .last_unix_nanos = 5}}));
}

}  // namespace
}  // namespace vigil::store
