// Fuzz target: any layer 2 payload after a Cisco SNAP header reaches the CDP parser and
// dissector. Neither may crash, hang or read outside the payload; fact values stay bounded.

#include <cstddef>
#include <cstdint>
#include <span>

#include "sensor/dissect/cdp/dissector.h"
#include "sensor/dissect/cdp/message.h"
#include "sensor/dissect/fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> payload(data, size);
  if (const auto message = vigil::sensor::cdp::ParseCdp(payload)) {
    vigil::sensor::cdp::ForEachAddress(message->addresses, 64, [](const vigil::IpAddress&) {});
  }
  vigil::sensor::Packet packet;
  packet.has_ethernet = true;
  packet.llc_snap = true;
  packet.snap_oui = vigil::sensor::cdp::kSnapOui;
  packet.ethertype = vigil::sensor::cdp::kSnapProtocol;
  packet.payload = payload;
  vigil::sensor::CollectingSink sink;
  const auto& info = vigil::sensor::cdp::Info();
  if (info.probe(payload, {.packet = &packet})) info.dissect_packet(packet, sink);
  vigil::sensor::CheckBoundedFacts(sink, 32);
  return 0;
}
