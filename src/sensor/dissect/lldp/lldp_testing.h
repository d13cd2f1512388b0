#pragma once

// Test helper: builds LLDPDUs TLV by TLV (IEEE 802.1AB section 8.4).

#include <cstdint>
#include <initializer_list>
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

}  // namespace vigil::sensor::lldp::testing
