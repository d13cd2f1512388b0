// Fuzz target: any UDP payload reaches the NetBIOS name service parser and dissector. Neither
// may crash, hang or read outside the payload; facts stay bounded in number and size.

#include <cstddef>
#include <cstdint>
#include <span>

#include "sensor/dissect/fuzz_checks.h"
#include "sensor/dissect/nbns/dissector.h"
#include "sensor/dissect/nbns/message.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> payload(data, size);
  if (const auto message = vigil::sensor::nbns::ParseNbns(payload)) {
    for (const auto& record : message->records()) {
      (void)vigil::sensor::nbns::ParseNodeStatus(record.data);
    }
  }
  vigil::sensor::Packet packet;
  packet.src_ip = vigil::IpAddress::V4(0x0a000001);
  packet.dst_ip = vigil::IpAddress::V4(0x0a0000ff);
  packet.payload = payload;
  vigil::sensor::CollectingSink sink;
  const auto& info = vigil::sensor::nbns::Info();
  if (info.probe(payload, {})) info.dissect_packet(packet, sink);
  vigil::sensor::CheckBoundedFacts(sink, 32);
  return 0;
}
