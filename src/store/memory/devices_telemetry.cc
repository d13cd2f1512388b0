// The fake's telemetry: the same steps as store/sqlite/telemetry_compaction.cc over maps.

#include <algorithm>
#include <limits>
#include <string>
#include <utility>

#include "store/device_checks.h"
#include "store/identity_checks.h"
#include "store/memory/devices.h"
#include "store/telemetry_block.h"
#include "store/telemetry_series.h"

namespace vigil::store::memory {
namespace {

// The series in `slot` as a private copy this write may change (copy on write).
SeriesRows& Mutable(std::shared_ptr<const SeriesRows>& slot) {
  auto copy = slot ? std::make_shared<SeriesRows>(*slot) : std::make_shared<SeriesRows>();
  SeriesRows& rows = *copy;
  slot = std::move(copy);
  return rows;
}

std::string Quoted(std::string_view what, std::string_view device_id, std::string_view metric) {
  return std::string(what) + " '" + std::string(device_id) + "' '" + std::string(metric) + "'";
}

// Recent samples in time order (stable, so equal times keep arrival order).
std::vector<TelemetrySample> SortedRecent(const SeriesRows& series) {
  std::vector<TelemetrySample> sorted = series.recent;
  SortSamples(sorted);
  return sorted;
}

// Moves `sorted` into the series' blocks and roll-ups. Checks the sizes before changing it.
Status Compact(SeriesRows& series, std::span<const TelemetrySample> sorted,
               std::string_view context) {
  struct NewBlock {
    std::int64_t hour;
    std::vector<TelemetrySample> samples;
  };
  std::vector<NewBlock> blocks;
  std::vector<TelemetryRollup> rollups;
  for (const HourOfSamples& hour : SplitByHour(sorted)) {
    std::vector<TelemetrySample> merged = hour.samples;
    if (auto it = series.blocks.find(hour.start_unix_nanos); it != series.blocks.end()) {
      auto old = DecodeBlock(it->second.data);
      if (!old) return tl::unexpected(Annotate(std::move(old).error(), context));
      merged = MergeSamples(*old, hour.samples);
    }
    if (merged.size() > kMaxBlockSamples) {
      return MakeError(ErrorCode::kResourceExhausted, std::string(context) + ": more than " +
                                                          std::to_string(kMaxBlockSamples) +
                                                          " samples in the hour starting at " +
                                                          std::to_string(hour.start_unix_nanos));
    }
    blocks.push_back(NewBlock{.hour = hour.start_unix_nanos, .samples = std::move(merged)});
    for (const TelemetryRollup& fresh : RollUp(hour.samples)) rollups.push_back(fresh);
  }
  for (const NewBlock& block : blocks) {
    series.blocks[block.hour] =
        TelemetryBlockRow{.count = static_cast<std::int64_t>(block.samples.size()),
                          .data = EncodeBlock(block.samples)};
  }
  for (const TelemetryRollup& fresh : rollups) {
    auto [it, added] = series.rollups.try_emplace(fresh.start_unix_nanos, fresh);
    if (!added) it->second = MergeRollups(it->second, fresh);
  }
  return OkStatus();
}

// Drops samples older than `raw_before` from the series' blocks; returns how many went.
Result<std::int64_t> ExpireBlocks(SeriesRows& series, std::int64_t raw_before,
                                  std::string_view context) {
  const std::int64_t hour = WindowStart(raw_before, kBlockWindowNanos);
  std::int64_t deleted = 0;
  auto end = series.blocks.lower_bound(hour);
  for (auto it = series.blocks.begin(); it != end; ++it) deleted += it->second.count;
  auto partial = series.blocks.find(hour);
  std::optional<std::vector<TelemetrySample>> rest;
  if (partial != series.blocks.end()) {
    auto samples = DecodeBlock(partial->second.data);
    if (!samples) return tl::unexpected(Annotate(std::move(samples).error(), context));
    const auto first_kept = std::lower_bound(
        samples->begin(), samples->end(), raw_before,
        [](const TelemetrySample& sample, std::int64_t t) { return sample.time_unix_nanos < t; });
    rest.emplace(first_kept, samples->end());
    deleted += static_cast<std::int64_t>(samples->size() - rest->size());
  }
  series.blocks.erase(series.blocks.begin(), end);
  if (rest && rest->empty()) {
    series.blocks.erase(hour);
  } else if (rest) {
    series.blocks[hour] = TelemetryBlockRow{.count = static_cast<std::int64_t>(rest->size()),
                                            .data = EncodeBlock(*rest)};
  }
  return deleted;
}

}  // namespace

const SeriesRows* Devices::FindSeries(std::string_view device_id, std::string_view metric) const {
  auto device = state_.series.find(device_id);
  if (device == state_.series.end()) return nullptr;
  auto series = device->second.find(metric);
  return series == device->second.end() ? nullptr : series->second.get();
}

Status Devices::AppendTelemetry(std::string_view device_id,
                                std::span<const model::MetricPoint> points) {
  const std::string context = "devices append telemetry of '" + std::string(device_id) + "'";
  VIGIL_RETURN_IF_ERROR(CheckMetricPoints(points, context));
  VIGIL_RETURN_IF_ERROR(NeedDevice(device_id, context));
  if (points.empty()) return OkStatus();
  auto& by_metric = mut_->series[std::string(device_id)];
  for (const MetricInfo& summary : SummarizeMetrics(points)) {
    std::shared_ptr<const SeriesRows>& slot = by_metric[summary.name];
    const bool is_new = slot == nullptr;
    SeriesRows& series = Mutable(slot);
    series.info = is_new ? summary : MergeMetricInfo(series.info, summary);
    for (const model::MetricPoint& point : points) {
      if (point.name != summary.name) continue;
      series.recent.push_back(
          TelemetrySample{.time_unix_nanos = point.time_unix_nanos, .value = point.value});
    }
  }
  return OkStatus();
}

Result<std::vector<MetricInfo>> Devices::DeviceMetrics(std::string_view device_id) const {
  VIGIL_RETURN_IF_ERROR(
      NeedDevice(device_id, "devices metrics of '" + std::string(device_id) + "'"));
  std::vector<MetricInfo> metrics;
  if (auto device = state_.series.find(device_id); device != state_.series.end()) {
    for (const auto& [name, series] : device->second) metrics.push_back(series->info);
  }
  return metrics;
}

Result<std::vector<TelemetrySample>> Devices::Telemetry(std::string_view device_id,
                                                        std::string_view metric,
                                                        std::int64_t from_unix_nanos,
                                                        std::int64_t to_unix_nanos) const {
  const std::string context = Quoted("devices telemetry of", device_id, metric);
  VIGIL_RETURN_IF_ERROR(CheckNotEmpty(metric, "metric name", context));
  VIGIL_RETURN_IF_ERROR(NeedDevice(device_id, context));
  const SeriesRows* series = FindSeries(device_id, metric);
  if (series == nullptr || from_unix_nanos >= to_unix_nanos) return std::vector<TelemetrySample>();
  std::vector<TelemetrySample> compacted;
  auto first = series->blocks.lower_bound(WindowStart(from_unix_nanos, kBlockWindowNanos));
  for (auto it = first; it != series->blocks.end() && it->first < to_unix_nanos; ++it) {
    auto samples = DecodeBlock(it->second.data);
    if (!samples) return tl::unexpected(Annotate(std::move(samples).error(), context));
    const auto wanted = SamplesIn(*samples, from_unix_nanos, to_unix_nanos);
    compacted.insert(compacted.end(), wanted.begin(), wanted.end());
  }
  const std::vector<TelemetrySample> recent = SortedRecent(*series);
  return MergeSamples(compacted, SamplesIn(recent, from_unix_nanos, to_unix_nanos));
}

Result<std::vector<TelemetryRollup>> Devices::TelemetryRollups(std::string_view device_id,
                                                               std::string_view metric,
                                                               std::int64_t from_unix_nanos,
                                                               std::int64_t to_unix_nanos) const {
  const std::string context = Quoted("devices telemetry roll-ups of", device_id, metric);
  VIGIL_RETURN_IF_ERROR(CheckNotEmpty(metric, "metric name", context));
  VIGIL_RETURN_IF_ERROR(NeedDevice(device_id, context));
  const SeriesRows* series = FindSeries(device_id, metric);
  if (series == nullptr || from_unix_nanos >= to_unix_nanos) return std::vector<TelemetryRollup>();
  std::vector<TelemetryRollup> stored;
  for (auto it = series->rollups.lower_bound(from_unix_nanos);
       it != series->rollups.end() && it->first < to_unix_nanos; ++it) {
    stored.push_back(it->second);
  }
  return CombineRollups(stored, SortedRecent(*series), from_unix_nanos, to_unix_nanos);
}

Result<TelemetryStats> Devices::TelemetryStatistics() const {
  TelemetryStats stats;
  for (const auto& [device_id, by_metric] : state_.series) {
    for (const auto& [name, series] : by_metric) {
      stats.recent_points += static_cast<std::int64_t>(series->recent.size());
      stats.blocks += static_cast<std::int64_t>(series->blocks.size());
      for (const auto& [hour, block] : series->blocks) {
        stats.block_points += block.count;
        stats.block_bytes += static_cast<std::int64_t>(block.data.size());
      }
      stats.rollups += static_cast<std::int64_t>(series->rollups.size());
    }
  }
  return stats;
}

Result<std::int64_t> Devices::CompactTelemetry(std::int64_t before_unix_nanos) {
  const std::string context = "devices compact telemetry";
  // A private copy of the series map, published only if every series compacts.
  auto next = mut_->series;
  std::int64_t moved = 0;
  for (auto& [device_id, by_metric] : next) {
    for (auto& [name, slot] : by_metric) {
      const bool has_old = std::any_of(
          slot->recent.begin(), slot->recent.end(),
          [&](const TelemetrySample& s) { return s.time_unix_nanos < before_unix_nanos; });
      if (!has_old) continue;
      SeriesRows& series = Mutable(slot);
      std::vector<TelemetrySample> old;
      std::vector<TelemetrySample> kept;
      for (const TelemetrySample& sample : series.recent) {
        (sample.time_unix_nanos < before_unix_nanos ? old : kept).push_back(sample);
      }
      SortSamples(old);
      VIGIL_RETURN_IF_ERROR(Compact(series, old, context));
      series.recent = std::move(kept);
      moved += static_cast<std::int64_t>(old.size());
    }
  }
  mut_->series = std::move(next);
  return moved;
}

Result<std::int64_t> Devices::ExpireTelemetry(std::int64_t raw_before_unix_nanos,
                                              std::int64_t rollup_before_unix_nanos) {
  const std::string context = "devices expire telemetry";
  auto next = mut_->series;
  std::int64_t deleted = 0;
  for (auto& [device_id, by_metric] : next) {
    for (auto& [name, slot] : by_metric) {
      SeriesRows& series = Mutable(slot);
      deleted +=
          static_cast<std::int64_t>(std::erase_if(series.recent, [&](const TelemetrySample& s) {
            return s.time_unix_nanos < raw_before_unix_nanos;
          }));
      auto from_blocks = ExpireBlocks(series, raw_before_unix_nanos, context);
      if (!from_blocks) return tl::unexpected(std::move(from_blocks).error());
      deleted += *from_blocks;
      series.rollups.erase(series.rollups.begin(),
                           series.rollups.lower_bound(rollup_before_unix_nanos));
    }
  }
  mut_->series = std::move(next);
  return deleted;
}

}  // namespace vigil::store::memory
