#pragma once

// Vigil's version, set by CMake from the project version.

namespace vigil::cli {

inline constexpr const char* kVersion = VIGIL_VERSION;

}  // namespace vigil::cli
