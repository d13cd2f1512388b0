#pragma once

// SafeText: turns bytes a device sent into a fact value that is safe to store, log and show:
// valid UTF-8 is kept, control characters and invalid bytes become "\xNN", and the result is cut
// to at most max_bytes (at a character boundary). Every string a dissector puts in a fact or a
// finding goes through it.

#include <cstddef>
#include <string>
#include <string_view>

namespace vigil::sensor {

inline constexpr std::size_t kMaxFactBytes = 256;

std::string SafeText(std::string_view raw, std::size_t max_bytes = kMaxFactBytes);

}  // namespace vigil::sensor
