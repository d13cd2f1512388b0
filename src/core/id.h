#pragma once

// Id: a 128-bit random identifier (devices, sessions, requests), written as 32 lowercase hex
// digits. Ids come from the kernel's random source (getrandom), so they are unguessable.
// Values are plain data; generating them is thread-safe.

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil {

class Id {
 public:
  Id() = default;  // All zeros: the "no id" value.
  explicit Id(const std::array<std::uint8_t, 16>& bytes) : bytes_(bytes) {}

  static Id Random();
  // Parses 32 hex digits; kInvalidArgument otherwise.
  static Result<Id> Parse(std::string_view text);

  std::string ToString() const;
  bool is_zero() const;
  const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }

  friend auto operator<=>(const Id&, const Id&) = default;

 private:
  std::array<std::uint8_t, 16> bytes_{};
};

}  // namespace vigil
