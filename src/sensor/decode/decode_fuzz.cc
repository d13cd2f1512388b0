// Decodes arbitrary bytes under every link type; the first byte picks the link type.
#include <cstddef>
#include <cstdint>
#include <span>

#include "sensor/decode/decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigil::sensor;
  if (size == 0) return 0;
  auto link = static_cast<LinkType>(data[0] % 6);
  std::span<const std::uint8_t> frame(data + 1, size - 1);
  Packet packet;
  WeirdCounters weird;
  Decode(link, frame, static_cast<std::uint32_t>(frame.size()), 0, packet, weird);
  // Touch what the decoder exposed, so a span that points outside the frame is caught.
  volatile std::uint8_t sink = 0;
  for (auto b : packet.payload) sink = static_cast<std::uint8_t>(sink ^ b);
  (void)sink;
  return 0;
}
