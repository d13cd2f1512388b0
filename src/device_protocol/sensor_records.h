#pragma once

// The sensor's records as JSON: observations, findings, flow records and a stats summary, one
// JSON object per line with a "type" field. `vigil sensor --json` prints them, and the sensor's
// uplink sends them to the gateway (POST /v1/observations, /v1/flows). The forms, with examples,
// are in docs/formats/sensor.md. Writing never fails (strings are escaped, invalid UTF-8 replaced);
// absent parts (no MAC, port 0, VLAN 0, no peer) are left out. No trailing newline.
//
// Parsing follows the rules of messages.h (simdjson DOM, depth 16, repeated keys refused,
// unknown fields ignored, `null` a wrong type) and applies SensorLimits, since the gateway
// faces remote sensors. A record's "type" may be left out inside a request body; when present
// it must name the record. Every failure is kInvalidArgument naming the path:
//   "observations: observations[3].subject.mac: expected a mac address"
//   "flow: proto: expected tcp, udp, icmp, icmpv6 or a number 0 to 255"
// What the writers make parses back to equal values when it is within the limits.
//
// Thread safety: as messages.h (any thread; one simdjson parser per thread).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/result.h"
#include "model/observation.h"

namespace vigil::device_protocol {

std::string WriteObservationJson(const model::Observation& observation);
std::string WriteFindingJson(const model::Finding& finding);
std::string WriteFlowRecordJson(const model::FlowRecord& record);

// The summary a sensor prints at the end: counters by name, and the weird counters by reason
// (only those above zero).
struct SensorStats {
  std::vector<std::pair<std::string, std::uint64_t>> counters;  // "packets", "flows"...
  std::vector<std::pair<std::string, std::uint64_t>> weird;     // "truncated_ipv4"...
  friend bool operator==(const SensorStats&, const SensorStats&) = default;
};
std::string WriteSensorStatsJson(const SensorStats& stats);

// What one record or body from a sensor may hold; the gateway's defaults.
struct SensorLimits {
  std::size_t max_records = 5000;  // Observations + findings, or flows, in one body.
  std::size_t max_facts = 256;     // Facts of one observation.
  std::size_t max_name = 128;      // Bytes of a protocol, fact key, kind, application, state.
  std::size_t max_text = 4096;     // Bytes of a fact value or a finding's detail.
  std::size_t max_counters = 256;  // Counters, and weird reasons, in a stats line.
};

// One JSON line as --json prints it, by its "type" (required here).
using SensorRecord =
    std::variant<model::Observation, model::Finding, model::FlowRecord, SensorStats>;
Result<SensorRecord> ParseSensorRecord(std::string_view line, const SensorLimits& limits = {});

// POST /v1/observations: {"observations":[...],"findings":[...]}, each an array of the records
// above (either may be empty, both are required). POST /v1/flows: {"flows":[...]}. Together at
// most max_records per body.
struct ObservationsBody {
  std::vector<model::Observation> observations;
  std::vector<model::Finding> findings;
  friend bool operator==(const ObservationsBody&, const ObservationsBody&) = default;
};
Result<ObservationsBody> ParseObservationsBody(std::string_view json,
                                               const SensorLimits& limits = {});
Result<std::vector<model::FlowRecord>> ParseFlowsBody(std::string_view json,
                                                      const SensorLimits& limits = {});
std::string WriteObservationsBody(std::span<const model::Observation> observations,
                                  std::span<const model::Finding> findings);
std::string WriteFlowsBody(std::span<const model::FlowRecord> flows);

}  // namespace vigil::device_protocol
