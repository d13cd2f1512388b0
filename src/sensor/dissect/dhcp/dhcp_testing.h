#pragma once

// Test helper: builds DHCPv4 messages byte by byte (RFC 2131 section 2).

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

namespace vigil::sensor::dhcp::testing {

class MessageBuilder {
 public:
  // A message with op, an Ethernet chaddr of 02:00:00:00:00:01 plus `last`, xid 0x01020304
  // and the magic cookie; options follow with Option() and End().
  explicit MessageBuilder(std::uint8_t op, std::uint8_t last = 1) : bytes_(240, 0) {
    bytes_[0] = op;
    bytes_[1] = 1;
    bytes_[2] = 6;
    bytes_[4] = 1, bytes_[5] = 2, bytes_[6] = 3, bytes_[7] = 4;
    bytes_[28] = 0x02, bytes_[33] = last;
    bytes_[236] = 0x63, bytes_[237] = 0x82, bytes_[238] = 0x53, bytes_[239] = 0x63;
  }
  MessageBuilder& Address(std::size_t offset, std::uint8_t a, std::uint8_t b, std::uint8_t c,
                          std::uint8_t d) {
    bytes_[offset] = a, bytes_[offset + 1] = b, bytes_[offset + 2] = c, bytes_[offset + 3] = d;
    return *this;
  }
  MessageBuilder& Option(std::uint8_t code, std::initializer_list<std::uint8_t> value) {
    bytes_.push_back(code);
    bytes_.push_back(static_cast<std::uint8_t>(value.size()));
    bytes_.insert(bytes_.end(), value);
    return *this;
  }
  MessageBuilder& Option(std::uint8_t code, std::string_view text) {
    bytes_.push_back(code);
    bytes_.push_back(static_cast<std::uint8_t>(text.size()));
    bytes_.insert(bytes_.end(), text.begin(), text.end());
    return *this;
  }
  MessageBuilder& Raw(std::initializer_list<std::uint8_t> raw) {
    bytes_.insert(bytes_.end(), raw);
    return *this;
  }
  std::vector<std::uint8_t> End() {
    bytes_.push_back(255);
    return bytes_;
  }
  std::vector<std::uint8_t>& bytes() { return bytes_; }

 private:
  std::vector<std::uint8_t> bytes_;
};

inline constexpr std::size_t kCiaddr = 12;
inline constexpr std::size_t kYiaddr = 16;
inline constexpr std::size_t kGiaddr = 24;

}  // namespace vigil::sensor::dhcp::testing
