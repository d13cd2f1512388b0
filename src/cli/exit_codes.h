#pragma once

// The exit codes of `vigil` (docs/cli.md lists them for operators and scripts). The first four
// are the outcomes of server::RunOperatorCommand, so a command reached through the control
// socket exits as it would locally.

#include "server/operator_commands.h"

namespace vigil::cli {

inline constexpr int kExitOk = static_cast<int>(server::Outcome::kOk);
inline constexpr int kExitFailure = static_cast<int>(server::Outcome::kFailed);
inline constexpr int kExitUsage = static_cast<int>(server::Outcome::kUsage);
inline constexpr int kExitTampered = static_cast<int>(server::Outcome::kTampered);
inline constexpr int kExitInUse = 4;  // The data directory is locked by another process.

}  // namespace vigil::cli
