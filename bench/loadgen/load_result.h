// What one load run measured, printed by main() in the line the bench scripts read.
#pragma once

#include <cstdint>
#include <string>

namespace loadgen {

struct LoadResult {
  std::uint64_t ok = 0;      // Requests answered 2xx, publishes acknowledged, handshakes done.
  std::uint64_t errors = 0;  // Anything else: refused, failed handshakes, non-2xx, drops.
  double seconds = 0;        // From the first connection attempt to the last answer.
  std::string first_error;   // The first error's text, for the script to show.

  // Counts an error, keeping the text of the first.
  void Error(const std::string& what) {
    ++errors;
    if (first_error.empty()) first_error = what;
  }
};

}  // namespace loadgen
