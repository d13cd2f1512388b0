#pragma once

// Test helper: a real http::Server on 127.0.0.1 port 0 with a fresh self-signed certificate in
// a temporary directory, the system routes and a few test routes:
//   GET /boom      throws std::runtime_error (the server answers 500)
//   POST /echo     answers the request body as text/plain
//   GET /slow      signals `slow_entered`, then sleeps `slow_for` before answering 200

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "http/server.h"
#include "testing/fixtures.h"

namespace vigil::http::testing {

class TestServer {
 public:
  // `tweak` may change the options before the server is created. Check ok() after.
  explicit TestServer(const std::function<void(ServerOptions&)>& tweak = nullptr);
  ~TestServer();

  bool ok() const { return server_ != nullptr; }
  const std::string& error() const { return error_; }
  Server& server() { return *server_; }
  std::uint16_t port() const { return server_->port(); }
  std::string Url(const std::string& path) const;
  std::string HostPort() const;
  const ::vigil::testing::TempDir& dir() const { return dir_; }

  std::atomic<bool> slow_entered{false};
  std::chrono::milliseconds slow_for{800};

 private:
  ::vigil::testing::TempDir dir_;
  std::unique_ptr<Server> server_;
  std::string error_;
};

}  // namespace vigil::http::testing
