#pragma once

// The arithmetic of one telemetry series (one device and metric) that every DeviceRepo
// implementation shares, so the SQLite store and the in-memory fake compact, roll up and merge
// the same way and answer alike (device_repo.h): window boundaries, 5-minute roll-ups, and the
// merge of compacted and recent samples.
//
// Ordering: "sorted" below means ascending by time with equal times in arrival order. Compacted
// samples arrived before any recent sample of the same time (CompactTelemetry moves every point
// older than its bound), so merges put the earlier source first on ties.
//
// Roll-ups: count, sum (added in sorted order), and min/max by std::fmin/std::fmax, so NaN
// samples count and poison the sum but do not hide the other values' extremes.
//
// Thread safety: pure functions.

#include <cstdint>
#include <span>
#include <vector>

#include "store/device_repo.h"

namespace vigil::store {

inline constexpr std::int64_t kRollupWindowNanos = 300'000'000'000;   // 5 minutes.
inline constexpr std::int64_t kBlockWindowNanos = 3'600'000'000'000;  // 1 hour.

// The start of the window of `width` that holds `time` (floor division; windows are aligned
// to the Unix epoch). The lowest window, which cannot start at its aligned time, starts at
// INT64_MIN.
std::int64_t WindowStart(std::int64_t time, std::int64_t width);

// The last time inside the window of `width` starting at `start`, INT64_MAX at the top.
std::int64_t WindowLast(std::int64_t start, std::int64_t width);

// What one AppendTelemetry batch says about each metric it names, ascending by name: the unit
// of the batch's last point of that metric and its least and greatest times.
std::vector<MetricInfo> SummarizeMetrics(std::span<const model::MetricPoint> points);

// A stored metric updated by a batch's summary: the batch's unit, the wider time range.
MetricInfo MergeMetricInfo(const MetricInfo& stored, const MetricInfo& batch);

// Sorts samples given in arrival order (stable by time).
void SortSamples(std::vector<TelemetrySample>& samples);

// Sorted `earlier` and `later` merged, `earlier` first on equal times.
std::vector<TelemetrySample> MergeSamples(std::span<const TelemetrySample> earlier,
                                          std::span<const TelemetrySample> later);

// The samples of sorted `samples` with from <= time < to.
std::span<const TelemetrySample> SamplesIn(std::span<const TelemetrySample> samples,
                                           std::int64_t from, std::int64_t to);

// Sorted samples split into the hours (kBlockWindowNanos) that hold them, ascending.
struct HourOfSamples {
  std::int64_t start_unix_nanos = 0;
  std::vector<TelemetrySample> samples;
};
std::vector<HourOfSamples> SplitByHour(std::span<const TelemetrySample> sorted);

// 5-minute roll-ups of sorted samples, ascending by window.
std::vector<TelemetryRollup> RollUp(std::span<const TelemetrySample> sorted);

// Two roll-ups of the same window as one (`earlier`'s sum first).
TelemetryRollup MergeRollups(const TelemetryRollup& earlier, const TelemetryRollup& later);

// What TelemetryRollups answers: the stored roll-ups (ascending) merged window by window with
// the roll-ups of the sorted recent samples, keeping windows with from <= start < to.
std::vector<TelemetryRollup> CombineRollups(std::span<const TelemetryRollup> stored,
                                            std::span<const TelemetrySample> recent_sorted,
                                            std::int64_t from, std::int64_t to);

}  // namespace vigil::store
