#pragma once

// Test helper: runs the `vigil` binary and real peers as child processes with bounded waits.

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace vigil::cli_test {

struct Outcome {
  int exit_code = -1;  // -1 if it had to be killed.
  std::string output;  // stdout and stderr together.
};

// Runs `argv` to completion (killed after `limit`), with `env` added to the environment.
Outcome RunProcess(const std::vector<std::string>& argv,
                   const std::map<std::string, std::string>& env = {},
                   std::chrono::seconds limit = std::chrono::seconds(60));

// A child left running: read its output, signal it, wait for it.
class Child {
 public:
  explicit Child(const std::vector<std::string>& argv,
                 const std::map<std::string, std::string>& env = {});
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // Reads output until it contains `text` or `within` passes.
  bool WaitFor(const std::string& text, std::chrono::milliseconds within);
  void Signal(int sig);
  // Waits up to `within` for exit (then kills it); returns the exit code, -1 if killed.
  int Wait(std::chrono::milliseconds within);
  const std::string& output() const { return output_; }

 private:
  void Drain(int timeout_ms);
  pid_t pid_ = -1;
  int fd_ = -1;
  std::string output_;
};

// The path of the built vigil binary.
std::string VigilBinary();

}  // namespace vigil::cli_test
