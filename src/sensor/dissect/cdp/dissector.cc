#include "sensor/dissect/cdp/dissector.h"

#include <string>
#include <utility>

#include "sensor/decode/byte_reader.h"
#include "sensor/dissect/cdp/message.h"
#include "sensor/dissect/text.h"

namespace vigil::sensor::cdp {
namespace {

constexpr std::size_t kMaxAddresses = 4;

bool IsUnspecified(const IpAddress& ip) {
  for (const std::uint8_t b : ip.bytes()) {
    if (b != 0) return false;
  }
  return true;
}

// One fact per address of an addresses field (at most kMaxAddresses), skipping 0.0.0.0.
void AddAddresses(FactWriter& facts, std::string_view key, std::span<const std::uint8_t> field) {
  ForEachAddress(field, kMaxAddresses, [&](const IpAddress& ip) {
    if (!IsUnspecified(ip)) facts.Add(key, ip.ToString());
  });
}

bool Probe(std::span<const std::uint8_t> payload, const ProbeContext& context) {
  if (context.packet != nullptr &&
      (!context.packet->llc_snap || context.packet->snap_oui != kSnapOui ||
       context.packet->ethertype != kSnapProtocol)) {
    return false;
  }
  return payload.size() >= 4 && (payload[0] == 1 || payload[0] == 2);
}

void DissectPacket(const Packet& packet, Sink& sink) {
  const auto message = ParseCdp(packet.payload);
  if (!message) return;
  model::Observation observation{
      .time_unix_nanos = packet.time_unix_nanos, .protocol = "cdp", .vlan = packet.vlan};
  if (packet.has_ethernet) observation.subject.mac = packet.src_mac;
  FactWriter facts(observation.facts);
  const Message& m = *message;
  facts.Add("cdp.device_id", m.device_id);
  AddAddresses(facts, "cdp.address", m.addresses);
  facts.Add("cdp.port_id", m.port_id);
  if (m.capabilities) facts.Add("cdp.capabilities", CapabilityNames(*m.capabilities));
  facts.Add("cdp.software_version", FirstLine(AsText(m.software_version)));
  facts.Add("cdp.platform", m.platform);
  facts.Add("cdp.vtp_domain", m.vtp_domain);
  if (m.native_vlan) facts.Add("cdp.native_vlan", std::to_string(*m.native_vlan));
  AddAddresses(facts, "cdp.management_address", m.management_addresses);
  sink.Observe(std::move(observation));
}

}  // namespace

const DissectorInfo& Info() {
  static const DissectorInfo info{
      .name = "cdp",
      .transport = Transport::kLink,
      .probe = &Probe,
      .dissect_packet = &DissectPacket,
  };
  return info;
}

}  // namespace vigil::sensor::cdp
