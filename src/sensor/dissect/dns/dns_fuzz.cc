// Fuzz target: any UDP payload reaches the DNS parser and dissector, as unicast DNS, mDNS and
// LLMNR (the first byte picks the ports). Neither may crash, hang or read outside the payload;
// facts stay bounded in number and size.

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/check.h"
#include "sensor/dissect/dns/dissector.h"
#include "sensor/dissect/dns/message.h"
#include "sensor/dissect/fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static constexpr std::uint16_t kPorts[] = {53, 5353, 5355, 8600};
  const std::uint16_t port = kPorts[data[0] % 4];
  const std::span<const std::uint8_t> payload(data + 1, size - 1);

  if (const auto message = vigil::sensor::dns::ParseDns(payload)) {
    for (const auto& question : message->questions()) {
      const auto name = vigil::sensor::dns::DecodeName(payload, question.name_offset);
      VIGIL_CHECK(!name || name->size() <= vigil::sensor::dns::kMaxNameBytes, "name too long");
    }
  }
  vigil::sensor::Packet packet;
  packet.src_port = (data[0] & 0x80) != 0 ? port : 40000;
  packet.dst_port = (data[0] & 0x80) != 0 ? 40000 : port;
  packet.src_ip = vigil::IpAddress::V4(0x0a000001);
  packet.dst_ip = vigil::IpAddress::V4(0xe00000fb);
  packet.payload = payload;
  vigil::sensor::CollectingSink sink;
  const auto& info = vigil::sensor::dns::Info();
  const vigil::sensor::ProbeContext context{.client_port = packet.src_port,
                                            .server_port = packet.dst_port};
  if (info.probe(payload, context)) info.dissect_packet(packet, sink);
  vigil::sensor::CheckBoundedFacts(sink, 48);
  return 0;
}
