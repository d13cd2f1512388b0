#pragma once

// Test helpers: builds CDP messages field by field, and reads the frames of a classic
// little-endian pcap file (enough for the shared Ethernet captures).

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <string_view>
#include <vector>

namespace vigil::sensor::cdp::testing {

class CdpBuilder {
 public:
  explicit CdpBuilder(std::uint8_t version = 2) : bytes_{version, 180, 0, 0} {}
  CdpBuilder& Field(std::uint16_t type, const std::vector<std::uint8_t>& value) {
    const auto length = static_cast<std::uint16_t>(value.size() + 4);
    bytes_.insert(bytes_.end(),
                  {static_cast<std::uint8_t>(type >> 8), static_cast<std::uint8_t>(type),
                   static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length)});
    bytes_.insert(bytes_.end(), value.begin(), value.end());
    return *this;
  }
  CdpBuilder& Text(std::uint16_t type, std::string_view text) {
    return Field(type, std::vector<std::uint8_t>(text.begin(), text.end()));
  }
  std::vector<std::uint8_t> Build() const { return bytes_; }

 private:
  std::vector<std::uint8_t> bytes_;
};

// An addresses field with one IPv4 entry.
inline std::vector<std::uint8_t> Ipv4Addresses(std::uint8_t a, std::uint8_t b, std::uint8_t c,
                                               std::uint8_t d) {
  return {0, 0, 0, 1, 1, 1, 0xCC, 0, 4, a, b, c, d};
}

// The frames of a classic pcap file written on a little-endian host (magic d4 c3 b2 a1).
inline std::vector<std::vector<std::uint8_t>> ReadPcapFrames(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  const std::vector<std::uint8_t> file{std::istreambuf_iterator<char>(in), {}};
  std::vector<std::vector<std::uint8_t>> frames;
  if (file.size() < 24 || file[0] != 0xd4 || file[1] != 0xc3) return frames;
  auto u32 = [&](std::size_t at) {
    return std::uint32_t{file[at]} | (std::uint32_t{file[at + 1]} << 8) |
           (std::uint32_t{file[at + 2]} << 16) | (std::uint32_t{file[at + 3]} << 24);
  };
  for (std::size_t at = 24; at + 16 <= file.size();) {
    const std::size_t length = u32(at + 8);
    if (at + 16 + length > file.size()) break;
    frames.emplace_back(file.begin() + static_cast<std::ptrdiff_t>(at + 16),
                        file.begin() + static_cast<std::ptrdiff_t>(at + 16 + length));
    at += 16 + length;
  }
  return frames;
}

}  // namespace vigil::sensor::cdp::testing
