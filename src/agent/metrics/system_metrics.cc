#include "agent/metrics/system_metrics.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "agent/metrics/command_output.h"

namespace vigil::agent {
namespace {

// /proc files are small; this bounds a broken or hostile proc root in tests.
constexpr std::size_t kMaxProcFileBytes = 1 << 20;
constexpr double kNanosPerSecond = 1e9;

model::MetricPoint Point(std::string name, double value, std::string unit, std::int64_t now) {
  return {.name = std::move(name), .value = value, .unit = std::move(unit), .time_unix_nanos = now};
}

bool Wants(const std::vector<std::string>& families, std::string_view family) {
  return std::find(families.begin(), families.end(), family) != families.end();
}

}  // namespace

SystemMetrics::SystemMetrics(SystemMetricsOptions options) : options_(std::move(options)) {}

Result<std::string> SystemMetrics::ReadProc(std::string_view name) const {
  return ReadSmallFile((options_.proc_root / name).string(), kMaxProcFileBytes);
}

Result<CpuTimes> SystemMetrics::ReadCpu() const {
  auto text = ReadProc("stat");
  if (!text) return tl::unexpected(std::move(text).error());
  return ParseProcStat(*text);
}

Result<SystemMetrics::NetTotals> SystemMetrics::ReadNet(std::int64_t now_unix_nanos) const {
  auto text = ReadProc("net/dev");
  if (!text) return tl::unexpected(std::move(text).error());
  auto interfaces = ParseNetDev(*text);
  if (!interfaces) return tl::unexpected(std::move(interfaces).error());
  NetTotals totals{.time_unix_nanos = now_unix_nanos};
  for (const auto& interface : *interfaces) {
    if (interface.name == "lo") continue;
    totals.rx += interface.rx_bytes;
    totals.tx += interface.tx_bytes;
  }
  return totals;
}

void SystemMetrics::Prime(std::int64_t now_unix_nanos) {
  if (auto cpu = ReadCpu()) last_cpu_ = *cpu;
  if (auto net = ReadNet(now_unix_nanos)) last_net_ = *net;
}

SystemMetrics::Sample SystemMetrics::Collect(const std::vector<std::string>& families,
                                             std::int64_t now_unix_nanos) {
  Sample sample;
  if (Wants(families, "cpu")) AddCpu(sample, now_unix_nanos);
  if (Wants(families, "memory")) AddMemory(sample, now_unix_nanos);
  if (Wants(families, "disk")) AddDisk(sample, now_unix_nanos);
  if (Wants(families, "network")) AddNetwork(sample, now_unix_nanos);
  if (Wants(families, "uptime")) AddUptime(sample, now_unix_nanos);
  if (Wants(families, "load")) AddLoad(sample, now_unix_nanos);
  return sample;
}

void SystemMetrics::AddCpu(Sample& sample, std::int64_t now) {
  auto cpu = ReadCpu();
  if (!cpu) {
    sample.errors.push_back(std::move(cpu).error());
    return;
  }
  if (last_cpu_) {
    const double percent = CpuPercent(*last_cpu_, *cpu);
    if (percent >= 0) sample.points.push_back(Point("cpu.percent", percent, "%", now));
  }
  last_cpu_ = *cpu;
}

void SystemMetrics::AddMemory(Sample& sample, std::int64_t now) const {
  auto text = ReadProc("meminfo");
  auto memory = text ? ParseMeminfo(*text) : tl::unexpected(std::move(text).error());
  if (!memory) {
    sample.errors.push_back(std::move(memory).error());
    return;
  }
  sample.points.push_back(
      Point("memory.used_bytes", static_cast<double>(memory->used_bytes()), "bytes", now));
  sample.points.push_back(
      Point("memory.available_bytes", static_cast<double>(memory->available_bytes), "bytes", now));
}

void SystemMetrics::AddDisk(Sample& sample, std::int64_t now) const {
  struct statvfs fs {};
  if (::statvfs(options_.disk_path.c_str(), &fs) != 0) {
    sample.errors.push_back(
        Error{ErrorCode::kUnavailable,
              "statvfs " + options_.disk_path.string() + ": " + std::strerror(errno)});
    return;
  }
  // As df(1) counts: blocks reserved for root are neither used nor available to us.
  const auto used = static_cast<double>(fs.f_blocks - fs.f_bfree);
  const auto available = static_cast<double>(fs.f_bavail);
  if (used + available > 0) {
    sample.points.push_back(
        Point("disk.used_percent", 100.0 * used / (used + available), "%", now));
  }
  sample.points.push_back(
      Point("disk.available_bytes", available * static_cast<double>(fs.f_frsize), "bytes", now));
}

void SystemMetrics::AddNetwork(Sample& sample, std::int64_t now) {
  auto net = ReadNet(now);
  if (!net) {
    sample.errors.push_back(std::move(net).error());
    return;
  }
  sample.points.push_back(Point("network.rx_bytes", static_cast<double>(net->rx), "bytes", now));
  sample.points.push_back(Point("network.tx_bytes", static_cast<double>(net->tx), "bytes", now));
  // No rate across a counter reset (an interface went away, a reboot) or without elapsed time.
  if (last_net_ && net->rx >= last_net_->rx && net->tx >= last_net_->tx &&
      now > last_net_->time_unix_nanos) {
    const double seconds = static_cast<double>(now - last_net_->time_unix_nanos) / kNanosPerSecond;
    sample.points.push_back(Point("network.rx_bytes_per_second",
                                  static_cast<double>(net->rx - last_net_->rx) / seconds, "bytes/s",
                                  now));
    sample.points.push_back(Point("network.tx_bytes_per_second",
                                  static_cast<double>(net->tx - last_net_->tx) / seconds, "bytes/s",
                                  now));
  }
  last_net_ = *net;
}

void SystemMetrics::AddUptime(Sample& sample, std::int64_t now) const {
  auto text = ReadProc("uptime");
  auto uptime = text ? ParseUptime(*text) : tl::unexpected(std::move(text).error());
  if (!uptime) {
    sample.errors.push_back(std::move(uptime).error());
    return;
  }
  sample.points.push_back(Point("uptime.seconds", *uptime, "s", now));
}

void SystemMetrics::AddLoad(Sample& sample, std::int64_t now) const {
  auto text = ReadProc("loadavg");
  auto load = text ? ParseLoadavg(*text) : tl::unexpected(std::move(text).error());
  if (!load) {
    sample.errors.push_back(std::move(load).error());
    return;
  }
  sample.points.push_back(Point("load.1m", load->one, "", now));
  sample.points.push_back(Point("load.5m", load->five, "", now));
  sample.points.push_back(Point("load.15m", load->fifteen, "", now));
}

}  // namespace vigil::agent
