#pragma once

// Test helper: builds CDP messages field by field.

#include <cstdint>
#include <initializer_list>
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

}  // namespace vigil::sensor::cdp::testing
