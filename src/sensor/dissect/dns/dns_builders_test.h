#pragma once

// Test helper: builds DNS messages byte by byte (RFC 1035 section 4.1), names uncompressed
// unless a pointer is written with Raw().

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "sensor/dissect/testing/byte_builder.h"

namespace vigil::sensor::dns::testing {

class MessageBuilder : public ByteBuilder<MessageBuilder> {
 public:
  // A header with the given flags and counts (question, answer, authority, additional).
  MessageBuilder(std::uint16_t flags, std::uint16_t qd, std::uint16_t an, std::uint16_t ns = 0,
                 std::uint16_t ar = 0) {
    for (const std::uint16_t v : {std::uint16_t{0x1234}, flags, qd, an, ns, ar}) U16(v);
  }
  MessageBuilder& Name(std::string_view dotted) {
    while (!dotted.empty()) {
      const auto dot = dotted.find('.');
      const auto label = dotted.substr(0, dot);
      bytes_.push_back(static_cast<std::uint8_t>(label.size()));
      bytes_.insert(bytes_.end(), label.begin(), label.end());
      dotted = dot == std::string_view::npos ? std::string_view() : dotted.substr(dot + 1);
    }
    bytes_.push_back(0);
    return *this;
  }
  MessageBuilder& Question(std::string_view name, std::uint16_t type) {
    Name(name);
    U16(type);
    return U16(1);
  }
  // A record whose data follows with Data()/Name()/Raw(); `length` is its data length.
  MessageBuilder& Record(std::string_view name, std::uint16_t type, std::uint16_t length) {
    Name(name);
    U16(type);
    U16(1);
    U16(0);
    U16(120);
    return U16(length);
  }
  MessageBuilder& Text(std::string_view text) {
    bytes_.push_back(static_cast<std::uint8_t>(text.size()));
    bytes_.insert(bytes_.end(), text.begin(), text.end());
    return *this;
  }
};

// Wire length of an uncompressed name.
inline std::uint16_t NameLength(std::string_view dotted) {
  return static_cast<std::uint16_t>(dotted.size() + 2);
}

}  // namespace vigil::sensor::dns::testing
