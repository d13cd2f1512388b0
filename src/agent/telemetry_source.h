#pragma once

// What the agent reports as telemetry: the system families that /v1/config asks for (all of
// them when it names none) plus the operator's own figures from --metrics-command or
// --metrics-file, which are sent whenever one is given (the operator chose them on the device).
//
// Errors: none returned; a family or source that fails costs only its own points, and the
// reasons come back in Collection::errors for the caller to log.
// Thread safety: one owner.

#include <cstdint>
#include <string>
#include <vector>

#include "agent/metrics/command_output.h"
#include "agent/metrics/system_metrics.h"
#include "core/result.h"
#include "model/device_report.h"

namespace vigil::agent {

struct TelemetrySourceOptions {
  SystemMetricsOptions system;
  std::string metrics_command;  // Run through /bin/sh -c; empty: none.
  std::string metrics_file;     // Read each time; empty: none.
  CommandLimits command_limits;
};

class TelemetrySource {
 public:
  struct Collection {
    std::vector<model::MetricPoint> points;
    std::vector<Error> errors;
  };

  explicit TelemetrySource(TelemetrySourceOptions options);

  void Prime(std::int64_t now_unix_nanos) { system_.Prime(now_unix_nanos); }
  Collection Collect(const std::vector<std::string>& families, std::int64_t now_unix_nanos);

  // Seconds since boot, for the heartbeat (-1 if /proc/uptime cannot be read).
  std::int64_t UptimeSeconds();

 private:
  TelemetrySourceOptions options_;
  SystemMetrics system_;
};

// `points` in batches of at most `max_points` (at least 1), in order.
std::vector<std::vector<model::MetricPoint>> SplitIntoBatches(
    std::vector<model::MetricPoint> points, std::size_t max_points);

}  // namespace vigil::agent
