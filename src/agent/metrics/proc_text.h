#pragma once

// Pure parsers of the Linux /proc files the agent reports from, over the files' text:
// /proc/stat (the aggregate "cpu" line), /proc/meminfo, /proc/net/dev, /proc/uptime and
// /proc/loadavg (proc(5)). Reading the files is system_metrics.h's job; these functions never
// touch the file system, so tests feed them sample text and a fuzz target feeds them anything.
//
// Errors: kInvalidArgument naming the file and what is missing or malformed
// ("/proc/stat: no aggregate cpu line"). Unknown lines and extra columns are ignored (newer
// kernels add them). Thread safety: pure functions.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace vigil::agent {

// Jiffies since boot from the aggregate "cpu" line of /proc/stat.
struct CpuTimes {
  std::uint64_t busy = 0;  // user + nice + system + irq + softirq + steal.
  std::uint64_t idle = 0;  // idle + iowait.
  std::uint64_t total() const { return busy + idle; }
};
Result<CpuTimes> ParseProcStat(std::string_view text);

// Percent of CPU time spent busy between two samples, in [0, 100]. Returns a negative value
// when no time passed or the counters went backwards (the caller reports nothing then).
double CpuPercent(const CpuTimes& before, const CpuTimes& after);

// /proc/meminfo in bytes. `available` is MemAvailable, or MemFree + Buffers + Cached on kernels
// older than 3.14 that lack it.
struct MemoryInfo {
  std::uint64_t total_bytes = 0;
  std::uint64_t available_bytes = 0;
  std::uint64_t used_bytes() const {
    return total_bytes > available_bytes ? total_bytes - available_bytes : 0;
  }
};
Result<MemoryInfo> ParseMeminfo(std::string_view text);

// One interface of /proc/net/dev.
struct InterfaceCounters {
  std::string name;
  std::uint64_t rx_bytes = 0;
  std::uint64_t tx_bytes = 0;
};
Result<std::vector<InterfaceCounters>> ParseNetDev(std::string_view text);

// Seconds since boot, the first number of /proc/uptime.
Result<double> ParseUptime(std::string_view text);

// The three load averages of /proc/loadavg.
struct LoadAverage {
  double one = 0;
  double five = 0;
  double fifteen = 0;
};
Result<LoadAverage> ParseLoadavg(std::string_view text);

}  // namespace vigil::agent
