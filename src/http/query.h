#pragma once

// Reading a request's query string ("metric=cpu.percent&range=6h"): values are
// percent-decoded ('+' is a space), the first occurrence of a name wins.
// Thread safety: pure functions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::http {

// The decoded value of `name`, nullopt when absent or not valid percent-encoding.
std::optional<std::string> QueryValue(std::string_view query, std::string_view name);

// Reads `name=<integer>`: true and `out` set when present and valid, true and `out` untouched
// when absent, false when present but not an integer.
bool ReadQueryInt(std::string_view query, std::string_view name, std::int64_t& out);

}  // namespace vigil::http
