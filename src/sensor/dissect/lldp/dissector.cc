#include "sensor/dissect/lldp/dissector.h"

#include <string>
#include <utility>

#include "sensor/decode/byte_reader.h"
#include "sensor/dissect/lldp/message.h"
#include "sensor/dissect/text.h"

namespace vigil::sensor::lldp {
namespace {

bool Probe(std::span<const std::uint8_t> payload, const ProbeContext& context) {
  if (context.packet != nullptr &&
      (context.packet->ethertype != kEthertype || context.packet->llc_snap)) {
    return false;
  }
  return payload.size() >= 2 && (payload[0] >> 1) == 1;  // A chassis id TLV first.
}

void DissectPacket(const Packet& packet, Sink& sink) {
  const auto message = ParseLldp(packet.payload);
  if (!message) return;
  model::Observation observation{
      .time_unix_nanos = packet.time_unix_nanos, .protocol = "lldp", .vlan = packet.vlan};
  if (packet.has_ethernet) observation.subject.mac = packet.src_mac;
  FactWriter facts(observation.facts);
  const Message& m = *message;
  if (!m.chassis_id.empty()) {
    facts.Add("lldp.chassis_id", ChassisIdText(m.chassis_id_subtype, m.chassis_id));
  }
  if (!m.port_id.empty()) facts.Add("lldp.port_id", PortIdText(m.port_id_subtype, m.port_id));
  facts.Add("lldp.port_description", m.port_description);
  facts.Add("lldp.system_name", m.system_name);
  facts.Add("lldp.system_description", FirstLine(AsText(m.system_description)));
  if (m.system_capabilities) {
    facts.Add("lldp.capabilities", CapabilityNames(*m.system_capabilities));
    facts.Add("lldp.enabled_capabilities", CapabilityNames(*m.enabled_capabilities));
  }
  for (const auto& address : m.management_addresses()) {
    facts.Add("lldp.management_address", ManagementAddressText(address));
  }
  if (m.port_vlan) facts.Add("lldp.port_vlan", std::to_string(*m.port_vlan));
  facts.Add("lldp.mud_url", m.mud_url);
  facts.Add("lldp.med_manufacturer", m.manufacturer);
  facts.Add("lldp.med_model", m.model);
  facts.Add("lldp.med_hardware_revision", m.hardware_revision);
  facts.Add("lldp.med_firmware_revision", m.firmware_revision);
  facts.Add("lldp.med_software_revision", m.software_revision);
  facts.Add("lldp.med_serial_number", m.serial_number);
  sink.Observe(std::move(observation));
}

}  // namespace

const DissectorInfo& Info() {
  static const DissectorInfo info{
      .name = "lldp",
      .transport = Transport::kLink,
      .probe = &Probe,
      .dissect_packet = &DissectPacket,
  };
  return info;
}

}  // namespace vigil::sensor::lldp
