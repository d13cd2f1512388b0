// Identification rules from arbitrary TOML; what parses is run against facts from the input.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "inventory/classifier.h"
#include "inventory/rules.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigil::inventory;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto rules = RuleSet::Parse(text, "fuzz.toml");
  if (!rules) return 0;
  std::string value(text.substr(0, text.size() < 200 ? text.size() : 200));
  for (const Rule& r : rules->rules()) {
    (void)Classify({{r.fact, value}, {"oui", value}}, *rules);
  }
  return 0;
}
