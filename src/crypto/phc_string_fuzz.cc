// libFuzzer target for the PHC string parser: any text must parse or fail cleanly, and what
// parses must format back to a string that parses to the same fields.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/check.h"
#include "crypto/phc_string.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigil::crypto;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = ParseArgon2idPhc(text);
  if (!parsed) return 0;

  const auto again = ParseArgon2idPhc(FormatArgon2idPhc(*parsed));
  VIGIL_CHECK(again.has_value(), "formatted phc string parses");
  VIGIL_CHECK(again->version == parsed->version && again->memory_kib == parsed->memory_kib &&
                  again->iterations == parsed->iterations &&
                  again->parallelism == parsed->parallelism && again->salt == parsed->salt &&
                  again->hash == parsed->hash,
              "phc round trip");
  VIGIL_CHECK(FormatArgon2idPhc(*again) == text, "canonical text round trips exactly");
  return 0;
}
