#pragma once

// Test helpers: builds LLDPDUs TLV by TLV (IEEE 802.1AB section 8.4), and reads the frames of a
// classic little-endian pcap file (enough for the shared Ethernet captures).

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <string_view>
#include <vector>

namespace vigil::sensor::lldp::testing {

class LldpBuilder {
 public:
  LldpBuilder& Tlv(std::uint8_t type, std::initializer_list<std::uint8_t> value) {
    return Tlv(type, std::vector<std::uint8_t>(value));
  }
  LldpBuilder& Tlv(std::uint8_t type, const std::vector<std::uint8_t>& value) {
    const auto header = static_cast<std::uint16_t>((std::size_t{type} << 9) | value.size());
    bytes_.push_back(static_cast<std::uint8_t>(header >> 8));
    bytes_.push_back(static_cast<std::uint8_t>(header));
    bytes_.insert(bytes_.end(), value.begin(), value.end());
    return *this;
  }
  // A TLV whose value is `prefix` then `text`.
  LldpBuilder& Text(std::uint8_t type, std::initializer_list<std::uint8_t> prefix,
                    std::string_view text) {
    std::vector<std::uint8_t> value(prefix);
    value.insert(value.end(), text.begin(), text.end());
    return Tlv(type, value);
  }
  std::vector<std::uint8_t> End() {
    Tlv(0, {});
    return bytes_;
  }

 private:
  std::vector<std::uint8_t> bytes_;
};

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

}  // namespace vigil::sensor::lldp::testing
