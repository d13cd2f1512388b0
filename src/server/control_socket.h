#pragma once

// The control socket: how CLI commands reach a running `vigil serve` that owns the data
// directory, so the server sees their changes at once and the audit chain keeps one writer.
//
// An AF_UNIX stream socket at <data dir>/control.sock, mode 0600 inside the 0700 data
// directory; the server also checks each peer's credentials (SO_PEERCRED) and serves only its
// own user and root. One request per connection, newline-delimited JSON:
//   request:   {"command":"keys.rotate","args":{"new_key_file":"..."}}
//   response:  zero or more {"out":"line"} / {"err":"line"}, then {"outcome":N}
// The actor recorded in the audit log is the peer's user as the kernel reports it, not
// anything the client claims. Requests over 64 KiB or silent for 10 s are dropped.
//
// Thread safety: ControlServer runs its own thread; Stop() may be called from any thread.

#include <atomic>
#include <filesystem>
#include <thread>

#include "core/result.h"
#include "server/operator_commands.h"

namespace vigil::server {

class ControlServer {
 public:
  explicit ControlServer(Runtime& runtime) : rt_(runtime) {}
  ~ControlServer() { Stop(); }
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  // Binds <data dir>/control.sock (replacing a stale one) and starts serving.
  Status Start(const std::filesystem::path& socket_path);
  void Stop();

 private:
  void Loop();
  void Serve(int fd);

  Runtime& rt_;
  std::filesystem::path path_;
  int listen_fd_ = -1;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// Sends `request` (its actor is ignored: the server takes it from the socket) and streams the
// answer to `out` and `err`. kUnavailable if nothing answers at `socket_path`.
Result<Outcome> SendControlCommand(const std::filesystem::path& socket_path,
                                   const CommandRequest& request, const LineSink& out,
                                   const LineSink& err);

}  // namespace vigil::server
