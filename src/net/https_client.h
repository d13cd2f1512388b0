#pragma once

// HttpsClient: a synchronous HTTPS/1.1 client for one server (a base URL), over Boost.Beast
// with the TLS client policy of pki (trusted root or pinned root, optional client certificate
// for mutual TLS, host name or IP checked against the server certificate).
//
// One keep-alive connection is kept and reused; it is opened on the first request, and
// re-opened when the server closed it or a request on it failed. A request that fails on a
// reused connection before any answer arrived (the server closed it while idle) is sent once
// more on a fresh connection, so callers must tolerate a duplicate (the agent's records are
// idempotent at the gateway). Timeouts: `connect_timeout` covers name resolution, TCP connect
// and the TLS handshake; `request_timeout` covers sending the request and reading the whole
// answer. Answers above `max_response_bytes` (body) are refused.
//
// Errors (HttpClient's): kUnavailable "<host:port>: connect: Connection refused",
// "<host:port>: request: timed out after 30000 ms" and the like; kUnauthenticated
// "<host:port>: tls: the server's certificate did not verify (...)" when the chain, the pin or
// the host name does not match; kPermissionDenied "<host:port>: tls: the server refused our
// certificate (... alert certificate revoked)" when the server rejects the client certificate
// (revoked, expired, unknown CA, missing); Create: kInvalidArgument for a bad URL or TLS
// settings.
// Thread safety: one thread at a time (the agent's loop); it blocks that thread.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "core/result.h"
#include "net/base_url.h"
#include "net/http_client.h"
#include "pki/mutual_tls.h"

namespace vigil::net {

struct HttpsClientOptions {
  std::string base_url;        // "https://host:port".
  pki::ClientTlsSettings tls;  // Trust (root or pin) and the optional client certificate.
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds request_timeout{30'000};
  std::size_t max_response_bytes = 8 * 1024 * 1024;
  std::string user_agent = "vigil";
};

class HttpsClient final : public HttpClient {
 public:
  static Result<std::unique_ptr<HttpsClient>> Create(HttpsClientOptions options);
  ~HttpsClient() override;
  HttpsClient(const HttpsClient&) = delete;
  HttpsClient& operator=(const HttpsClient&) = delete;

  Result<HttpResponse> Request(std::string_view method, std::string_view path,
                               std::string_view body = {},
                               std::string_view content_type = {}) override;

  // The self-signed root that ended the server's verified chain at the last handshake, PEM
  // ("" before one). After a pinned first contact the agent saves it as its trust anchor.
  const std::string& presented_root_pem() const;

  // Closes the kept connection (the next request opens a new one).
  void Close();

  const BaseUrl& base_url() const;

 private:
  struct Impl;
  explicit HttpsClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil::net
