#pragma once

// The Linux system metrics the agent reports, read from /proc and statvfs(3) and named once
// here (docs/cli.md lists them):
//
//   family   points (unit)
//   cpu      cpu.percent (%)                      busy share since the previous Collect
//   memory   memory.used_bytes, memory.available_bytes (bytes)
//   disk     disk.used_percent (%), disk.available_bytes (bytes), of the state directory's
//            file system
//   network  network.rx_bytes, network.tx_bytes (bytes, counters since boot, all interfaces
//            but lo), network.rx_bytes_per_second, network.tx_bytes_per_second (bytes/s)
//   uptime   uptime.seconds (s)
//   load     load.1m, load.5m, load.15m
//
// Rates (cpu, network per second) need two samples: the first Collect after construction
// reports none of them (Prime() takes a baseline without reporting).
//
// Errors: a file that cannot be read or parsed costs only its family's points; the reasons come
// back in Sample::errors for the caller to log. Thread safety: one collector per thread.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/metrics/proc_text.h"
#include "core/result.h"
#include "model/device_report.h"

namespace vigil::agent {

inline constexpr std::string_view kSystemMetricFamilies[] = {"cpu",     "memory", "disk",
                                                             "network", "uptime", "load"};

struct SystemMetricsOptions {
  std::filesystem::path proc_root = "/proc";  // Tests point it at a folder of sample files.
  std::filesystem::path disk_path = "/";      // The state directory, in the agent.
};

class SystemMetrics {
 public:
  struct Sample {
    std::vector<model::MetricPoint> points;
    std::vector<Error> errors;
  };

  explicit SystemMetrics(SystemMetricsOptions options);

  // Reads the counters that rates are computed from, so the next Collect can report rates.
  void Prime(std::int64_t now_unix_nanos);

  // The points of the named families (unknown names are ignored), stamped `now_unix_nanos`.
  Sample Collect(const std::vector<std::string>& families, std::int64_t now_unix_nanos);

 private:
  struct NetTotals {
    std::uint64_t rx = 0;
    std::uint64_t tx = 0;
    std::int64_t time_unix_nanos = 0;
  };

  Result<std::string> ReadProc(std::string_view name) const;
  Result<CpuTimes> ReadCpu() const;
  Result<NetTotals> ReadNet(std::int64_t now_unix_nanos) const;
  void AddCpu(Sample& sample, std::int64_t now);
  void AddMemory(Sample& sample, std::int64_t now) const;
  void AddDisk(Sample& sample, std::int64_t now) const;
  void AddNetwork(Sample& sample, std::int64_t now);
  void AddUptime(Sample& sample, std::int64_t now) const;
  void AddLoad(Sample& sample, std::int64_t now) const;

  SystemMetricsOptions options_;
  std::optional<CpuTimes> last_cpu_;
  std::optional<NetTotals> last_net_;
};

}  // namespace vigil::agent
