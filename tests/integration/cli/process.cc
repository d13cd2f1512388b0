#include "process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <thread>

#include "testing/fixtures.h"

namespace vigil::cli_test {
namespace {

pid_t SpawnWithPipe(const std::vector<std::string>& argv,
                    const std::map<std::string, std::string>& env, int& read_fd) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return -1;
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], 1);
    ::dup2(fds[1], 2);
    const int devnull = ::open("/dev/null", O_RDONLY);
    ::dup2(devnull, 0);
    for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  read_fd = fds[0];
  return pid;
}

}  // namespace

std::string VigilBinary() { return (testing::BinaryDir() / "apps/vigil/vigil").string(); }

Child::Child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env) {
  pid_ = SpawnWithPipe(argv, env, fd_);
}

Child::~Child() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (fd_ >= 0) ::close(fd_);
}

void Child::Drain(int timeout_ms) {
  pollfd p{.fd = fd_, .events = POLLIN, .revents = 0};
  if (::poll(&p, 1, timeout_ms) <= 0) return;
  char buf[4096];
  const ssize_t n = ::read(fd_, buf, sizeof(buf));
  if (n > 0) output_.append(buf, static_cast<std::size_t>(n));
  if (n == 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

bool Child::WaitFor(const std::string& text, std::chrono::milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (output_.find(text) == std::string::npos) {
    if (fd_ < 0 || std::chrono::steady_clock::now() > deadline) return false;
    Drain(100);
  }
  return true;
}

void Child::Signal(int sig) {
  if (pid_ > 0) ::kill(pid_, sig);
}

int Child::Wait(std::chrono::milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (fd_ >= 0) Drain(50);
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      pid_ = -1;
      while (fd_ >= 0 && std::chrono::steady_clock::now() < deadline) Drain(50);
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    if (fd_ < 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
  return -1;
}

Outcome RunProcess(const std::vector<std::string>& argv,
                   const std::map<std::string, std::string>& env, std::chrono::seconds limit) {
  Child child(argv, env);
  const int code = child.Wait(limit);
  return {code, child.output()};
}

}  // namespace vigil::cli_test
