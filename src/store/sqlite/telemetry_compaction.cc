// DeviceTable::CompactTelemetry and ExpireTelemetry: recent rows into encoded blocks and
// roll-ups, and old samples out (device_repo.h). The merge rules are store/telemetry_series.h's.

#include <algorithm>
#include <bit>
#include <string>
#include <utility>

#include "store/sqlite/device_table.h"
#include "store/sqlite/query.h"
#include "store/telemetry_block.h"
#include "store/telemetry_series.h"

namespace vigil::store::sqlite {
namespace {

std::int64_t Bits(double value) { return std::bit_cast<std::int64_t>(value); }
double FromBits(std::int64_t bits) { return std::bit_cast<double>(bits); }

std::int64_t ReadInt(const Statement& stmt) { return stmt.ColumnInt64(0); }

// Writes (inserting or replacing) the block of `series` for the hour starting at `hour`.
Status PutBlock(Database& db, std::int64_t series, std::int64_t hour,
                std::span<const TelemetrySample> sorted, std::string_view context) {
  return RunStatement(
      db,
      "INSERT INTO telemetry_blocks (series, hour_start_unix_nanos, count, first_unix_nanos, "
      "last_unix_nanos, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
      "ON CONFLICT (series, hour_start_unix_nanos) DO UPDATE SET count = excluded.count, "
      "first_unix_nanos = excluded.first_unix_nanos, last_unix_nanos = excluded.last_unix_nanos, "
      "data = excluded.data",
      [&](Statement& s) {
        s.BindInt64(1, series);
        s.BindInt64(2, hour);
        s.BindInt64(3, static_cast<std::int64_t>(sorted.size()));
        s.BindInt64(4, sorted.front().time_unix_nanos);
        s.BindInt64(5, sorted.back().time_unix_nanos);
        s.BindBlob(6, EncodeBlock(sorted));
      },
      context);
}

// Merges `fresh` into the stored roll-up of its window, if there is one.
Status AddRollup(Database& db, std::int64_t series, const TelemetryRollup& fresh,
                 std::string_view context) {
  auto stored = QueryRows<TelemetryRollup>(
      db,
      "SELECT start_unix_nanos, count, min_bits, max_bits, sum_bits FROM telemetry_rollups "
      "WHERE series = ?1 AND start_unix_nanos = ?2",
      [&](Statement& s) {
        s.BindInt64(1, series);
        s.BindInt64(2, fresh.start_unix_nanos);
      },
      [](const Statement& s) {
        return TelemetryRollup{.start_unix_nanos = s.ColumnInt64(0),
                               .count = s.ColumnInt64(1),
                               .min = FromBits(s.ColumnInt64(2)),
                               .max = FromBits(s.ColumnInt64(3)),
                               .sum = FromBits(s.ColumnInt64(4))};
      },
      context);
  if (!stored) return tl::unexpected(std::move(stored).error());
  const TelemetryRollup merged = stored->empty() ? fresh : MergeRollups(stored->front(), fresh);
  return RunStatement(
      db,
      "INSERT OR REPLACE INTO telemetry_rollups (series, start_unix_nanos, count, min_bits, "
      "max_bits, sum_bits) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
      [&](Statement& s) {
        s.BindInt64(1, series);
        s.BindInt64(2, merged.start_unix_nanos);
        s.BindInt64(3, merged.count);
        s.BindInt64(4, Bits(merged.min));
        s.BindInt64(5, Bits(merged.max));
        s.BindInt64(6, Bits(merged.sum));
      },
      context);
}

}  // namespace

Status DeviceTable::CompactSeries(std::int64_t series, std::span<const TelemetrySample> sorted,
                                  std::string_view context) {
  for (const HourOfSamples& hour : SplitByHour(sorted)) {
    auto existing = QueryRows<std::vector<std::uint8_t>>(
        db_, "SELECT data FROM telemetry_blocks WHERE series = ?1 AND hour_start_unix_nanos = ?2",
        [&](Statement& s) {
          s.BindInt64(1, series);
          s.BindInt64(2, hour.start_unix_nanos);
        },
        [](const Statement& s) { return s.ColumnBlob(0); }, context);
    if (!existing) return tl::unexpected(std::move(existing).error());
    std::vector<TelemetrySample> merged;
    if (!existing->empty()) {
      auto old = DecodeBlock(existing->front());
      if (!old) return tl::unexpected(Annotate(std::move(old).error(), context));
      merged = MergeSamples(*old, hour.samples);
    } else {
      merged = hour.samples;
    }
    if (merged.size() > kMaxBlockSamples) {
      return MakeError(ErrorCode::kResourceExhausted, std::string(context) + ": more than " +
                                                          std::to_string(kMaxBlockSamples) +
                                                          " samples in the hour starting at " +
                                                          std::to_string(hour.start_unix_nanos));
    }
    VIGIL_RETURN_IF_ERROR(PutBlock(db_, series, hour.start_unix_nanos, merged, context));
    for (const TelemetryRollup& fresh : RollUp(hour.samples)) {
      VIGIL_RETURN_IF_ERROR(AddRollup(db_, series, fresh, context));
    }
  }
  return OkStatus();
}

Result<std::int64_t> DeviceTable::CompactTelemetry(std::int64_t before_unix_nanos) {
  const std::string context = "devices compact telemetry";
  return InSavepoint(db_, "device_compact", [&]() -> Result<std::int64_t> {
    // One pass in index order (series, time, arrival), so each series' samples come sorted;
    // one series at a time is held in memory.
    std::vector<std::int64_t> compacted;
    std::int64_t moved = 0;
    {
      auto scan = db_.Prepare(
          "SELECT series, time_unix_nanos, value_bits FROM telemetry_recent "
          "WHERE time_unix_nanos < ?1 ORDER BY series, time_unix_nanos, arrival");
      if (!scan) return tl::unexpected(Annotate(std::move(scan).error(), context));
      scan->BindInt64(1, before_unix_nanos);
      std::vector<TelemetrySample> samples;
      while (true) {
        auto row = scan->Step();
        if (!row) return tl::unexpected(Annotate(std::move(row).error(), context));
        const bool next_series =
            !*row || compacted.empty() || scan->ColumnInt64(0) != compacted.back();
        if (next_series && !samples.empty()) {
          VIGIL_RETURN_IF_ERROR(CompactSeries(compacted.back(), samples, context));
          moved += static_cast<std::int64_t>(samples.size());
          samples.clear();
        }
        if (!*row) break;
        if (next_series) compacted.push_back(scan->ColumnInt64(0));
        samples.push_back(TelemetrySample{.time_unix_nanos = scan->ColumnInt64(1),
                                          .value = FromBits(scan->ColumnInt64(2))});
      }
    }
    for (std::int64_t series : compacted) {
      VIGIL_RETURN_IF_ERROR(RunStatement(
          db_, "DELETE FROM telemetry_recent WHERE series = ?1 AND time_unix_nanos < ?2",
          [&](Statement& s) {
            s.BindInt64(1, series);
            s.BindInt64(2, before_unix_nanos);
          },
          context));
    }
    return moved;
  });
}

Result<std::int64_t> DeviceTable::ExpireBlocks(std::int64_t raw_before, std::string_view context) {
  // Whole hours before raw_before's hour go at once, through the hour index.
  const std::int64_t hour = WindowStart(raw_before, kBlockWindowNanos);
  auto whole = QueryRows<std::int64_t>(
      db_, "SELECT coalesce(sum(count), 0) FROM telemetry_blocks WHERE hour_start_unix_nanos < ?1",
      [&](Statement& s) { s.BindInt64(1, hour); }, ReadInt, context);
  if (!whole) return tl::unexpected(std::move(whole).error());
  std::int64_t deleted = whole->front();
  VIGIL_RETURN_IF_ERROR(RunStatement(
      db_, "DELETE FROM telemetry_blocks WHERE hour_start_unix_nanos < ?1",
      [&](Statement& s) { s.BindInt64(1, hour); }, context));

  // Blocks of raw_before's own hour lose their older samples.
  struct Partial {
    std::int64_t series;
    std::vector<std::uint8_t> data;
  };
  auto partial = QueryRows<Partial>(
      db_,
      "SELECT series, data FROM telemetry_blocks WHERE hour_start_unix_nanos = ?1 "
      "AND first_unix_nanos < ?2",
      [&](Statement& s) {
        s.BindInt64(1, hour);
        s.BindInt64(2, raw_before);
      },
      [](const Statement& s) {
        return Partial{.series = s.ColumnInt64(0), .data = s.ColumnBlob(1)};
      },
      context);
  if (!partial) return tl::unexpected(std::move(partial).error());
  for (const Partial& block : *partial) {
    auto samples = DecodeBlock(block.data);
    if (!samples) return tl::unexpected(Annotate(std::move(samples).error(), context));
    const auto first_kept = std::lower_bound(
        samples->begin(), samples->end(), raw_before,
        [](const TelemetrySample& sample, std::int64_t t) { return sample.time_unix_nanos < t; });
    const std::vector<TelemetrySample> rest(first_kept, samples->end());
    deleted += static_cast<std::int64_t>(samples->size() - rest.size());
    if (rest.empty()) {
      VIGIL_RETURN_IF_ERROR(RunStatement(
          db_, "DELETE FROM telemetry_blocks WHERE series = ?1 AND hour_start_unix_nanos = ?2",
          [&](Statement& s) {
            s.BindInt64(1, block.series);
            s.BindInt64(2, hour);
          },
          context));
    } else {
      VIGIL_RETURN_IF_ERROR(PutBlock(db_, block.series, hour, rest, context));
    }
  }
  return deleted;
}

Result<std::int64_t> DeviceTable::ExpireTelemetry(std::int64_t raw_before_unix_nanos,
                                                  std::int64_t rollup_before_unix_nanos) {
  const std::string context = "devices expire telemetry";
  return InSavepoint(db_, "device_expire", [&]() -> Result<std::int64_t> {
    // A scan of the recent rows: compaction keeps them few, and expiry runs rarely, so the hot
    // path does not pay for an index on time alone.
    VIGIL_RETURN_IF_ERROR(RunStatement(
        db_, "DELETE FROM telemetry_recent WHERE time_unix_nanos < ?1",
        [&](Statement& s) { s.BindInt64(1, raw_before_unix_nanos); }, context));
    std::int64_t deleted = db_.changes();
    auto from_blocks = ExpireBlocks(raw_before_unix_nanos, context);
    if (!from_blocks) return tl::unexpected(std::move(from_blocks).error());
    deleted += *from_blocks;
    VIGIL_RETURN_IF_ERROR(RunStatement(
        db_, "DELETE FROM telemetry_rollups WHERE start_unix_nanos < ?1",
        [&](Statement& s) { s.BindInt64(1, rollup_before_unix_nanos); }, context));
    return deleted;
  });
}

}  // namespace vigil::store::sqlite
