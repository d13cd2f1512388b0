#include "command.h"

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace vigil::http::testing {
namespace {

std::string Wrap(const std::string& command, std::chrono::seconds limit) {
  return "timeout -k 2 " + std::to_string(limit.count()) + " " + command + " 2>&1";
}

int ExitCode(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128; }

}  // namespace

CommandResult RunCommand(const std::string& command, std::chrono::seconds limit) {
  BackgroundCommand running(command, limit);
  return running.Finish();
}

BackgroundCommand::BackgroundCommand(const std::string& command, std::chrono::seconds limit)
    : pipe_(::popen(Wrap(command, limit).c_str(), "r")) {}

BackgroundCommand::~BackgroundCommand() {
  if (pipe_ != nullptr) {
    Finish();
  }
}

bool BackgroundCommand::WaitForOutput(const std::string& text, std::chrono::milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (pipe_ != nullptr && output_.find(text) == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return false;
    }
    pollfd fd{.fd = ::fileno(pipe_), .events = POLLIN};
    if (::poll(&fd, 1, static_cast<int>(left.count())) <= 0) {
      return false;
    }
    char buffer[4096];
    const ssize_t n = ::read(fd.fd, buffer, sizeof buffer);
    if (n <= 0) {
      return false;
    }
    output_.append(buffer, static_cast<std::size_t>(n));
  }
  return pipe_ != nullptr;
}

CommandResult BackgroundCommand::Finish() {
  CommandResult result;
  if (pipe_ == nullptr) {
    return result;
  }
  char buffer[4096];
  for (ssize_t n; (n = ::read(::fileno(pipe_), buffer, sizeof buffer)) > 0;) {
    output_.append(buffer, static_cast<std::size_t>(n));
  }
  result.exit_code = ExitCode(::pclose(pipe_));
  pipe_ = nullptr;
  result.output = std::move(output_);
  return result;
}

}  // namespace vigil::http::testing
