#pragma once

// Operator commands that work on an open Runtime: audit verify and export, key status and
// rotation, backup. The CLI runs them itself when no server owns the data directory, and the
// running server runs the very same functions when the CLI reaches it over the control socket,
// so both paths behave and audit alike.
//
// Output goes through the two callbacks, one line at a time, without the newline.
// Thread safety: as the Runtime's services (safe from any thread).

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "audit/event.h"
#include "server/runtime.h"

namespace vigil::server {

// Outcomes, which the CLI uses as its exit codes (docs/cli.md).
enum class Outcome : int {
  kOk = 0,
  kFailed = 1,
  kUsage = 2,
  kTampered = 3,
};

struct CommandRequest {
  std::string name;  // "audit.verify", "audit.export", "keys.status", "keys.rotate",
                     // "keys.rotate_kek", "backup"
  std::map<std::string, std::string> args;  // "from", "to", "since", "new_key_file", "dir"
  audit::Actor actor;
};

using LineSink = std::function<void(std::string_view)>;

// For the command implementations: argument `name`, "" when absent; and an error reported on
// `err` as kUsage (bad input) or kFailed.
std::string Arg(const CommandRequest& request, const std::string& name);
Outcome Fail(const LineSink& err, const Error& error);

Outcome RunOperatorCommand(Runtime& runtime, const CommandRequest& request, const LineSink& out,
                           const LineSink& err);

}  // namespace vigil::server
