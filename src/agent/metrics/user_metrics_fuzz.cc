// Fuzz target: ParseUserMetrics on arbitrary text (the output of an operator's script), and
// that every point it accepts satisfies the documented rules.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "agent/metrics/user_metrics.h"
#include "core/check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto points = vigil::agent::ParseUserMetrics(text, 1);
  if (!points) return 0;
  VIGIL_CHECK(points->size() <= vigil::agent::kMaxUserMetrics, "too many points accepted");
  for (const auto& p : *points) {
    VIGIL_CHECK(vigil::agent::IsValidMetricName(p.name), "invalid name accepted");
    VIGIL_CHECK(std::isfinite(p.value), "non-finite value accepted");
    VIGIL_CHECK(p.unit.size() <= 32, "long unit accepted");
  }
  return 0;
}
