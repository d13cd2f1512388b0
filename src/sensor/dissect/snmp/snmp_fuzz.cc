// Fuzz target: any UDP payload reaches the SNMP parser and dissector. Neither may crash, hang or
// read outside the payload; fact values stay bounded.

#include <cstddef>
#include <cstdint>
#include <span>

#include "sensor/dissect/fuzz_checks.h"
#include "sensor/dissect/snmp/dissector.h"
#include "sensor/dissect/snmp/message.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> payload(data, size);
  (void)vigil::sensor::snmp::ParseSnmp(payload);
  vigil::sensor::Packet packet;
  packet.payload = payload;
  packet.src_port = 161;
  vigil::sensor::CollectingSink sink;
  const auto& info = vigil::sensor::snmp::Info();
  if (info.probe(payload, {})) info.dissect_packet(packet, sink);
  vigil::sensor::CheckBoundedFacts(sink);
  return 0;
}
