#include "agent/metrics/proc_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <system_error>

namespace vigil::agent {
namespace {

std::string_view NextLine(std::string_view& text) {
  const auto end = text.find('\n');
  const auto line = text.substr(0, end);
  text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  return line;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// The next whitespace-separated word of `line`, or empty at its end.
std::string_view NextWord(std::string_view& line) {
  std::size_t i = 0;
  while (i < line.size() && IsSpace(line[i])) ++i;
  std::size_t j = i;
  while (j < line.size() && !IsSpace(line[j])) ++j;
  const auto word = line.substr(i, j - i);
  line.remove_prefix(j);
  return word;
}

std::optional<std::uint64_t> ToU64(std::string_view word) {
  std::uint64_t value = 0;
  const auto* end = word.data() + word.size();
  const auto [ptr, ec] = std::from_chars(word.data(), end, value);
  if (word.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

std::optional<double> ToDouble(std::string_view word) {
  double value = 0;
  const auto* end = word.data() + word.size();
  const auto [ptr, ec] = std::from_chars(word.data(), end, value, std::chars_format::fixed);
  if (word.empty() || ec != std::errc() || ptr != end || !std::isfinite(value) || value < 0) {
    return std::nullopt;
  }
  return value;
}

// Adds without wrapping: hostile or corrupt counters saturate instead of overflowing.
std::uint64_t SaturatingAdd(std::uint64_t a, std::uint64_t b) {
  return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

constexpr std::uint64_t kKiB = 1024;

}  // namespace

Result<CpuTimes> ParseProcStat(std::string_view text) {
  while (!text.empty()) {
    auto line = NextLine(text);
    if (NextWord(line) != "cpu") continue;
    // user nice system idle iowait irq softirq steal [guest guest_nice]; guest time is already
    // counted in user and nice, so it is not added again.
    std::uint64_t fields[8] = {};
    int count = 0;
    for (; count < 8; ++count) {
      const auto word = NextWord(line);
      if (word.empty()) break;
      const auto value = ToU64(word);
      if (!value) return MakeError(ErrorCode::kInvalidArgument, "/proc/stat: bad cpu counter");
      fields[count] = *value;
    }
    if (count < 4) {
      return MakeError(ErrorCode::kInvalidArgument, "/proc/stat: cpu line has under 4 counters");
    }
    CpuTimes times;
    for (const int i : {0, 1, 2, 5, 6, 7}) times.busy = SaturatingAdd(times.busy, fields[i]);
    times.idle = SaturatingAdd(fields[3], fields[4]);
    return times;
  }
  return MakeError(ErrorCode::kInvalidArgument, "/proc/stat: no aggregate cpu line");
}

double CpuPercent(const CpuTimes& before, const CpuTimes& after) {
  if (after.busy < before.busy || after.idle < before.idle) return -1;
  const auto busy = after.busy - before.busy;
  const auto idle = after.idle - before.idle;
  if (busy > UINT64_MAX - idle || busy + idle == 0) return -1;
  // Clamped: near 2^64 the rounding of both counters to double can pass 100 by an ulp.
  return std::clamp(100.0 * static_cast<double>(busy) / static_cast<double>(busy + idle), 0.0,
                    100.0);
}

Result<MemoryInfo> ParseMeminfo(std::string_view text) {
  std::optional<std::uint64_t> total, available, free, buffers, cached;
  while (!text.empty()) {
    auto line = NextLine(text);
    const auto key = NextWord(line);
    std::optional<std::uint64_t>* slot = key == "MemTotal:"       ? &total
                                         : key == "MemAvailable:" ? &available
                                         : key == "MemFree:"      ? &free
                                         : key == "Buffers:"      ? &buffers
                                         : key == "Cached:"       ? &cached
                                                                  : nullptr;
    if (slot == nullptr) continue;
    const auto value = ToU64(NextWord(line));
    const auto unit = NextWord(line);
    if (!value || (unit != "kB" && !unit.empty()) || *value > UINT64_MAX / kKiB) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "/proc/meminfo: bad value for " + std::string(key));
    }
    *slot = unit.empty() ? *value : *value * kKiB;
  }
  if (!total) return MakeError(ErrorCode::kInvalidArgument, "/proc/meminfo: no MemTotal");
  if (!available) {
    if (!free || !buffers || !cached) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "/proc/meminfo: neither MemAvailable nor MemFree, Buffers and Cached");
    }
    available = SaturatingAdd(SaturatingAdd(*free, *buffers), *cached);
  }
  return MemoryInfo{.total_bytes = *total, .available_bytes = *available};
}

Result<std::vector<InterfaceCounters>> ParseNetDev(std::string_view text) {
  // Two header lines, then "  name: rx_bytes rx_packets ... (8 receive, 8 transmit columns)".
  std::vector<InterfaceCounters> interfaces;
  while (!text.empty()) {
    const auto line = NextLine(text);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || line.find('|') != std::string_view::npos) continue;
    auto name = line.substr(0, colon);
    name = NextWord(name);
    auto rest = line.substr(colon + 1);
    std::uint64_t columns[9] = {};
    for (auto& column : columns) {
      const auto value = ToU64(NextWord(rest));
      if (!value || name.empty()) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "/proc/net/dev: bad counters for interface \"" + std::string(name) + "\"");
      }
      column = *value;
    }
    interfaces.push_back(
        {.name = std::string(name), .rx_bytes = columns[0], .tx_bytes = columns[8]});
  }
  return interfaces;
}

Result<double> ParseUptime(std::string_view text) {
  auto line = NextLine(text);
  const auto seconds = ToDouble(NextWord(line));
  if (!seconds) return MakeError(ErrorCode::kInvalidArgument, "/proc/uptime: no seconds");
  return *seconds;
}

Result<LoadAverage> ParseLoadavg(std::string_view text) {
  auto line = NextLine(text);
  const auto one = ToDouble(NextWord(line));
  const auto five = ToDouble(NextWord(line));
  const auto fifteen = ToDouble(NextWord(line));
  if (!one || !five || !fifteen) {
    return MakeError(ErrorCode::kInvalidArgument, "/proc/loadavg: expected three load averages");
  }
  return LoadAverage{.one = *one, .five = *five, .fifteen = *fifteen};
}

}  // namespace vigil::agent
