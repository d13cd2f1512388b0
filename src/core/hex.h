#pragma once

// Lowercase hexadecimal encoding of bytes, and its strict inverse.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace vigil {

std::string HexEncode(std::span<const std::uint8_t> bytes);

// Accepts upper- and lowercase digits; kInvalidArgument on an odd length or a non-hex character.
Result<std::vector<std::uint8_t>> HexDecode(std::string_view hex);

// Views a string's bytes as a span of uint8_t, and back.
inline std::span<const std::uint8_t> AsBytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline std::string_view AsChars(std::span<const std::uint8_t> b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

}  // namespace vigil
