#pragma once

// What the passive sensor learns from traffic, as plain values: observations (facts about one
// device, such as "its DHCP host name is pump-12"), findings (something a security team must
// look at, such as patient data crossing the network in clear text) and flow records (who talked
// to whom, how much, with which application). The sensor makes them (sensor/), the inventory
// merges them into devices (inventory/), the gateway carries them from a remote sensor. The JSON
// lines form is documented in docs/formats/sensor.md.
//
// Times are nanoseconds since the Unix epoch, taken from the packets (event time), never from
// the wall clock. Facts never carry patient data: dissectors record that it was seen, not what.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/net_address.h"

namespace vigil::model {

// One side of a conversation as the sensor saw it. Any part may be unknown (an LLDP frame has
// no IP address; a packet read from a raw-IP capture has no MAC).
struct Endpoint {
  std::optional<MacAddress> mac;
  std::optional<IpAddress> ip;
  std::uint16_t port = 0;  // 0: not a port-based protocol.
  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

// A named fact. Keys are lowercase with dots ("dhcp.hostname", "dicom.calling_ae"); each
// protocol's keys are listed in docs/formats/sensor.md. A key may repeat (several service types).
struct Fact {
  std::string key;
  std::string value;
  friend bool operator==(const Fact&, const Fact&) = default;
};

struct Observation {
  std::int64_t time_unix_nanos = 0;
  std::string protocol;          // The dissector's name: "dhcp", "hl7", "dicom", "tls"...
  Endpoint subject;              // The device the facts describe.
  std::optional<Endpoint> peer;  // The other side, when the facts concern a conversation.
  std::uint16_t vlan = 0;        // Outermost 802.1Q VLAN id; 0 when untagged.
  std::vector<Fact> facts;
  friend bool operator==(const Observation&, const Observation&) = default;
};

enum class FindingSeverity { kLow, kMedium, kHigh, kCritical };

struct Finding {
  std::int64_t time_unix_nanos = 0;
  std::string kind;      // "cleartext_patient_data", "cleartext_login", "snmp_default_community"...
  std::string protocol;  // The dissector that saw it.
  FindingSeverity severity = FindingSeverity::kMedium;
  Endpoint subject;              // The device at fault or at risk.
  std::optional<Endpoint> peer;  // The other side.
  std::uint16_t vlan = 0;
  std::string detail;  // One line for a person; never patient data or passwords.
  friend bool operator==(const Finding&, const Finding&) = default;
};

// Why a flow record was written.
enum class FlowEnd {
  kIdle,          // No packet within the idle timeout.
  kActive,        // Long-lived flow: a record per active timeout, the flow goes on.
  kClosed,        // TCP FIN from both sides, or RST.
  kEvicted,       // The flow table was full and this flow was the least recently seen.
  kEndOfCapture,  // The capture ended (file read to its end, or the sensor stopped).
};

struct FlowRecord {
  std::int64_t start_unix_nanos = 0;
  std::int64_t end_unix_nanos = 0;  // Time of the last packet.
  std::uint16_t vlan = 0;
  std::uint8_t ip_protocol = 0;  // 6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6...
  Endpoint client;               // The side that sent the first packet (or the TCP SYN).
  Endpoint server;
  std::uint64_t client_packets = 0;
  std::uint64_t client_bytes = 0;  // IP bytes, headers included, as NetFlow counts them.
  std::uint64_t server_packets = 0;
  std::uint64_t server_bytes = 0;
  std::string application;  // The dissector that recognised the payload; empty if none did.
  std::string tcp_state;    // "established", "closed", "reset", "syn_only"...; empty for UDP.
  FlowEnd end = FlowEnd::kIdle;
  friend bool operator==(const FlowRecord&, const FlowRecord&) = default;
};

std::string_view FlowEndName(FlowEnd end);         // "idle", "active", "closed"...
std::string_view SeverityName(FindingSeverity s);  // "low", "medium", "high", "critical"
// "tcp", "udp", "icmp", "icmpv6", or the number ("47"): how records and the API name an IP
// protocol.
std::string IpProtocolName(std::uint8_t ip_protocol);

}  // namespace vigil::model
