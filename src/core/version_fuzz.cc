// Fuzz target: Version::Parse and the ordering's consistency on arbitrary text.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/check.h"
#include "core/version.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto split = text.find('\n');
  const auto a = vigil::Version::Parse(text.substr(0, split));
  if (!a || split == std::string_view::npos) return 0;
  const auto b = vigil::Version::Parse(text.substr(split + 1));
  if (!b) return 0;
  // Antisymmetry and reflexivity must hold for every pair.
  const auto ab = *a <=> *b;
  const auto ba = *b <=> *a;
  VIGIL_CHECK((ab < 0) == (ba > 0) && (ab == 0) == (ba == 0), "version ordering not antisymmetric");
  VIGIL_CHECK((*a <=> *a) == 0, "version ordering not reflexive");
  return 0;
}
