#pragma once

// The sensor's records as JSON: observations, findings, flow records and a stats summary, one
// JSON object per line with a "type" field. `vigil sensor --json` prints them, and the sensor's
// uplink sends them to the gateway (POST /v1/observations, /v1/flows). The forms, with examples,
// are in docs/formats/sensor.md. Writing never fails (strings are escaped, invalid UTF-8 replaced);
// absent parts (no MAC, port 0, VLAN 0, no peer) are left out. No trailing newline.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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
};
std::string WriteSensorStatsJson(const SensorStats& stats);

// "tcp", "udp", "icmp", "icmpv6" or the number.
std::string IpProtocolName(std::uint8_t protocol);

}  // namespace vigil::device_protocol
