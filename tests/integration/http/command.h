#pragma once

// Test helper: runs a real peer (curl, openssl s_client) as a shell command with a hard time
// limit, capturing stdout and stderr together. Every wait is bounded: the command runs under
// coreutils `timeout`, and a background command is read with poll() deadlines.

#include <chrono>
#include <cstdio>
#include <string>

namespace vigil::http::testing {

struct CommandResult {
  int exit_code = -1;  // The command's exit status; 124 when `timeout` killed it.
  std::string output;  // stdout and stderr, interleaved.
};

// Runs `command` (one program with its arguments and redirections, no pipeline: `timeout`
// wraps it) through /bin/sh, killed after `limit`. Give it stdin (`< /dev/null`) explicitly.
CommandResult RunCommand(const std::string& command,
                         std::chrono::seconds limit = std::chrono::seconds(20));

// A command left running while the test does something else.
class BackgroundCommand {
 public:
  explicit BackgroundCommand(const std::string& command,
                             std::chrono::seconds limit = std::chrono::seconds(20));
  ~BackgroundCommand();
  BackgroundCommand(const BackgroundCommand&) = delete;
  BackgroundCommand& operator=(const BackgroundCommand&) = delete;

  // Reads output until it contains `text` or `within` passes; true if it appeared.
  bool WaitForOutput(const std::string& text, std::chrono::milliseconds within);
  // Reads to the end (bounded by the command's limit) and returns its exit status.
  CommandResult Finish();

 private:
  FILE* pipe_ = nullptr;
  std::string output_;
};

}  // namespace vigil::http::testing
