#pragma once

// ByteBuilder: the base of the tests' message builders (DNS, NetBIOS...): appends big-endian
// integers and raw bytes, each call returning the derived builder so calls chain. A derived
// builder adds its protocol's pieces and writes to bytes_ directly when it must.

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

namespace vigil::sensor {

template <typename Self>
class ByteBuilder {
 public:
  Self& U16(std::uint16_t v) {
    bytes_.push_back(static_cast<std::uint8_t>(v >> 8));
    bytes_.push_back(static_cast<std::uint8_t>(v));
    return self();
  }
  Self& Raw(std::initializer_list<std::uint8_t> raw) {
    bytes_.insert(bytes_.end(), raw);
    return self();
  }
  Self& Bytes(std::string_view raw) {
    bytes_.insert(bytes_.end(), raw.begin(), raw.end());
    return self();
  }
  std::vector<std::uint8_t> Build() const { return bytes_; }

 protected:
  Self& self() { return static_cast<Self&>(*this); }

  std::vector<std::uint8_t> bytes_;
};

}  // namespace vigil::sensor
