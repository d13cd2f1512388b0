// Fuzz target: any layer 2 payload after a Cisco SNAP header reaches the CDP parser and
// dissector. Neither may crash, hang or read outside the payload; fact values stay bounded.

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/check.h"
#include "sensor/dissect/cdp/dissector.h"
#include "sensor/dissect/cdp/message.h"
#include "sensor/dissect/text.h"

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
  for (const auto& observation : sink.observations) {
    VIGIL_CHECK(observation.facts.size() <= 32, "too many facts");
    for (const auto& fact : observation.facts) {
      VIGIL_CHECK(fact.value.size() <= vigil::sensor::kMaxFactBytes, "fact value unbounded");
    }
  }
  return 0;
}
