// The IEEE registry CSV parser on arbitrary text, then lookups of MACs taken from the input.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "inventory/oui_registry.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  vigil::inventory::OuiRegistry registry;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)registry.AddCsv(text, "fuzz.csv");
  if (size >= 6) {
    std::array<std::uint8_t, 6> b{};
    for (std::size_t i = 0; i < 6; ++i) b[i] = data[i];
    (void)registry.Lookup(vigil::MacAddress(b));
  }
  return 0;
}
