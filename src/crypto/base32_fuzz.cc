// libFuzzer target for Base32Decode: any text must decode or fail cleanly, and what decodes
// must encode back to the same key and to the input's canonical spelling (upper case, without
// spaces, hyphens or padding), since Base32Decode accepts one spelling per key.

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/check.h"
#include "crypto/totp.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigil::crypto;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto decoded = Base32Decode(text);
  if (!decoded) return 0;

  const std::string encoded = Base32Encode(decoded->span());
  const auto again = Base32Decode(encoded);
  VIGIL_CHECK(again.has_value(), "encoded base32 decodes");
  VIGIL_CHECK(again->view() == decoded->view(), "base32 round trip");

  std::string canonical;
  for (const char c : text) {
    if (c == ' ' || c == '-' || c == '=') continue;
    canonical.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  VIGIL_CHECK(encoded == canonical, "one spelling per key");
  return 0;
}
