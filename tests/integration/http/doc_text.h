#pragma once

// Test helper: reading the documents the route tests compare with the server (docs/*.md tables,
// docs/api/openapi.yaml) line by line.

#include <string_view>
#include <vector>

namespace vigil::testing {

// `text` without leading and trailing spaces, tabs (and a trailing CR).
std::string_view Trim(std::string_view text);
// The lines of `text`, without their '\n'.
std::vector<std::string_view> Lines(std::string_view text);

}  // namespace vigil::testing
