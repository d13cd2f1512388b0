#pragma once

// Server: Vigil's HTTPS server. Boost.Beast over TLS (policy from pki), one io_context run by
// `threads` threads, one C++20 coroutine per connection, HTTP/1.1 with keep-alive. Requests go
// to a Router; every response carries the DefaultResponseHeaders. Boost stays behind the pimpl:
// this header includes none of it.
//
// Limits, each answered with a JsonError and a closed connection: request header larger than
// max_header_bytes -> 431, body larger than max_body_bytes -> 413, malformed request -> 400.
// A request (header and body) must arrive within read_timeout, a TLS handshake within
// handshake_timeout, and a kept-alive connection is closed after idle_timeout without a new
// request; a timeout closes the connection without an answer. Connections beyond
// max_connections are closed at once. Handlers run on the server's threads.
//
// Life cycle: Create (checks options, loads the certificate) -> Start (binds, starts threads)
// -> Stop (graceful: stop accepting, close idle connections, let requests being handled finish
// up to shutdown_timeout, then close the rest) -> Wait (joins the threads). The destructor
// stops and waits. Stop may be called from any thread (a sigwait thread, for one; it is not
// async-signal-safe, so not from a signal handler), any number of times; Wait from one thread.
// The io threads block all asynchronous signals, so SIGINT and SIGTERM reach the application.
//
// Errors: Create returns kInvalidArgument for bad options (naming the option) or what
// pki::ConfigureServerTlsContext returns for the certificate; Start returns kUnavailable with
// "listen 127.0.0.1:8443: address already in use" and the like, kFailedPrecondition when called
// twice.

#include <openssl/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "core/result.h"
#include "http/message.h"
#include "http/router.h"

namespace vigil::http {

struct ServerOptions {
  std::string listen = "127.0.0.1:8443";  // ADDR:PORT or [ADDR6]:PORT; port 0 picks a free one.
  std::filesystem::path cert_file;        // PEM certificate (then chain).
  std::filesystem::path key_file;         // PEM private key.
  // When set, configures the TLS context instead of cert_file/key_file (the device gateway's
  // mutual TLS, pki/mutual_tls.h). A verified client certificate then reaches handlers as
  // Request::client_certificate.
  std::function<Status(SSL_CTX*)> configure_tls;
  std::string log_name = "http";  // Prefix of this server's log lines ("gateway").
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;
  std::chrono::milliseconds read_timeout = std::chrono::seconds(10);
  std::chrono::milliseconds idle_timeout = std::chrono::seconds(60);
  std::chrono::milliseconds handshake_timeout = std::chrono::seconds(10);
  std::chrono::milliseconds shutdown_timeout = std::chrono::seconds(10);
  int threads = 2;
  std::size_t max_connections = 10000;
  bool access_log = true;  // One spdlog info line per request.
};

class Server {
 public:
  static Result<std::unique_ptr<Server>> Create(ServerOptions options, Router router);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  Status Start();
  // The bound port (the real one when the options asked for port 0); 0 before Start.
  std::uint16_t port() const;
  void Stop();
  void Wait();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil::http
