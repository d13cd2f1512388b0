#pragma once

// Request and Response: the plain values a route handler sees and returns. The server turns the
// wire message into a Request and a Response back into the wire message; handlers never see
// Boost.Beast.
//
// Thread safety: plain values (thread-compatible). Errors: none; a handler reports failure with
// a status code, usually through JsonError.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "identity/principal.h"

namespace vigil::http {

// The verified client certificate of a mutual-TLS connection (the device gateway).
struct ClientCertificate {
  std::string device_id;  // From the SAN URI urn:vigil:device:<id>; empty if it has none.
  std::string sensor_id;  // From the SAN URI urn:vigil:sensor:<id>; empty if it has none.
  std::string serial;     // Lowercase hex.
  std::string fingerprint_sha256;
  std::int64_t not_before_unix = 0;
  std::int64_t not_after_unix = 0;
};

struct Request {
  std::string method;  // "GET", as sent (methods are case-sensitive, RFC 9110 section 9.1).
  std::string target;  // The request-target as sent: "/api/v1/devices?page=2".
  std::string path;    // The target up to '?', not percent-decoded: "/api/v1/devices".
  std::string query;   // The target after '?', without it: "page=2" (empty when absent).
  // Header fields in arrival order, names lowercased, values as sent (repeats kept).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string remote_address;  // "127.0.0.1:53124" or "[::1]:53124".
  // Filled by the router: the route pattern's parameters ("{id}" -> "id"), as sent.
  std::vector<std::pair<std::string, std::string>> params;
  // Set when the connection presented a client certificate that verified (mutual TLS only).
  std::optional<ClientCertificate> client_certificate;
  // Filled by the router's guard for routes that are not public.
  std::optional<identity::Principal> principal;

  // The value of the first field named `lowercase_name`, or nullptr.
  const std::string* FindHeader(std::string_view lowercase_name) const;
  // The route parameter `name`, or "" when the route has none of that name.
  std::string_view Param(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  // Extra header fields. They replace the server's defaults of the same name (for example a
  // page's own Content-Security-Policy or Cache-Control); framing fields (Content-Length,
  // Transfer-Encoding, Connection) and fields with CR, LF or NUL are dropped by the server.
  std::vector<std::pair<std::string, std::string>> headers;
};

// {"error":{"code":"<code>","message":"<message>"}} with `status`; both strings are JSON-escaped.
Response JsonError(int status, std::string_view code, std::string_view message);

// A JSON response with `status` and an already serialised body.
Response JsonResponse(int status, std::string body);

// The fields the server adds to every response before the handler's own: HSTS, nosniff,
// X-Frame-Options, Content-Security-Policy, Referrer-Policy and Cache-Control: no-store.
const std::vector<std::pair<std::string_view, std::string_view>>& DefaultResponseHeaders();

}  // namespace vigil::http
