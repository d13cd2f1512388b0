// Fuzz target: any UDP payload reaches the SSDP probe, parser and dissector. None may crash,
// hang or read outside the payload; fact values stay bounded.

#include <cstddef>
#include <cstdint>
#include <span>

#include "sensor/dissect/fuzz_checks.h"
#include "sensor/dissect/ssdp/dissector.h"
#include "sensor/dissect/ssdp/message.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> payload(data, size);
  if (const auto message = vigil::sensor::ssdp::ParseSsdp(payload)) {
    (void)vigil::sensor::ssdp::DeviceType(message->usn);
  }
  vigil::sensor::Packet packet;
  packet.src_ip = vigil::IpAddress::V4(0x0a000001);
  packet.dst_ip = vigil::IpAddress::V4(0xeffffffa);
  packet.payload = payload;
  vigil::sensor::CollectingSink sink;
  const auto& info = vigil::sensor::ssdp::Info();
  if (info.probe(payload, {})) info.dissect_packet(packet, sink);
  vigil::sensor::CheckBoundedFacts(sink);
  return 0;
}
