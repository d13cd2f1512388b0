// InspectSpool: the numbers of `vigil-agent status`, read while the agent may be running.
// Nothing is locked, truncated or deleted; a record being appended right now is simply not
// counted yet.

#include <algorithm>
#include <system_error>
#include <vector>

#include "agent/spool/atomic_file.h"
#include "agent/spool/spool.h"
#include "agent/spool/spool_state.h"

namespace vigil::agent {
namespace {

constexpr std::size_t kMaxStateBytes = 4096;
constexpr std::size_t kMaxSegmentRead = 1ull << 30;

}  // namespace

Result<SpoolStats> InspectSpool(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return MakeError(ErrorCode::kNotFound, "spool: " + dir.string() + ": no spool");
  }
  SpoolState state;
  if (auto text = ReadWholeFile(dir / "spool.state", kMaxStateBytes)) {
    if (auto parsed = ParseSpoolState(*text)) state = *parsed;
  }
  std::vector<std::pair<std::uint64_t, std::filesystem::path>> segments;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (const auto seq = ParseSegmentFileName(entry.path().filename().string())) {
      segments.emplace_back(*seq, entry.path());
    }
  }
  if (ec) return MakeError(ErrorCode::kUnavailable, "spool: " + dir.string() + ": " + ec.message());
  std::sort(segments.begin(), segments.end());
  SpoolStats stats{.dropped_pending = state.dropped_pending,
                   .dropped_total = state.dropped_total,
                   .rejected_total = state.rejected_total};
  std::uint64_t min_seq = 0;
  for (const auto& [first_seq, path] : segments) {
    auto data = ReadWholeFile(path, kMaxSegmentRead);
    if (!data) continue;  // Deleted under us by the running agent.
    stats.bytes += data->size();
    const auto scan =
        ScanSegment({reinterpret_cast<const std::uint8_t*>(data->data()), data->size()},
                    std::max(min_seq, first_seq));
    for (const auto& record : scan.records) {
      if (record.seq >= state.first_live_seq) ++stats.records;
    }
    if (!scan.records.empty()) min_seq = scan.records.back().seq + 1;
  }
  return stats;
}

}  // namespace vigil::agent
