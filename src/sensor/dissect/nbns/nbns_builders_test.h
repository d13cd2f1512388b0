#pragma once

// Test helper: builds NetBIOS name service messages (RFC 1002 section 4.2) byte by byte.

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "sensor/dissect/testing/byte_builder.h"

namespace vigil::sensor::nbns::testing {

class MessageBuilder : public ByteBuilder<MessageBuilder> {
 public:
  MessageBuilder(std::uint16_t flags, std::uint16_t qd, std::uint16_t an, std::uint16_t ar = 0) {
    for (const std::uint16_t v : {std::uint16_t{0x8001}, flags, qd, an, std::uint16_t{0}, ar}) {
      U16(v);
    }
  }
  // `name` padded with spaces to 15 characters, then `suffix`, first-level encoded, no scope.
  MessageBuilder& Name(std::string_view name, std::uint8_t suffix) {
    bytes_.push_back(32);
    for (std::size_t i = 0; i < 16; ++i) {
      const auto c = i < 15 ? static_cast<std::uint8_t>(i < name.size() ? name[i] : ' ') : suffix;
      bytes_.push_back(static_cast<std::uint8_t>('A' + (c >> 4)));
      bytes_.push_back(static_cast<std::uint8_t>('A' + (c & 0x0F)));
    }
    bytes_.push_back(0);
    return *this;
  }
  MessageBuilder& Question(std::string_view name, std::uint8_t suffix, std::uint16_t type) {
    Name(name, suffix);
    U16(type);
    return U16(1);
  }
  // A record header pointing at the question name (offset 12); data follows.
  MessageBuilder& RecordAtQuestion(std::uint16_t type, std::uint16_t length) {
    Raw({0xC0, 12});
    U16(type);
    U16(1);
    U16(0);
    U16(300);
    return U16(length);
  }
};

}  // namespace vigil::sensor::nbns::testing
