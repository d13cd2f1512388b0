#include "agent/spool/spool_state.h"

#include <charconv>
#include <cstdio>

namespace vigil::agent {
namespace {

constexpr std::string_view kHeader = "vigil-spool 1\n";
constexpr std::string_view kSegmentPrefix = "seg-";
constexpr std::string_view kSegmentSuffix = ".log";
constexpr std::size_t kSeqHexDigits = 16;

// Reads "<key> <decimal>\n" from the front of `text`.
std::optional<std::uint64_t> TakeField(std::string_view& text, std::string_view key) {
  if (text.substr(0, key.size()) != key || text.size() <= key.size() || text[key.size()] != ' ') {
    return std::nullopt;
  }
  text.remove_prefix(key.size() + 1);
  std::uint64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  const auto used = static_cast<std::size_t>(ptr - text.data());
  if (ec != std::errc() || used == 0 || used >= text.size() || text[used] != '\n' ||
      (text[0] == '0' && used > 1)) {
    return std::nullopt;
  }
  text.remove_prefix(used + 1);
  return value;
}

}  // namespace

std::string FormatSpoolState(const SpoolState& state) {
  return std::string(kHeader) + "first_live_seq " + std::to_string(state.first_live_seq) +
         "\ndropped_pending " + std::to_string(state.dropped_pending) + "\ndropped_total " +
         std::to_string(state.dropped_total) + "\nrejected_total " +
         std::to_string(state.rejected_total) + "\n";
}

Result<SpoolState> ParseSpoolState(std::string_view text) {
  if (text.substr(0, kHeader.size()) != kHeader) {
    return MakeError(ErrorCode::kDataLoss, "spool.state: not a vigil spool state (version 1)");
  }
  text.remove_prefix(kHeader.size());
  const auto first = TakeField(text, "first_live_seq");
  const auto pending = first ? TakeField(text, "dropped_pending") : std::nullopt;
  const auto dropped = pending ? TakeField(text, "dropped_total") : std::nullopt;
  const auto rejected = dropped ? TakeField(text, "rejected_total") : std::nullopt;
  if (!rejected || !text.empty()) {
    return MakeError(ErrorCode::kDataLoss, "spool.state: malformed or truncated");
  }
  return SpoolState{.first_live_seq = *first,
                    .dropped_pending = *pending,
                    .dropped_total = *dropped,
                    .rejected_total = *rejected};
}

std::string SegmentFileName(std::uint64_t first_seq) {
  char hex[kSeqHexDigits + 1];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(first_seq));
  return std::string(kSegmentPrefix) + hex + std::string(kSegmentSuffix);
}

std::optional<std::uint64_t> ParseSegmentFileName(std::string_view name) {
  if (name.size() != kSegmentPrefix.size() + kSeqHexDigits + kSegmentSuffix.size() ||
      name.substr(0, kSegmentPrefix.size()) != kSegmentPrefix ||
      name.substr(name.size() - kSegmentSuffix.size()) != kSegmentSuffix) {
    return std::nullopt;
  }
  const auto hex = name.substr(kSegmentPrefix.size(), kSeqHexDigits);
  for (const char c : hex) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  }
  std::uint64_t value = 0;
  std::from_chars(hex.data(), hex.data() + hex.size(), value, 16);
  return value;
}

}  // namespace vigil::agent
