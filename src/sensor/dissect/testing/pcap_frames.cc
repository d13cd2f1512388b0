#include "sensor/dissect/testing/pcap_frames.h"

#include <fstream>
#include <iterator>

namespace vigil::sensor {

std::vector<std::vector<std::uint8_t>> ReadPcapFrames(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  const std::vector<std::uint8_t> file{std::istreambuf_iterator<char>(in), {}};
  std::vector<std::vector<std::uint8_t>> frames;
  // Magic a1b2c3d4 (microseconds) or a1b23c4d (nanoseconds), written little-endian.
  const bool micro = file.size() >= 2 && file[0] == 0xd4 && file[1] == 0xc3;
  const bool nano = file.size() >= 2 && file[0] == 0x4d && file[1] == 0x3c;
  if (file.size() < 24 || !(micro || nano)) return frames;
  auto u32 = [&](std::size_t at) {
    return std::uint32_t{file[at]} | (std::uint32_t{file[at + 1]} << 8) |
           (std::uint32_t{file[at + 2]} << 16) | (std::uint32_t{file[at + 3]} << 24);
  };
  // Each record: a 16-byte header (seconds, fraction, captured length, wire length), then data.
  for (std::size_t at = 24; at + 16 <= file.size();) {
    const std::size_t length = u32(at + 8);
    if (at + 16 + length > file.size()) break;
    frames.emplace_back(file.begin() + static_cast<std::ptrdiff_t>(at + 16),
                        file.begin() + static_cast<std::ptrdiff_t>(at + 16 + length));
    at += 16 + length;
  }
  return frames;
}

}  // namespace vigil::sensor
