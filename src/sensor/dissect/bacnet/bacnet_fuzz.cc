// Fuzz target: any UDP payload reaches the BACnet parser and dissector. Neither may crash, hang
// or read outside the payload; fact values stay bounded.

#include <cstddef>
#include <cstdint>
#include <span>

#include "sensor/dissect/bacnet/dissector.h"
#include "sensor/dissect/bacnet/message.h"
#include "sensor/dissect/fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> payload(data, size);
  (void)vigil::sensor::bacnet::ParseBacnet(payload);
  vigil::sensor::Packet packet;
  packet.payload = payload;
  vigil::sensor::CollectingSink sink;
  const auto& info = vigil::sensor::bacnet::Info();
  if (info.probe(payload, {})) info.dissect_packet(packet, sink);
  vigil::sensor::CheckBoundedFacts(sink);
  return 0;
}
