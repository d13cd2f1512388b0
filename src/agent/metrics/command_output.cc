#include "agent/metrics/command_output.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

extern char** environ;

namespace vigil::agent {
namespace {

using std::chrono::steady_clock;

std::string ErrnoText(int err) { return std::strerror(err); }

// Kills the group (it was given its own) and reaps the shell.
void KillAndReap(pid_t pid) {
  ::kill(-pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace

Result<std::string> RunCommandOutput(const std::string& command, const CommandLimits& limits) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return MakeError(ErrorCode::kUnavailable, "metrics command: pipe: " + ErrnoText(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attr, 0);
  // The agent blocks or handles SIGINT/SIGTERM/SIGPIPE; the command gets the defaults back.
  sigset_t none;
  sigset_t defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (const int sig : {SIGINT, SIGTERM, SIGPIPE, SIGHUP}) sigaddset(&defaults, sig);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  std::string shell = "/bin/sh";
  std::string dash_c = "-c";
  std::string command_copy = command;
  char* argv[] = {shell.data(), dash_c.data(), command_copy.data(), nullptr};
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, "/bin/sh", &actions, &attr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(pipe_fds[1]);
  if (spawned != 0) {
    ::close(pipe_fds[0]);
    return MakeError(ErrorCode::kUnavailable,
                     "metrics command: cannot start: " + ErrnoText(spawned));
  }

  const auto deadline = steady_clock::now() + limits.timeout;
  std::string output;
  std::vector<char> buffer(4096);
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady_clock::now());
    pollfd pfd{.fd = pipe_fds[0], .events = POLLIN, .revents = 0};
    const int ready = left.count() > 0 ? ::poll(&pfd, 1, static_cast<int>(left.count())) : 0;
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      ::close(pipe_fds[0]);
      KillAndReap(pid);
      return MakeError(
          ErrorCode::kResourceExhausted,
          "metrics command: no answer within " + std::to_string(limits.timeout.count()) + " ms");
    }
    const auto n = ::read(pipe_fds[0], buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    output.append(buffer.data(), static_cast<std::size_t>(n));
    if (output.size() > limits.max_bytes) {
      ::close(pipe_fds[0]);
      KillAndReap(pid);
      return MakeError(
          ErrorCode::kResourceExhausted,
          "metrics command: more than " + std::to_string(limits.max_bytes) + " bytes of output");
    }
  }
  ::close(pipe_fds[0]);
  // Output ended; the shell normally exits at once. Wait for it within the same deadline, then
  // give up on it the hard way.
  int status = 0;
  for (;;) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) {
      return MakeError(ErrorCode::kUnavailable, "metrics command: waitpid: " + ErrnoText(errno));
    }
    if (steady_clock::now() >= deadline) {
      KillAndReap(pid);
      return MakeError(
          ErrorCode::kResourceExhausted,
          "metrics command: did not exit within " + std::to_string(limits.timeout.count()) + " ms");
    }
    ::usleep(10'000);
  }
  if (WIFSIGNALED(status)) {
    return MakeError(ErrorCode::kUnavailable,
                     "metrics command: killed by signal " + std::to_string(WTERMSIG(status)));
  }
  if (WEXITSTATUS(status) != 0) {
    return MakeError(ErrorCode::kUnavailable,
                     "metrics command: exited with status " + std::to_string(WEXITSTATUS(status)));
  }
  return output;
}

Result<std::string> ReadSmallFile(const std::string& path, std::size_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    return MakeError(err == ENOENT ? ErrorCode::kNotFound : ErrorCode::kUnavailable,
                     path + ": " + ErrnoText(err));
  }
  std::string data;
  std::vector<char> buffer(4096);
  for (;;) {
    const auto n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return MakeError(ErrorCode::kUnavailable, path + ": " + ErrnoText(err));
    }
    if (n == 0) break;
    data.append(buffer.data(), static_cast<std::size_t>(n));
    if (data.size() > max_bytes) {
      ::close(fd);
      return MakeError(ErrorCode::kResourceExhausted,
                       path + ": larger than " + std::to_string(max_bytes) + " bytes");
    }
  }
  ::close(fd);
  return data;
}

}  // namespace vigil::agent
