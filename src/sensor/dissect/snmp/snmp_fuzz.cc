// Fuzz target: any UDP payload reaches the SNMP parser and dissector. Neither may crash, hang or
// read outside the payload; fact values stay bounded.

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/check.h"
#include "sensor/dissect/snmp/dissector.h"
#include "sensor/dissect/snmp/message.h"
#include "sensor/dissect/text.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> payload(data, size);
  (void)vigil::sensor::snmp::ParseSnmp(payload);
  vigil::sensor::Packet packet;
  packet.payload = payload;
  packet.src_port = 161;
  vigil::sensor::CollectingSink sink;
  const auto& info = vigil::sensor::snmp::Info();
  if (info.probe(payload, {})) info.dissect_packet(packet, sink);
  for (const auto& observation : sink.observations) {
    for (const auto& fact : observation.facts) {
      VIGIL_CHECK(fact.value.size() <= vigil::sensor::kMaxFactBytes, "fact value unbounded");
    }
  }
  return 0;
}
