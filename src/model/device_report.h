#pragma once

// What a device reports to the gateway and what the gateway tells it, as plain values. The
// gateway parses them from JSON (gateway/messages), the agent builds them (agent/), the store
// keeps them (store/device_repo.h). The JSON forms are in docs/formats/device-protocol.md.
//
// Times are nanoseconds since the Unix epoch (event time, as the device saw it; the receiving
// side adds its own received time where it keeps one).

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace vigil::model {

struct Heartbeat {
  std::int64_t time_unix_nanos = 0;  // 0: the device did not say; the receiver uses its own.
  std::string firmware_version;      // As the device reports it (may differ from the record).
  std::string agent_version;
  std::int64_t uptime_seconds = -1;  // -1: not reported.
  std::string state;                 // "in_use", "idle", "charging", "maintenance", "storage"...
  std::int64_t spool_dropped = 0;    // Records the agent dropped since its last heartbeat.
  friend bool operator==(const Heartbeat&, const Heartbeat&) = default;
};

struct MetricPoint {
  std::string name;  // "cpu.percent", "battery.percent", "pump.occlusion_alarms"...
  double value = 0;
  std::string unit;  // "%", "bytes", "count", "" when unitless.
  std::int64_t time_unix_nanos = 0;
  friend bool operator==(const MetricPoint&, const MetricPoint&) = default;
};

enum class EventSeverity { kDebug, kInfo, kNotice, kWarning, kError, kCritical };

struct DeviceEvent {
  std::int64_t time_unix_nanos = 0;
  std::string kind;  // "security" or "log".
  EventSeverity severity = EventSeverity::kInfo;
  std::string message;
  std::map<std::string, std::string> attributes;  // Small string pairs ("user", "source").
  friend bool operator==(const DeviceEvent&, const DeviceEvent&) = default;
};

// What GET /v1/config answers: what to report and how often.
struct DeviceConfig {
  std::int64_t heartbeat_seconds = 60;
  std::int64_t telemetry_seconds = 60;
  std::vector<std::string> metrics;  // Metric families to collect: "cpu", "memory", "disk"...
  std::int64_t max_batch_points = 500;
  // Renew once less than this part of the certificate's lifetime is left (1/3).
  double renew_when_remaining = 1.0 / 3.0;
  friend bool operator==(const DeviceConfig&, const DeviceConfig&) = default;
};

}  // namespace vigil::model
