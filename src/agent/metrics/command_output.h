#pragma once

// Runs the operator's `--metrics-command` and captures its standard output, bounded in time and
// size so a hung or chatty script cannot stall or swamp the agent.
//
// The command runs as `/bin/sh -c COMMAND` in its own process group, with stdin from /dev/null
// and stderr shared with the agent (its complaints land in the agent's log). On timeout or when
// the output passes the limit, the whole group is killed with SIGKILL and reaped.
//
// Errors: kUnavailable if the command cannot be started, exits non-zero or is killed by a
// signal; kResourceExhausted if it times out ("metrics command: no answer within 10 s") or
// prints more than `max_bytes`. Thread safety: no shared state; may run concurrently.

#include <chrono>
#include <cstddef>
#include <string>

#include "core/result.h"

namespace vigil::agent {

struct CommandLimits {
  std::chrono::milliseconds timeout{10'000};
  std::size_t max_bytes = 64 * 1024;
};

Result<std::string> RunCommandOutput(const std::string& command, const CommandLimits& limits);

// The whole of a small file (`--metrics-file`); kResourceExhausted above `max_bytes`,
// kNotFound if missing, kUnavailable for other read errors.
Result<std::string> ReadSmallFile(const std::string& path, std::size_t max_bytes);

}  // namespace vigil::agent
