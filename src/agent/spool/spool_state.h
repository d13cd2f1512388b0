#pragma once

// The small text files of the spool's directory, as pure functions: `spool.state` and the
// names of segment files.
//
//   spool.state:  "vigil-spool 1\nfirst_live_seq N\ndropped_pending N\ndropped_total N\n
//                  rejected_total N\n"   (every field present, in this order, decimal)
//   segments:     "seg-<first seq as 16 lowercase hex digits>.log"
//
// Errors: kDataLoss for a state text that is not exactly this form (the spool then starts
// over from its segments). Thread safety: pure.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil::agent {

struct SpoolState {
  std::uint64_t first_live_seq = 1;
  std::uint64_t dropped_pending = 0;
  std::uint64_t dropped_total = 0;
  std::uint64_t rejected_total = 0;
  friend bool operator==(const SpoolState&, const SpoolState&) = default;
};

std::string FormatSpoolState(const SpoolState& state);
Result<SpoolState> ParseSpoolState(std::string_view text);

std::string SegmentFileName(std::uint64_t first_seq);
std::optional<std::uint64_t> ParseSegmentFileName(std::string_view name);

}  // namespace vigil::agent
