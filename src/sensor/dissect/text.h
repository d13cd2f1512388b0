#pragma once

// SafeText: turns bytes a device sent into a fact value that is safe to store, log and show:
// valid UTF-8 is kept, control characters and invalid bytes become "\xNN", and the result is cut
// to at most max_bytes (at a character boundary). Every string a dissector puts in a fact or a
// finding goes through it. FactWriter appends such facts to an observation; it writes into a list
// it does not own, which must outlive it.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/observation.h"
#include "sensor/decode/byte_reader.h"

namespace vigil::sensor {

inline constexpr std::size_t kMaxFactBytes = 256;

std::string SafeText(std::string_view raw, std::size_t max_bytes = kMaxFactBytes);

// The text up to its first line break (all of it when it has none).
inline std::string_view FirstLine(std::string_view text) {
  return text.substr(0, text.find_first_of("\r\n"));
}

// Appends facts to `facts`, each value through SafeText; an empty value (a field the device left
// out) adds nothing.
class FactWriter {
 public:
  explicit FactWriter(std::vector<model::Fact>& facts) : facts_(facts) {}
  void Add(std::string_view key, std::string_view value) {
    if (!value.empty()) facts_.push_back({.key = std::string(key), .value = SafeText(value)});
  }
  void Add(std::string_view key, std::span<const std::uint8_t> value) { Add(key, AsText(value)); }

 private:
  std::vector<model::Fact>& facts_;
};

}  // namespace vigil::sensor
