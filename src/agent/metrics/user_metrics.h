#pragma once

// Metrics supplied by the device's owner, not by the kernel: the JSON printed by
// `--metrics-command` or kept in `--metrics-file`, so a gateway beside an infusion pump can
// report the pump's battery or alarm counts. Two forms are accepted (docs/cli.md, vigil-agent):
//
//   {"pump.battery_percent": 87, "pump.occlusion_alarms": 0}
//   [{"name": "pump.battery_percent", "value": 87, "unit": "%"}, ...]   ("unit" optional)
//
// The rules are the gateway's (docs/formats/device-protocol.md), checked here so that one bad
// figure is reported on the device rather than refused with its whole batch: a name is 1 to 128
// characters of A-Z a-z 0-9 _ . : / -; a value is a finite JSON number; a unit is at most 32
// bytes without control characters ("%", "°C"); at most kMaxUserMetrics entries; the text at
// most kMaxUserMetricsBytes.
//
// Errors: kInvalidArgument naming the entry and the reason; one bad entry rejects the whole
// document (partly applied figures would hide the mistake). kResourceExhausted for too many
// entries or too much text. Thread safety: pure.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "model/device_report.h"

namespace vigil::agent {

inline constexpr std::size_t kMaxUserMetrics = 256;
inline constexpr std::size_t kMaxUserMetricsBytes = 64 * 1024;

// The points of `json`, each stamped with `time_unix_nanos`, in document order (the object
// form: in the order of the text).
Result<std::vector<model::MetricPoint>> ParseUserMetrics(std::string_view json,
                                                         std::int64_t time_unix_nanos);

// True if `name` is a valid metric name (also used for the agent's own names in tests).
bool IsValidMetricName(std::string_view name);

}  // namespace vigil::agent
