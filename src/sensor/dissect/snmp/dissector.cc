#include "sensor/dissect/snmp/dissector.h"

#include <string>

#include "sensor/dissect/snmp/message.h"
#include "sensor/dissect/text.h"

namespace vigil::sensor::snmp {
namespace {

using Bytes = std::span<const std::uint8_t>;

constexpr std::uint16_t kAgentPort = 161;
constexpr std::uint16_t kTrapPort = 162;

// RFC 3418 system group.
constexpr std::string_view kSysDescr = "1.3.6.1.2.1.1.1.0";
constexpr std::string_view kSysObjectId = "1.3.6.1.2.1.1.2.0";
constexpr std::string_view kSysName = "1.3.6.1.2.1.1.5.0";

// 0x30, a BER length (short, 0x81 or 0x82 form), INTEGER 0/1/3, then the community (0x04) or
// the v3 header (0x30).
bool Probe(Bytes p, const ProbeContext& /*context*/) {
  if (p.size() < 8 || p[0] != kTagSequence) return false;
  std::size_t at = p[1] < 0x80 ? 2 : p[1] == 0x81 ? 3 : p[1] == 0x82 ? 4 : 0;
  if (at == 0 || p.size() < at + 4) return false;
  if (p[at] != kTagInteger || p[at + 1] != 1) return false;
  std::uint8_t version = p[at + 2];
  std::uint8_t next = p[at + 3];
  return ((version == 0 || version == 1) && next == kTagOctetString) ||
         (version == 3 && next == kTagSequence);
}

model::Endpoint Source(const Packet& packet) {
  model::Endpoint endpoint{.ip = packet.src_ip, .port = packet.src_port};
  if (packet.has_ethernet) endpoint.mac = packet.src_mac;
  return endpoint;
}

model::Endpoint Destination(const Packet& packet) {
  model::Endpoint endpoint{.ip = packet.dst_ip, .port = packet.dst_port};
  if (packet.has_ethernet) endpoint.mac = packet.dst_mac;
  return endpoint;
}

bool AgentIsSource(const SnmpMessage& message, const Packet& packet) {
  if (message.pdu != PduType::kUnknown) return SentByAgent(message.pdu);
  return packet.src_port == kAgentPort || packet.dst_port == kTrapPort;
}

std::string_view VersionText(Version version) {
  switch (version) {
    case Version::kV1:
      return "1";
    case Version::kV2c:
      return "2c";
    case Version::kV3:
      return "3";
  }
  return "?";
}

void AddSystemFacts(const SnmpMessage& message, std::vector<model::Fact>& facts) {
  if (message.pdu != PduType::kResponse) return;
  for (const auto& varbind : message.varbinds) {
    if (varbind.value.empty()) continue;
    if (varbind.oid == kSysDescr && varbind.value_tag == kTagOctetString) {
      facts.push_back({"snmp.sys_descr", SafeText(varbind.value)});
    } else if (varbind.oid == kSysObjectId && varbind.value_tag == kTagOid) {
      facts.push_back({"snmp.sys_object_id", varbind.value});
    } else if (varbind.oid == kSysName && varbind.value_tag == kTagOctetString) {
      facts.push_back({"snmp.sys_name", SafeText(varbind.value)});
    }
  }
}

void DissectPacket(const Packet& packet, Sink& sink) {
  const auto message = ParseSnmp(packet.payload);
  if (!message) return;
  const bool agent_is_source = AgentIsSource(*message, packet);
  model::Observation o{.time_unix_nanos = packet.time_unix_nanos,
                       .protocol = "snmp",
                       .subject = agent_is_source ? Source(packet) : Destination(packet),
                       .peer = agent_is_source ? Destination(packet) : Source(packet),
                       .vlan = packet.vlan};
  o.facts.push_back({"snmp.version", std::string(VersionText(message->version))});
  o.facts.push_back({"snmp.pdu", std::string(PduTypeName(message->pdu))});
  const bool default_community = message->community == "public" || message->community == "private";
  if (message->version == Version::kV3) {
    if (!message->user_name.empty()) o.facts.push_back({"snmp.user", SafeText(message->user_name)});
    o.facts.push_back({"snmp.auth", message->auth ? "true" : "false"});
    o.facts.push_back({"snmp.priv", message->priv ? "true" : "false"});
  } else {
    // Any community other than the defaults is a secret: only that one was used is recorded.
    o.facts.push_back({"snmp.community", default_community ? message->community : "other"});
  }
  AddSystemFacts(*message, o.facts);
  if (message->version != Version::kV3 && default_community) {
    sink.Report({.time_unix_nanos = packet.time_unix_nanos,
                 .kind = "snmp_default_community",
                 .protocol = "snmp",
                 .severity = model::FindingSeverity::kHigh,
                 .subject = o.subject,
                 .peer = o.peer,
                 .vlan = packet.vlan,
                 .detail = "snmp v" + std::string(VersionText(message->version)) +
                           " with the default community \"" + message->community + "\""});
  }
  sink.Observe(std::move(o));
}

}  // namespace

const DissectorInfo& Info() {
  static const DissectorInfo info{.name = "snmp",
                                  .transport = Transport::kUdp,
                                  .probe = Probe,
                                  .dissect_packet = DissectPacket};
  return info;
}

}  // namespace vigil::sensor::snmp
