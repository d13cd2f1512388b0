#pragma once

// The exit codes of `vigil` (docs/cli.md lists them for operators and scripts).

namespace vigil::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;   // The command failed (message on stderr).
inline constexpr int kExitUsage = 2;     // Bad arguments or an invalid configuration file.
inline constexpr int kExitTampered = 3;  // `audit verify` found a broken or altered entry.
inline constexpr int kExitInUse = 4;     // The data directory is locked by another process.

}  // namespace vigil::cli
