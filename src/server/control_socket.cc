#include "server/control_socket.h"

#include <poll.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>

namespace vigil::server {
namespace {

constexpr std::size_t kMaxRequest = 64 * 1024;
constexpr int kRequestTimeoutMs = 10'000;

Result<sockaddr_un> Address(const std::filesystem::path& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string p = path.string();
  if (p.size() >= sizeof(addr.sun_path)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "control socket path too long (over 107 bytes): " + p);
  }
  std::memcpy(addr.sun_path, p.c_str(), p.size() + 1);
  return addr;
}

bool WriteAll(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// Reads one line (without the newline) into `line`, keeping any rest in `buffer`. False on
// timeout, EOF before a newline, or a line over `limit`.
bool ReadLine(int fd, std::string& buffer, std::string& line, std::size_t limit, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    if (const auto nl = buffer.find('\n'); nl != std::string::npos) {
      line = buffer.substr(0, nl);
      buffer.erase(0, nl + 1);
      return true;
    }
    if (buffer.size() > limit) return false;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) return false;
    pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) return false;
    char chunk[4096];
    const ssize_t n = ::read(fd, chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
}

std::string UserName(uid_t uid) {
  passwd pw{};
  passwd* found = nullptr;
  char buf[1024];
  if (::getpwuid_r(uid, &pw, buf, sizeof(buf), &found) == 0 && found != nullptr) {
    return found->pw_name;
  }
  return "uid " + std::to_string(uid);
}

}  // namespace

Status ControlServer::Start(const std::filesystem::path& socket_path) {
  auto addr = Address(socket_path);
  if (!addr) return tl::unexpected(addr.error());
  path_ = socket_path;
  ::unlink(path_.c_str());  // A stale socket of an earlier run; we hold the data-dir lock.
  listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) {
    return MakeError(ErrorCode::kUnavailable, "control socket: " + std::string(strerror(errno)));
  }
  const mode_t old_mask = ::umask(0177);  // Created 0600.
  const int bound = ::bind(listen_fd_, reinterpret_cast<const sockaddr*>(&*addr), sizeof(*addr));
  ::umask(old_mask);
  if (bound != 0 || ::listen(listen_fd_, 8) != 0) {
    const std::string why = std::strerror(errno);
    ::close(listen_fd_);
    listen_fd_ = -1;
    return MakeError(ErrorCode::kUnavailable, "control socket " + path_.string() + ": " + why);
  }
  thread_ = std::thread([this] { Loop(); });
  return OkStatus();
}

void ControlServer::Stop() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) {
    ::close(listen_fd_);
    listen_fd_ = -1;
    ::unlink(path_.c_str());
  }
}

void ControlServer::Loop() {
  while (!stop_.load()) {
    pollfd p{.fd = listen_fd_, .events = POLLIN, .revents = 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    Serve(fd);
    ::close(fd);
  }
}

void ControlServer::Serve(int fd) {
  const auto send = [fd](const nlohmann::json& j) { return WriteAll(fd, j.dump() + "\n"); };
  ucred cred{};
  socklen_t len = sizeof(cred);
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 ||
      (cred.uid != ::geteuid() && cred.uid != 0)) {
    send({{"err", "control socket: permission denied"}});
    send({{"outcome", static_cast<int>(Outcome::kFailed)}});
    return;
  }
  std::string buffer;
  std::string line;
  if (!ReadLine(fd, buffer, line, kMaxRequest, kRequestTimeoutMs)) return;
  const auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  CommandRequest request;
  if (!j.is_object() || !j.contains("command") || !j["command"].is_string()) {
    send({{"err", "control socket: malformed request"}});
    send({{"outcome", static_cast<int>(Outcome::kUsage)}});
    return;
  }
  request.name = j["command"].get<std::string>();
  if (j.contains("args") && j["args"].is_object()) {
    for (const auto& [k, v] : j["args"].items()) {
      if (v.is_string()) request.args[k] = v.get<std::string>();
    }
  }
  request.actor = {audit::ActorKind::kSystem, "cli:" + UserName(cred.uid)};
  bool connected = true;
  const auto out = [&](std::string_view s) { connected = connected && send({{"out", s}}); };
  const auto err = [&](std::string_view s) { connected = connected && send({{"err", s}}); };
  const Outcome outcome = RunOperatorCommand(rt_, request, out, err);
  send({{"outcome", static_cast<int>(outcome)}});
}

Result<Outcome> SendControlCommand(const std::filesystem::path& socket_path,
                                   const CommandRequest& request, const LineSink& out,
                                   const LineSink& err) {
  auto addr = Address(socket_path);
  if (!addr) return tl::unexpected(addr.error());
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return MakeError(ErrorCode::kUnavailable, "control socket: cannot create");
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&*addr), sizeof(*addr)) != 0) {
    ::close(fd);
    return MakeError(ErrorCode::kUnavailable,
                     "the running server does not answer on " + socket_path.string());
  }
  nlohmann::json args = nlohmann::json::object();
  for (const auto& [k, v] : request.args) args[k] = v;
  if (!WriteAll(fd, nlohmann::json{{"command", request.name}, {"args", args}}.dump() + "\n")) {
    ::close(fd);
    return MakeError(ErrorCode::kUnavailable, "control socket: send failed");
  }
  std::string buffer;
  std::string line;
  // A command may run long (verifying a large log): wait up to ten minutes per line.
  while (ReadLine(fd, buffer, line, 16 * 1024 * 1024, 600'000)) {
    const auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object()) break;
    if (j.contains("out") && j["out"].is_string()) {
      out(j["out"].get<std::string>());
    } else if (j.contains("err") && j["err"].is_string()) {
      err(j["err"].get<std::string>());
    } else if (j.contains("outcome") && j["outcome"].is_number_integer()) {
      ::close(fd);
      return static_cast<Outcome>(j["outcome"].get<int>());
    }
  }
  ::close(fd);
  return MakeError(ErrorCode::kUnavailable, "control socket: the server closed the connection");
}

}  // namespace vigil::server
