// Fuzz target: any UDP payload reaches the DHCP parser and dissector. Neither may crash, hang or
// read outside the payload; every fact value must be bounded.

#include <cstddef>
#include <cstdint>
#include <span>

#include "sensor/dissect/dhcp/dissector.h"
#include "sensor/dissect/dhcp/message.h"
#include "sensor/dissect/fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> payload(data, size);
  const auto message = vigil::sensor::dhcp::ParseDhcp(payload);
  if (message) {
    (void)vigil::sensor::dhcp::ClientFqdnName(message->client_fqdn);
    (void)vigil::sensor::dhcp::UserClassText(message->user_class);
  }
  vigil::sensor::Packet packet;
  packet.payload = payload;
  vigil::sensor::CollectingSink sink;
  const auto& info = vigil::sensor::dhcp::Info();
  if (info.probe(payload, {})) info.dissect_packet(packet, sink);
  vigil::sensor::CheckBoundedFacts(sink);
  return 0;
}
