#pragma once

// The three commands of `vigil-agent`, composed from the agent library, the HTTPS client and
// the system's clock, signals and terminal; apps/vigil-agent/main.cc only parses the command
// line (CLI11) and calls them. Each prints its result to stdout ("key: value" lines), errors as
// "vigil-agent: <message>" to stderr, and returns the exit code: 0 ok, 1 failed (also: a
// `run --once` cycle that could not send, or an expired certificate), 2 usage.

#include <cstdint>
#include <string>

namespace vigil::agent {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

inline constexpr const char* kDefaultStateDir = "/var/lib/vigil-agent";

struct EnrollArgs {
  std::string server;
  std::string token;
  std::string ca_fingerprint;
  std::string state_dir = kDefaultStateDir;
};

struct RunArgs {
  std::string state_dir = kDefaultStateDir;
  std::string metrics_command;
  std::string metrics_file;
  std::uint64_t spool_max_bytes = 64ull * 1024 * 1024;
  bool once = false;
};

int EnrollCommand(const EnrollArgs& args);
int RunCommand(const RunArgs& args);
int StatusCommand(const std::string& state_dir);

// The agent's version ("0.1.0"), set by CMake.
const char* AgentVersion();

// Logs go to stderr, one line each, UTC times.
void SetUpAgentLogging();

}  // namespace vigil::agent
