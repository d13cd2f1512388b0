#include "testing/pcap_writer.h"

#include <fstream>

namespace vigil::testing {
namespace {

void Le32(FrameBytes& b, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void Le16(FrameBytes& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v));
  b.push_back(static_cast<std::uint8_t>(v >> 8));
}
void Be16(FrameBytes& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}

}  // namespace

void WritePcap(const std::filesystem::path& path, std::uint32_t link_type,
               const std::vector<FrameBytes>& frames, std::uint32_t first_second,
               std::uint32_t cut) {
  FrameBytes b;
  Le32(b, 0xa1b23c4d);
  Le16(b, 2);
  Le16(b, 4);
  Le32(b, 0);
  Le32(b, 0);
  Le32(b, 65535);
  Le32(b, link_type);
  std::uint32_t second = first_second;
  for (const FrameBytes& f : frames) {
    Le32(b, second++);
    Le32(b, 123'456'789);
    Le32(b, static_cast<std::uint32_t>(f.size()));
    Le32(b, static_cast<std::uint32_t>(f.size() + cut));
    b.insert(b.end(), f.begin(), f.end());
  }
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

FrameBytes UdpFrame(std::uint16_t sport, std::uint16_t dport, const FrameBytes& payload) {
  FrameBytes f = {0, 0x1b, 0, 0, 0, 2, 0, 0x1b, 0, 0, 0, 1, 0x08, 0x00, 0x45, 0};
  Be16(f, static_cast<std::uint16_t>(28 + payload.size()));
  f.insert(f.end(), {0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2});
  Be16(f, sport);
  Be16(f, dport);
  Be16(f, static_cast<std::uint16_t>(8 + payload.size()));
  f.insert(f.end(), {0, 0});
  f.insert(f.end(), payload.begin(), payload.end());
  return f;
}

}  // namespace vigil::testing
