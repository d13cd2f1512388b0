#include "store/telemetry_series.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <map>
#include <string_view>
#include <utility>

namespace vigil::store {

std::int64_t WindowStart(std::int64_t time, std::int64_t width) {
  std::int64_t quotient = time / width;
  if (time % width < 0) --quotient;
  // quotient * width would overflow below the lowest aligned window.
  if (quotient < std::numeric_limits<std::int64_t>::min() / width) {
    return std::numeric_limits<std::int64_t>::min();
  }
  return quotient * width;
}

std::int64_t WindowLast(std::int64_t start, std::int64_t width) {
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  if (start == kMin) {
    // The lowest window ends where the lowest aligned one begins.
    const std::int64_t lowest_aligned = (kMin / width) * width;
    if (lowest_aligned > kMin) return lowest_aligned - 1;
  }
  if (start > kMax - (width - 1)) return kMax;
  return start + (width - 1);
}

std::vector<MetricInfo> SummarizeMetrics(std::span<const model::MetricPoint> points) {
  std::map<std::string_view, MetricInfo> by_name;
  for (const model::MetricPoint& point : points) {
    MetricInfo one{.name = point.name,
                   .unit = point.unit,
                   .first_unix_nanos = point.time_unix_nanos,
                   .last_unix_nanos = point.time_unix_nanos};
    auto [it, added] = by_name.try_emplace(point.name, one);
    if (!added) it->second = MergeMetricInfo(it->second, one);
  }
  std::vector<MetricInfo> summary;
  summary.reserve(by_name.size());
  for (auto& [name, info] : by_name) summary.push_back(std::move(info));
  return summary;
}

MetricInfo MergeMetricInfo(const MetricInfo& stored, const MetricInfo& batch) {
  return MetricInfo{.name = stored.name,
                    .unit = batch.unit,
                    .first_unix_nanos = std::min(stored.first_unix_nanos, batch.first_unix_nanos),
                    .last_unix_nanos = std::max(stored.last_unix_nanos, batch.last_unix_nanos)};
}

void SortSamples(std::vector<TelemetrySample>& samples) {
  std::stable_sort(samples.begin(), samples.end(),
                   [](const TelemetrySample& a, const TelemetrySample& b) {
                     return a.time_unix_nanos < b.time_unix_nanos;
                   });
}

std::vector<TelemetrySample> MergeSamples(std::span<const TelemetrySample> earlier,
                                          std::span<const TelemetrySample> later) {
  std::vector<TelemetrySample> merged;
  merged.reserve(earlier.size() + later.size());
  // std::merge takes from the first range on ties.
  std::merge(earlier.begin(), earlier.end(), later.begin(), later.end(), std::back_inserter(merged),
             [](const TelemetrySample& a, const TelemetrySample& b) {
               return a.time_unix_nanos < b.time_unix_nanos;
             });
  return merged;
}

std::span<const TelemetrySample> SamplesIn(std::span<const TelemetrySample> samples,
                                           std::int64_t from, std::int64_t to) {
  if (from >= to) return {};
  auto by_time = [](const TelemetrySample& s, std::int64_t t) { return s.time_unix_nanos < t; };
  const auto first = std::lower_bound(samples.begin(), samples.end(), from, by_time);
  const auto last = std::lower_bound(first, samples.end(), to, by_time);
  return samples.subspan(static_cast<std::size_t>(first - samples.begin()),
                         static_cast<std::size_t>(last - first));
}

std::vector<HourOfSamples> SplitByHour(std::span<const TelemetrySample> sorted) {
  std::vector<HourOfSamples> hours;
  for (const TelemetrySample& sample : sorted) {
    const std::int64_t start = WindowStart(sample.time_unix_nanos, kBlockWindowNanos);
    if (hours.empty() || hours.back().start_unix_nanos != start) {
      hours.push_back(HourOfSamples{.start_unix_nanos = start, .samples = {}});
    }
    hours.back().samples.push_back(sample);
  }
  return hours;
}

std::vector<TelemetryRollup> RollUp(std::span<const TelemetrySample> sorted) {
  std::vector<TelemetryRollup> rollups;
  for (const TelemetrySample& sample : sorted) {
    const std::int64_t start = WindowStart(sample.time_unix_nanos, kRollupWindowNanos);
    if (rollups.empty() || rollups.back().start_unix_nanos != start) {
      rollups.push_back(TelemetryRollup{.start_unix_nanos = start,
                                        .count = 0,
                                        .min = sample.value,
                                        .max = sample.value,
                                        .sum = 0});
    }
    TelemetryRollup& rollup = rollups.back();
    ++rollup.count;
    rollup.sum += sample.value;
    rollup.min = std::fmin(rollup.min, sample.value);
    rollup.max = std::fmax(rollup.max, sample.value);
  }
  return rollups;
}

TelemetryRollup MergeRollups(const TelemetryRollup& earlier, const TelemetryRollup& later) {
  if (earlier.count == 0) return later;
  if (later.count == 0) return earlier;
  return TelemetryRollup{.start_unix_nanos = earlier.start_unix_nanos,
                         .count = earlier.count + later.count,
                         .min = std::fmin(earlier.min, later.min),
                         .max = std::fmax(earlier.max, later.max),
                         .sum = earlier.sum + later.sum};
}

std::vector<TelemetryRollup> CombineRollups(std::span<const TelemetryRollup> stored,
                                            std::span<const TelemetrySample> recent_sorted,
                                            std::int64_t from, std::int64_t to) {
  const std::vector<TelemetryRollup> fresh = RollUp(recent_sorted);
  std::vector<TelemetryRollup> combined;
  auto keep = [&](const TelemetryRollup& rollup) {
    if (rollup.start_unix_nanos >= from && rollup.start_unix_nanos < to) {
      combined.push_back(rollup);
    }
  };
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < stored.size() || j < fresh.size()) {
    if (j == fresh.size() ||
        (i < stored.size() && stored[i].start_unix_nanos < fresh[j].start_unix_nanos)) {
      keep(stored[i++]);
    } else if (i == stored.size() || fresh[j].start_unix_nanos < stored[i].start_unix_nanos) {
      keep(fresh[j++]);
    } else {
      keep(MergeRollups(stored[i++], fresh[j++]));
    }
  }
  return combined;
}

}  // namespace vigil::store
