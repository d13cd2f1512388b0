#include "sensor/dissect/text.h"

#include <cstdint>

namespace vigil::sensor {
namespace {

// Length of the valid UTF-8 sequence starting at s[i] (RFC 3629: no overlongs, no surrogates,
// nothing above U+10FFFF), or 0 if it is not one.
std::size_t Utf8Length(std::string_view s, std::size_t i) {
  auto b = [&](std::size_t k) { return static_cast<std::uint8_t>(s[i + k]); };
  auto cont = [&](std::size_t k) { return i + k < s.size() && (b(k) & 0xC0) == 0x80; };
  std::uint8_t c = b(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;  // Overlong.
    if (c == 0xED && b(1) > 0x9F) return 0;  // Surrogate.
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && b(1) < 0x90) return 0;
    if (c == 0xF4 && b(1) > 0x8F) return 0;
    return 4;
  }
  return 0;
}

}  // namespace

std::string SafeText(std::string_view raw, std::size_t max_bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(raw.size() < max_bytes ? raw.size() : max_bytes);
  std::size_t i = 0;
  while (i < raw.size()) {
    std::size_t n = Utf8Length(raw, i);
    auto c = static_cast<std::uint8_t>(raw[i]);
    bool control = n == 1 && (c < 0x20 || c == 0x7F);
    if (n == 0 || control) {
      if (out.size() + 4 > max_bytes) break;
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0x0F];
      ++i;
      continue;
    }
    if (out.size() + n > max_bytes) break;
    out.append(raw.substr(i, n));
    i += n;
  }
  return out;
}

}  // namespace vigil::sensor
