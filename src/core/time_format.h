#pragma once

// RFC 3339 timestamps: formatting ("2026-11-28T17:46:00.123456789Z", always UTC) and parsing
// (any offset, optional fraction up to nanoseconds, 'T' or ' ' separator, 'Z' or +hh:mm).

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil {

// Formats nanoseconds since the Unix epoch as UTC; `fraction_digits` is 0, 3, 6 or 9.
std::string FormatRfc3339(std::int64_t unix_nanos, int fraction_digits = 9);

// kInvalidArgument with the reason for anything that is not an RFC 3339 date-time.
Result<std::int64_t> ParseRfc3339(std::string_view text);

}  // namespace vigil
