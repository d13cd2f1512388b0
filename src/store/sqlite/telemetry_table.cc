// DeviceTable's telemetry: device_metrics, telemetry_recent, telemetry_blocks and
// telemetry_rollups (migrations.cc, version 3). The rules shared with the in-memory fake are in
// store/telemetry_series.h; this file only moves rows.

#include <bit>
#include <map>
#include <string>
#include <utility>

#include "store/device_checks.h"
#include "store/identity_checks.h"
#include "store/sqlite/device_table.h"
#include "store/sqlite/query.h"
#include "store/telemetry_block.h"
#include "store/telemetry_series.h"

namespace vigil::store::sqlite {
namespace {

std::int64_t Bits(double value) { return std::bit_cast<std::int64_t>(value); }
double FromBits(std::int64_t bits) { return std::bit_cast<double>(bits); }

TelemetrySample ReadSample(const Statement& stmt) {
  return TelemetrySample{.time_unix_nanos = stmt.ColumnInt64(0),
                         .value = FromBits(stmt.ColumnInt64(1))};
}

TelemetryRollup ReadRollup(const Statement& stmt) {
  return TelemetryRollup{.start_unix_nanos = stmt.ColumnInt64(0),
                         .count = stmt.ColumnInt64(1),
                         .min = FromBits(stmt.ColumnInt64(2)),
                         .max = FromBits(stmt.ColumnInt64(3)),
                         .sum = FromBits(stmt.ColumnInt64(4))};
}

std::string Quoted(std::string_view what, std::string_view device_id, std::string_view metric) {
  return std::string(what) + " '" + std::string(device_id) + "' '" + std::string(metric) + "'";
}

// The upsert that records a batch's summary of one metric and answers the series.
constexpr std::string_view kUpsertMetric =
    "INSERT INTO device_metrics (device_id, name, unit, first_unix_nanos, last_unix_nanos) "
    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (device_id, name) DO UPDATE SET "
    "unit = excluded.unit, first_unix_nanos = min(first_unix_nanos, excluded.first_unix_nanos), "
    "last_unix_nanos = max(last_unix_nanos, excluded.last_unix_nanos) RETURNING series";

}  // namespace

Result<std::optional<std::int64_t>> DeviceTable::FindSeries(std::string_view device_id,
                                                            std::string_view metric,
                                                            std::string_view context) const {
  VIGIL_RETURN_IF_ERROR(CheckNotEmpty(metric, "metric name", context));
  VIGIL_RETURN_IF_ERROR(NeedDevice(device_id, context));
  auto series = QueryRows<std::int64_t>(
      db_, "SELECT series FROM device_metrics WHERE device_id = ?1 AND name = ?2",
      [&](Statement& s) {
        s.BindText(1, device_id);
        s.BindText(2, metric);
      },
      [](const Statement& s) { return s.ColumnInt64(0); }, context);
  if (!series) return tl::unexpected(std::move(series).error());
  if (series->empty()) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(series->front());
}

Status DeviceTable::AppendTelemetry(std::string_view device_id,
                                    std::span<const model::MetricPoint> points) {
  const std::string context = "devices append telemetry of '" + std::string(device_id) + "'";
  VIGIL_RETURN_IF_ERROR(CheckMetricPoints(points, context));
  VIGIL_RETURN_IF_ERROR(NeedDevice(device_id, context));
  if (points.empty()) return OkStatus();
  return InSavepoint(db_, "device_telemetry", [&]() -> Status {
    std::map<std::string, std::int64_t, std::less<>> series_of;
    for (const MetricInfo& metric : SummarizeMetrics(points)) {
      auto series = QueryRows<std::int64_t>(
          db_, kUpsertMetric,
          [&](Statement& s) {
            s.BindText(1, device_id);
            s.BindText(2, metric.name);
            s.BindText(3, metric.unit);
            s.BindInt64(4, metric.first_unix_nanos);
            s.BindInt64(5, metric.last_unix_nanos);
          },
          [](const Statement& s) { return s.ColumnInt64(0); }, context);
      if (!series) return tl::unexpected(std::move(series).error());
      if (series->size() != 1) {
        return MakeError(ErrorCode::kInternal, context + ": metric upsert returned no series");
      }
      series_of.emplace(metric.name, series->front());
    }
    for (const model::MetricPoint& point : points) {
      VIGIL_RETURN_IF_ERROR(RunStatement(
          db_,
          "INSERT INTO telemetry_recent (series, time_unix_nanos, value_bits) VALUES (?1, ?2, ?3)",
          [&](Statement& s) {
            s.BindInt64(1, series_of.find(point.name)->second);
            s.BindInt64(2, point.time_unix_nanos);
            s.BindInt64(3, Bits(point.value));
          },
          context));
    }
    return OkStatus();
  });
}

Result<std::vector<MetricInfo>> DeviceTable::DeviceMetrics(std::string_view device_id) const {
  const std::string context = "devices metrics of '" + std::string(device_id) + "'";
  VIGIL_RETURN_IF_ERROR(NeedDevice(device_id, context));
  return QueryRows<MetricInfo>(
      db_,
      "SELECT name, unit, first_unix_nanos, last_unix_nanos FROM device_metrics "
      "WHERE device_id = ? ORDER BY name",
      [&](Statement& s) { s.BindText(1, device_id); },
      [](const Statement& s) {
        return MetricInfo{.name = s.ColumnText(0),
                          .unit = s.ColumnText(1),
                          .first_unix_nanos = s.ColumnInt64(2),
                          .last_unix_nanos = s.ColumnInt64(3)};
      },
      context);
}

Result<std::vector<TelemetrySample>> DeviceTable::Telemetry(std::string_view device_id,
                                                            std::string_view metric,
                                                            std::int64_t from_unix_nanos,
                                                            std::int64_t to_unix_nanos) const {
  const std::string context = Quoted("devices telemetry of", device_id, metric);
  auto series = FindSeries(device_id, metric, context);
  if (!series) return tl::unexpected(std::move(series).error());
  if (!*series || from_unix_nanos >= to_unix_nanos) return std::vector<TelemetrySample>();

  auto blocks = QueryRows<std::vector<std::uint8_t>>(
      db_,
      "SELECT data FROM telemetry_blocks WHERE series = ?1 AND hour_start_unix_nanos >= ?2 "
      "AND hour_start_unix_nanos < ?3 ORDER BY hour_start_unix_nanos",
      [&](Statement& s) {
        s.BindInt64(1, **series);
        s.BindInt64(2, WindowStart(from_unix_nanos, kBlockWindowNanos));
        s.BindInt64(3, to_unix_nanos);
      },
      [](const Statement& s) { return s.ColumnBlob(0); }, context);
  if (!blocks) return tl::unexpected(std::move(blocks).error());
  std::vector<TelemetrySample> compacted;
  for (const auto& data : *blocks) {
    auto samples = DecodeBlock(data);
    if (!samples) return tl::unexpected(Annotate(std::move(samples).error(), context));
    const auto wanted = SamplesIn(*samples, from_unix_nanos, to_unix_nanos);
    compacted.insert(compacted.end(), wanted.begin(), wanted.end());
  }
  auto recent = QueryRows<TelemetrySample>(
      db_,
      "SELECT time_unix_nanos, value_bits FROM telemetry_recent WHERE series = ?1 "
      "AND time_unix_nanos >= ?2 AND time_unix_nanos < ?3 ORDER BY time_unix_nanos, arrival",
      [&](Statement& s) {
        s.BindInt64(1, **series);
        s.BindInt64(2, from_unix_nanos);
        s.BindInt64(3, to_unix_nanos);
      },
      ReadSample, context);
  if (!recent) return tl::unexpected(std::move(recent).error());
  return MergeSamples(compacted, *recent);
}

Result<std::vector<TelemetryRollup>> DeviceTable::TelemetryRollups(
    std::string_view device_id, std::string_view metric, std::int64_t from_unix_nanos,
    std::int64_t to_unix_nanos) const {
  const std::string context = Quoted("devices telemetry roll-ups of", device_id, metric);
  auto series = FindSeries(device_id, metric, context);
  if (!series) return tl::unexpected(std::move(series).error());
  if (!*series || from_unix_nanos >= to_unix_nanos) return std::vector<TelemetryRollup>();

  auto stored = QueryRows<TelemetryRollup>(
      db_,
      "SELECT start_unix_nanos, count, min_bits, max_bits, sum_bits FROM telemetry_rollups "
      "WHERE series = ?1 AND start_unix_nanos >= ?2 AND start_unix_nanos < ?3 "
      "ORDER BY start_unix_nanos",
      [&](Statement& s) {
        s.BindInt64(1, **series);
        s.BindInt64(2, from_unix_nanos);
        s.BindInt64(3, to_unix_nanos);
      },
      ReadRollup, context);
  if (!stored) return tl::unexpected(std::move(stored).error());
  // Recent rows of every window that starts in [from, to); CombineRollups drops the rest.
  const std::int64_t last_window = WindowStart(to_unix_nanos - 1, kRollupWindowNanos);
  auto recent = QueryRows<TelemetrySample>(
      db_,
      "SELECT time_unix_nanos, value_bits FROM telemetry_recent WHERE series = ?1 "
      "AND time_unix_nanos >= ?2 AND time_unix_nanos <= ?3 ORDER BY time_unix_nanos, arrival",
      [&](Statement& s) {
        s.BindInt64(1, **series);
        s.BindInt64(2, WindowStart(from_unix_nanos, kRollupWindowNanos));
        s.BindInt64(3, WindowLast(last_window, kRollupWindowNanos));
      },
      ReadSample, context);
  if (!recent) return tl::unexpected(std::move(recent).error());
  return CombineRollups(*stored, *recent, from_unix_nanos, to_unix_nanos);
}

Result<TelemetryStats> DeviceTable::TelemetryStatistics() const {
  const std::string context = "devices telemetry statistics";
  auto rows = QueryRows<TelemetryStats>(
      db_,
      "SELECT (SELECT count(*) FROM telemetry_recent), "
      "(SELECT coalesce(sum(count), 0) FROM telemetry_blocks), "
      "(SELECT count(*) FROM telemetry_blocks), "
      "(SELECT coalesce(sum(length(data)), 0) FROM telemetry_blocks), "
      "(SELECT count(*) FROM telemetry_rollups)",
      [](Statement&) {},
      [](const Statement& s) {
        return TelemetryStats{.recent_points = s.ColumnInt64(0),
                              .block_points = s.ColumnInt64(1),
                              .blocks = s.ColumnInt64(2),
                              .block_bytes = s.ColumnInt64(3),
                              .rollups = s.ColumnInt64(4)};
      },
      context);
  if (!rows) return tl::unexpected(std::move(rows).error());
  return rows->front();
}

}  // namespace vigil::store::sqlite
