#pragma once

// The JSON bodies that devices (through vigil-agent) and Vigil's gateway exchange, parsed and
// written for both sides: the gateway parses requests and writes answers, the agent writes
// requests and parses answers. The wire forms, with an example of each, are in
// docs/formats/device-protocol.md. Pure: no I/O.
//
// Parsing. Every body is one JSON object (simdjson's DOM parser, nesting limited to 16 levels,
// the whole document validated, nothing after the value). Unknown fields are ignored, so an older
// gateway accepts a newer agent; a known field of the wrong type is refused, and so is any key
// given twice in one object. `null` is a wrong type, not an absent field. Times are RFC 3339
// strings (years 1678 to 2261, what nanoseconds in an int64 can hold). Every failure is
// kInvalidArgument with the message kind, the path and the reason, lowercase:
//   "telemetry: points[2].value: expected a finite number"
//   "telemetry: points: more than 1000 points"
//   "events: events[0].severity: expected one of debug, info, notice, warning, error, critical"
// Request parsers apply `Limits` (the gateway faces devices); answer parsers (the agent faces
// its own gateway) apply the default Limits to names and lists.
//
// Writing never fails: strings are escaped (quotes, backslash, control characters) and invalid
// UTF-8 is replaced by U+FFFD, so a device's log line with stray bytes still goes through.
// Writers do not apply Limits; what they write parses back to equal values when it is within
// them (a non-finite metric value is the exception: see WriteTelemetry).
//
// Thread safety: all functions may be called from any thread at once. Each thread keeps one
// simdjson parser, sized by the largest body it has parsed (memory above 1 MiB is released after
// each parse); bodies above 8 MiB are refused.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "model/device_report.h"

namespace vigil::device_protocol {

// What one request body may hold; the gateway's defaults.
struct Limits {
  std::size_t max_points = 1000;    // Points in one telemetry body.
  std::size_t max_events = 500;     // Events in one events body.
  std::size_t max_name = 128;       // Bytes of a metric name, version, state, token, key.
  std::size_t max_text = 4096;      // Bytes of an event message or attribute value.
  std::size_t max_attributes = 32;  // Attributes of one event.
  std::size_t max_csr = 16384;      // Bytes of a CSR in PEM.
};

// POST /v1/enroll: a one-time enrolment token and the device's CSR in PEM.
struct EnrollRequest {
  std::string token;
  std::string csr_pem;
  friend bool operator==(const EnrollRequest&, const EnrollRequest&) = default;
};

// The answer to enroll and renew: the device's id and its new certificate.
struct Enrolled {
  std::string device_id;            // 32 lowercase hex digits.
  std::string certificate_pem;      // The leaf.
  std::string ca_chain_pem;         // Intermediate, then root.
  std::int64_t not_after_unix = 0;  // Seconds since the Unix epoch.
  friend bool operator==(const Enrolled&, const Enrolled&) = default;
};

// The answer to a heartbeat.
struct HeartbeatAnswer {
  bool renew = false;        // The certificate is due for renewal: POST /v1/renew.
  bool quarantined = false;  // The device is quarantined; it keeps reporting.
  friend bool operator==(const HeartbeatAnswer&, const HeartbeatAnswer&) = default;
};

// The body of a 4xx/5xx answer, the same shape as http::JsonError.
struct ErrorAnswer {
  std::string code;  // "invalid_argument", "unauthenticated"... (ErrorCodeName's names).
  std::string message;
  friend bool operator==(const ErrorAnswer&, const ErrorAnswer&) = default;
};

// Requests, parsed by the gateway.

// {"token":"vgle_...","csr":"-----BEGIN CERTIFICATE REQUEST-----\n..."}. Both required and
// non-empty; token at most max_name bytes without control characters, csr at most max_csr.
// The CSR's content is the PKI's to check.
Result<EnrollRequest> ParseEnrollRequest(std::string_view json, const Limits& limits);
// {"csr":"..."}: the CSR, as in ParseEnrollRequest.
Result<std::string> ParseRenewRequest(std::string_view json, const Limits& limits);
// Every field optional ({} is a heartbeat): time, firmware_version, agent_version,
// uptime_seconds (integer >= 0), state, spool_dropped (integer >= 0). Absent fields keep
// model::Heartbeat's defaults. Strings at most max_name bytes, no control characters.
Result<model::Heartbeat> ParseHeartbeat(std::string_view json, const Limits& limits);
// {"points":[...]}, at most max_points. Each point needs name (1..max_name of
// [A-Za-z0-9_.:/-]), value (a number) and time; unit is optional (at most 32 bytes, no
// control characters).
Result<std::vector<model::MetricPoint>> ParseTelemetry(std::string_view json, const Limits& limits);
// {"events":[...]}, at most max_events. Each event needs time, kind ("security" or "log"),
// severity (debug|info|notice|warning|error|critical) and message (at most max_text bytes);
// attributes is optional: at most max_attributes string values of at most max_text bytes, keys
// as metric names.
Result<std::vector<model::DeviceEvent>> ParseEvents(std::string_view json, const Limits& limits);

// Answers, parsed by the agent.

// All fields optional (absent ones keep model::DeviceConfig's defaults); heartbeat_seconds and
// telemetry_seconds 1..86400, max_batch_points 1..1000000, renew_when_remaining in (0, 1),
// metrics at most 64 names.
Result<model::DeviceConfig> ParseConfig(std::string_view json);
// All four fields required.
Result<Enrolled> ParseEnrolled(std::string_view json);
// renew and quarantined optional (false); status, if present, a string.
Result<HeartbeatAnswer> ParseHeartbeatAnswer(std::string_view json);
// {"status":"ok","accepted":N}: N, required.
Result<std::size_t> ParseAccepted(std::string_view json);
// {"error":{"code":"...","message":"..."}}: code required, message optional.
Result<ErrorAnswer> ParseErrorAnswer(std::string_view json);

// Writers.

std::string WriteEnrollRequest(const EnrollRequest& request);
std::string WriteRenewRequest(std::string_view csr_pem);
// Leaves out what model::Heartbeat marks as not reported: time 0, uptime -1, empty strings.
std::string WriteHeartbeat(const model::Heartbeat& heartbeat);
// Leaves out points whose value is NaN or infinite (JSON cannot carry them), so the answer's
// accepted count may be smaller than points.size(). An empty unit is left out.
std::string WriteTelemetry(std::span<const model::MetricPoint> points);
std::string WriteEvents(std::span<const model::DeviceEvent> events);
std::string WriteConfig(const model::DeviceConfig& config);
std::string WriteEnrolled(const Enrolled& enrolled);
std::string WriteHeartbeatAnswer(const HeartbeatAnswer& answer);
// {"status":"ok","accepted":N}: the answer to telemetry and events.
std::string WriteAccepted(std::size_t accepted);
// Byte for byte what http::JsonError writes for valid UTF-8.
std::string WriteErrorAnswer(std::string_view code, std::string_view message);

}  // namespace vigil::device_protocol
