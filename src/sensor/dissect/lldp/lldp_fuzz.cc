// Fuzz target: any layer 2 payload reaches the LLDP parser and dissector. Neither may crash,
// hang or read outside the payload; fact values stay bounded.

#include <cstddef>
#include <cstdint>
#include <span>

#include "sensor/dissect/fuzz_checks.h"
#include "sensor/dissect/lldp/dissector.h"
#include "sensor/dissect/lldp/message.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> payload(data, size);
  if (const auto message = vigil::sensor::lldp::ParseLldp(payload)) {
    (void)vigil::sensor::lldp::ChassisIdText(message->chassis_id_subtype, message->chassis_id);
    (void)vigil::sensor::lldp::PortIdText(message->port_id_subtype, message->port_id);
  }
  vigil::sensor::Packet packet;
  packet.has_ethernet = true;
  packet.ethertype = vigil::sensor::lldp::kEthertype;
  packet.payload = payload;
  vigil::sensor::CollectingSink sink;
  const auto& info = vigil::sensor::lldp::Info();
  if (info.probe(payload, {.packet = &packet})) info.dissect_packet(packet, sink);
  vigil::sensor::CheckBoundedFacts(sink, 32);
  return 0;
}
