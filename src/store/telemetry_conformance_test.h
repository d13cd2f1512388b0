#pragma once

// The telemetry half of the device repository's behaviour (device_repo.h) every Store
// implementation shares, as a typed GoogleTest suite beside DeviceConformance:
//
//   INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, TelemetryConformance, Harness);

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "store/device_conformance_test.h"

namespace vigil::store::testing {

inline constexpr std::int64_t kSecond = 1'000'000'000;
inline constexpr std::int64_t kMinute = 60 * kSecond;
inline constexpr std::int64_t kHourNanos = 60 * kMinute;
// An hour boundary (so a 5-minute boundary too) in November 2023.
inline constexpr std::int64_t kBase = 472'222 * kHourNanos;
inline constexpr std::int64_t kForever = std::numeric_limits<std::int64_t>::max();

inline model::MetricPoint Point(std::string name, double value, std::int64_t time,
                                std::string unit = "%") {
  return model::MetricPoint{
      .name = std::move(name), .value = value, .unit = std::move(unit), .time_unix_nanos = time};
}

inline Status AppendPoints(Store& store, std::string_view device_id,
                           const std::vector<model::MetricPoint>& points) {
  return WriteDevices(store,
                      [&](DeviceRepo& repo) { return repo.AppendTelemetry(device_id, points); });
}

inline Result<std::vector<TelemetrySample>> ReadSamples(const Store& store,
                                                        std::string_view device_id,
                                                        std::string_view metric,
                                                        std::int64_t from = 0,
                                                        std::int64_t to = kForever) {
  return ReadDevices(
      store, [&](const DeviceReader& repo) { return repo.Telemetry(device_id, metric, from, to); });
}

inline Result<std::vector<TelemetryRollup>> ReadRollups(const Store& store,
                                                        std::string_view device_id,
                                                        std::string_view metric,
                                                        std::int64_t from = 0,
                                                        std::int64_t to = kForever) {
  return ReadDevices(store, [&](const DeviceReader& repo) {
    return repo.TelemetryRollups(device_id, metric, from, to);
  });
}

inline TelemetryStats Stats(const Store& store) {
  auto stats =
      ReadDevices(store, [](const DeviceReader& repo) { return repo.TelemetryStatistics(); });
  EXPECT_TRUE(stats) << stats.error().message;
  return stats ? *stats : TelemetryStats{};
}

inline Result<std::int64_t> Compact(Store& store, std::int64_t before) {
  return WriteDevices(store, [&](DeviceRepo& repo) { return repo.CompactTelemetry(before); });
}

inline Result<std::int64_t> Expire(Store& store, std::int64_t raw_before,
                                   std::int64_t rollup_before) {
  return WriteDevices(
      store, [&](DeviceRepo& repo) { return repo.ExpireTelemetry(raw_before, rollup_before); });
}

// Samples as (time, value bits) pairs, so NaN and -0.0 compare exactly.
inline std::vector<std::pair<std::int64_t, std::uint64_t>> Exact(
    const std::vector<TelemetrySample>& samples) {
  std::vector<std::pair<std::int64_t, std::uint64_t>> exact;
  for (const auto& s : samples) {
    exact.emplace_back(s.time_unix_nanos, std::bit_cast<std::uint64_t>(s.value));
  }
  return exact;
}

// 5-minute roll-ups computed directly from raw samples in time order.
inline std::vector<TelemetryRollup> ExpectedRollups(const std::vector<TelemetrySample>& raw) {
  std::vector<TelemetryRollup> rollups;
  for (const TelemetrySample& s : raw) {
    const std::int64_t start = s.time_unix_nanos - s.time_unix_nanos % (5 * kMinute);
    if (rollups.empty() || rollups.back().start_unix_nanos != start) {
      rollups.push_back({.start_unix_nanos = start, .count = 0, .min = s.value, .max = s.value});
    }
    TelemetryRollup& r = rollups.back();
    ++r.count;
    r.sum += s.value;
    r.min = std::min(r.min, s.value);
    r.max = std::max(r.max, s.value);
  }
  return rollups;
}

// Points of "cpu.percent" over three hours from kBase, every 37 s, arriving slightly out of
// order, with a duplicate time every tenth point; values are quarters, so sums are exact in
// any order.
inline std::vector<model::MetricPoint> ThreeHoursOfPoints() {
  std::vector<model::MetricPoint> points;
  std::uint32_t state = 12345;
  for (int i = 0; i < 3 * 3600 / 37; ++i) {
    state = state * 1103515245u + 12345u;
    const double value = static_cast<double>((state >> 16) % 400) / 4.0;
    const std::int64_t time = kBase + i * 37 * kSecond + (i % 3 == 1 ? 40 * kSecond : 0);
    points.push_back(Point("cpu.percent", value, time));
    if (i % 10 == 0) points.push_back(Point("cpu.percent", value + 0.25, time));
  }
  return points;
}

template <typename Harness>
class TelemetryConformance : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(AddDevice(store(), MakeDevice(1, "pump")));
    ASSERT_TRUE(AddDevice(store(), MakeDevice(2, "monitor")));
  }
  Store& store() { return harness_.store(); }
  const std::string device_ = DeviceId(1);

  Harness harness_;
};

TYPED_TEST_SUITE_P(TelemetryConformance);

TYPED_TEST_P(TelemetryConformance, MetricsAreListedWithTheLatestUnitAndTheirTimeRange) {
  ASSERT_TRUE(AppendPoints(this->store(), this->device_,
                           {Point("memory.bytes", 1e9, kBase + kSecond, "bytes"),
                            Point("cpu.percent", 10, kBase + 10 * kSecond, "%")}));

  ASSERT_TRUE(AppendPoints(this->store(), this->device_,
                           {Point("cpu.percent", 11, kBase + 5 * kSecond, "percent")}));

  auto metrics = ReadDevices(this->store(),
                             [&](const DeviceReader& r) { return r.DeviceMetrics(this->device_); });
  ASSERT_TRUE(metrics) << metrics.error().message;
  EXPECT_EQ(*metrics, (std::vector<MetricInfo>{{.name = "cpu.percent",
                                                .unit = "percent",
                                                .first_unix_nanos = kBase + 5 * kSecond,
                                                .last_unix_nanos = kBase + 10 * kSecond},
                                               {.name = "memory.bytes",
                                                .unit = "bytes",
                                                .first_unix_nanos = kBase + kSecond,
                                                .last_unix_nanos = kBase + kSecond}}));
}

TYPED_TEST_P(TelemetryConformance, EmptyMetricNameIsInvalidArgumentAndChangesNothing) {
  auto appended = AppendPoints(this->store(), this->device_,
                               {Point("cpu.percent", 1, kBase), Point("", 2, kBase)});
  auto read = ReadSamples(this->store(), this->device_, "");

  ASSERT_FALSE(appended);
  EXPECT_EQ(appended.error().code, ErrorCode::kInvalidArgument);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(Stats(this->store()).recent_points, 0);
  auto metrics = ReadDevices(this->store(),
                             [&](const DeviceReader& r) { return r.DeviceMetrics(this->device_); });
  ASSERT_TRUE(metrics);
  EXPECT_TRUE(metrics->empty());
}

TYPED_TEST_P(TelemetryConformance, UnknownDeviceIsNotFoundAndUnknownMetricIsEmpty) {
  auto appended = AppendPoints(this->store(), DeviceId(9), {Point("cpu.percent", 1, kBase)});
  auto samples = ReadSamples(this->store(), DeviceId(9), "cpu.percent");
  auto rollups = ReadRollups(this->store(), DeviceId(9), "cpu.percent");
  auto metrics = ReadDevices(this->store(),
                             [&](const DeviceReader& r) { return r.DeviceMetrics(DeviceId(9)); });
  auto unknown_metric = ReadSamples(this->store(), this->device_, "cpu.percent");

  for (const Status& failed : {appended, samples.map([](auto&&) {}), rollups.map([](auto&&) {}),
                               metrics.map([](auto&&) {})}) {
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().code, ErrorCode::kNotFound) << failed.error().message;
  }
  ASSERT_TRUE(unknown_metric) << unknown_metric.error().message;
  EXPECT_TRUE(unknown_metric->empty());
}

TYPED_TEST_P(TelemetryConformance, SamplesComeInTimeOrderWithEqualTimesInArrivalOrder) {
  ASSERT_TRUE(AppendPoints(
      this->store(), this->device_,
      {Point("cpu.percent", 3, kBase + 3 * kSecond), Point("cpu.percent", 1, kBase + 1 * kSecond),
       Point("cpu.percent", 20, kBase + 2 * kSecond)}));
  ASSERT_TRUE(AppendPoints(this->store(), this->device_,
                           {Point("cpu.percent", 21, kBase + 2 * kSecond),
                            Point("cpu.percent", 4, kBase + 4 * kSecond)}));
  ASSERT_TRUE(AppendPoints(this->store(), DeviceId(2), {Point("cpu.percent", 99, kBase)}));

  auto all = ReadSamples(this->store(), this->device_, "cpu.percent");
  auto range = ReadSamples(this->store(), this->device_, "cpu.percent", kBase + 2 * kSecond,
                           kBase + 4 * kSecond);

  ASSERT_TRUE(all) << all.error().message;
  ASSERT_TRUE(range) << range.error().message;
  EXPECT_EQ(*all, (std::vector<TelemetrySample>{{kBase + kSecond, 1},
                                                {kBase + 2 * kSecond, 20},
                                                {kBase + 2 * kSecond, 21},
                                                {kBase + 3 * kSecond, 3},
                                                {kBase + 4 * kSecond, 4}}));
  EXPECT_EQ(*range,
            (std::vector<TelemetrySample>{
                {kBase + 2 * kSecond, 20}, {kBase + 2 * kSecond, 21}, {kBase + 3 * kSecond, 3}}));
}

TYPED_TEST_P(TelemetryConformance, ValuesAndTimesRoundTripExactly) {
  const double nan = std::bit_cast<double>(std::uint64_t{0x7ff8000000000123});
  const std::vector<model::MetricPoint> points = {
      Point("odd", nan, kBase),
      Point("odd", std::numeric_limits<double>::infinity(), kBase + 1),
      Point("odd", -std::numeric_limits<double>::infinity(), kBase + 2),
      Point("odd", -0.0, kBase + 3),
      Point("odd", 5e-324, kBase + 4),
      Point("odd", std::numeric_limits<double>::max(), kBase + 5),
      Point("odd", 0.1, kBase + 6)};
  ASSERT_TRUE(AppendPoints(this->store(), this->device_, points));
  std::vector<TelemetrySample> expected;
  for (const auto& p : points) expected.push_back({p.time_unix_nanos, p.value});

  auto recent = ReadSamples(this->store(), this->device_, "odd");
  ASSERT_TRUE(Compact(this->store(), kForever));
  auto compacted = ReadSamples(this->store(), this->device_, "odd");

  ASSERT_TRUE(recent) << recent.error().message;
  ASSERT_TRUE(compacted) << compacted.error().message;
  EXPECT_EQ(Exact(*recent), Exact(expected));
  EXPECT_EQ(Exact(*compacted), Exact(expected));
}

TYPED_TEST_P(TelemetryConformance, ReadsAreTheSameBeforeAndAfterCompaction) {
  const auto points = ThreeHoursOfPoints();
  ASSERT_TRUE(AppendPoints(this->store(), this->device_, points));
  // Mid-hour and mid-window, so blocks and roll-ups are split between both areas.
  const std::int64_t before = kBase + 92 * kMinute + 30 * kSecond;
  const std::vector<std::pair<std::int64_t, std::int64_t>> ranges = {
      {0, kForever}, {kBase + 50 * kMinute, kBase + 100 * kMinute}, {before, before + 1}};
  std::vector<std::vector<TelemetrySample>> samples_before;
  std::vector<std::vector<TelemetryRollup>> rollups_before;
  for (const auto& [from, to] : ranges) {
    samples_before.push_back(*ReadSamples(this->store(), this->device_, "cpu.percent", from, to));
    rollups_before.push_back(*ReadRollups(this->store(), this->device_, "cpu.percent", from, to));
  }
  std::int64_t older = 0;
  for (const auto& p : points) older += p.time_unix_nanos < before ? 1 : 0;

  auto moved = Compact(this->store(), before);

  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_EQ(*moved, older);
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    const auto [from, to] = ranges[i];
    EXPECT_EQ(*ReadSamples(this->store(), this->device_, "cpu.percent", from, to),
              samples_before[i]);
    EXPECT_EQ(*ReadRollups(this->store(), this->device_, "cpu.percent", from, to),
              rollups_before[i]);
  }
  const TelemetryStats stats = Stats(this->store());
  EXPECT_EQ(stats.recent_points, static_cast<std::int64_t>(points.size()) - older);
  EXPECT_EQ(stats.block_points, older);
  EXPECT_EQ(stats.blocks, 2);
  EXPECT_EQ(stats.rollups, 19);  // 92.5 minutes: 18 whole windows and half of the 19th.
  EXPECT_GT(stats.block_bytes, 0);
  EXPECT_LT(stats.block_bytes, older * 10);  // Raw samples take 16 bytes.
}

TYPED_TEST_P(TelemetryConformance, CompactionMergesIntoTheBlockOfTheSameHour) {
  ASSERT_TRUE(AppendPoints(this->store(), this->device_,
                           {Point("cpu.percent", 1, kBase + 10 * kSecond),
                            Point("cpu.percent", 2, kBase + 20 * kSecond)}));
  ASSERT_TRUE(Compact(this->store(), kBase + kHourNanos));
  ASSERT_TRUE(AppendPoints(this->store(), this->device_,
                           {Point("cpu.percent", 3, kBase + 20 * kSecond),
                            Point("cpu.percent", 4, kBase + 5 * kSecond)}));

  auto moved = Compact(this->store(), kBase + kHourNanos);

  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_EQ(*moved, 2);
  const TelemetryStats stats = Stats(this->store());
  EXPECT_EQ(stats.blocks, 1);
  EXPECT_EQ(stats.block_points, 4);
  EXPECT_EQ(stats.recent_points, 0);
  EXPECT_EQ(stats.rollups, 1);
  EXPECT_EQ(*ReadSamples(this->store(), this->device_, "cpu.percent"),
            (std::vector<TelemetrySample>{{kBase + 5 * kSecond, 4},
                                          {kBase + 10 * kSecond, 1},
                                          {kBase + 20 * kSecond, 2},
                                          {kBase + 20 * kSecond, 3}}));
  EXPECT_EQ(*ReadRollups(this->store(), this->device_, "cpu.percent"),
            (std::vector<TelemetryRollup>{
                {.start_unix_nanos = kBase, .count = 4, .min = 1, .max = 4, .sum = 10}}));
}

TYPED_TEST_P(TelemetryConformance, RollupsMatchTheRawData) {
  ASSERT_TRUE(AppendPoints(this->store(), this->device_, ThreeHoursOfPoints()));
  ASSERT_TRUE(Compact(this->store(), kBase + 70 * kMinute));
  const std::int64_t from = kBase + 20 * kMinute;
  const std::int64_t to = kBase + 150 * kMinute;

  auto raw = ReadSamples(this->store(), this->device_, "cpu.percent", from, to);
  auto rollups = ReadRollups(this->store(), this->device_, "cpu.percent", from, to);

  ASSERT_TRUE(raw) << raw.error().message;
  ASSERT_TRUE(rollups) << rollups.error().message;
  EXPECT_EQ(rollups->size(), 26u);
  EXPECT_EQ(*rollups, ExpectedRollups(*raw));
}

TYPED_TEST_P(TelemetryConformance, ExpiryDeletesOldSamplesAndRollups) {
  const auto points = ThreeHoursOfPoints();
  ASSERT_TRUE(AppendPoints(this->store(), this->device_, points));
  ASSERT_TRUE(Compact(this->store(), kBase + 2 * kHourNanos));
  const std::int64_t raw_before = kBase + 90 * kMinute;  // Inside the second block.
  const std::int64_t rollup_before = kBase + kHourNanos;
  auto all = ReadSamples(this->store(), this->device_, "cpu.percent");
  auto rollups = ReadRollups(this->store(), this->device_, "cpu.percent");
  ASSERT_TRUE(all && rollups);
  std::int64_t older = 0;
  for (const auto& p : points) older += p.time_unix_nanos < raw_before ? 1 : 0;

  auto deleted = Expire(this->store(), raw_before, rollup_before);

  ASSERT_TRUE(deleted) << deleted.error().message;
  EXPECT_EQ(*deleted, older);
  auto kept = ReadSamples(this->store(), this->device_, "cpu.percent");
  ASSERT_TRUE(kept);
  EXPECT_EQ(*kept, std::vector<TelemetrySample>(all->begin() + older, all->end()));
  auto kept_rollups = ReadRollups(this->store(), this->device_, "cpu.percent");
  ASSERT_TRUE(kept_rollups);
  EXPECT_EQ(*kept_rollups, std::vector<TelemetryRollup>(rollups->begin() + 12, rollups->end()));
  const TelemetryStats stats = Stats(this->store());
  EXPECT_EQ(stats.blocks, 1);
  EXPECT_EQ(stats.recent_points + stats.block_points,
            static_cast<std::int64_t>(points.size()) - older);
}

TYPED_TEST_P(TelemetryConformance, CompactionWithNothingOldMovesNothing) {
  ASSERT_TRUE(AppendPoints(this->store(), this->device_, {Point("cpu.percent", 1, kBase)}));

  auto moved = Compact(this->store(), kBase);

  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_EQ(*moved, 0);
  EXPECT_EQ(Stats(this->store()).recent_points, 1);
  EXPECT_EQ(Stats(this->store()).blocks, 0);
}

REGISTER_TYPED_TEST_SUITE_P(TelemetryConformance,
                            MetricsAreListedWithTheLatestUnitAndTheirTimeRange,
                            EmptyMetricNameIsInvalidArgumentAndChangesNothing,
                            UnknownDeviceIsNotFoundAndUnknownMetricIsEmpty,
                            SamplesComeInTimeOrderWithEqualTimesInArrivalOrder,
                            ValuesAndTimesRoundTripExactly, ReadsAreTheSameBeforeAndAfterCompaction,
                            CompactionMergesIntoTheBlockOfTheSameHour, RollupsMatchTheRawData,
                            ExpiryDeletesOldSamplesAndRollups,
                            CompactionWithNothingOldMovesNothing);

}  // namespace vigil::store::testing
