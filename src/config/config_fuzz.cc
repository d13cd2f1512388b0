// Fuzz target: config::Parse on arbitrary text. A file may be anything an operator (or a
// mistake) puts there: every input must give a Config or an error naming a line, never a crash.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/config.h"
#include "core/check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto config = vigil::config::Parse(text, "fuzz.toml");
  if (!config) {
    VIGIL_CHECK(config.error().message.rfind("fuzz.toml", 0) == 0, "error names the file");
    return 0;
  }
  VIGIL_CHECK(vigil::config::Validate(*config).has_value(), "a parsed config is valid");
  return 0;
}
