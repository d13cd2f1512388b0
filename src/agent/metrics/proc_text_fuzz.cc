// Fuzz target: every /proc parser of the agent on arbitrary text (a corrupt or hostile proc
// root must give errors, never crashes), and the invariants of what they return.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "agent/metrics/proc_text.h"
#include "core/check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigil::agent;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto cpu = ParseProcStat(text)) {
    const double percent = CpuPercent(CpuTimes{}, *cpu);
    VIGIL_CHECK(percent < 0 || (percent >= 0 && percent <= 100), "cpu percent out of range");
  }
  if (const auto memory = ParseMeminfo(text)) {
    VIGIL_CHECK(memory->used_bytes() <= memory->total_bytes, "used more than total");
  }
  if (const auto interfaces = ParseNetDev(text)) {
    for (const auto& i : *interfaces) VIGIL_CHECK(!i.name.empty(), "interface without a name");
  }
  if (const auto uptime = ParseUptime(text)) VIGIL_CHECK(*uptime >= 0, "negative uptime");
  (void)ParseLoadavg(text);
  return 0;
}
