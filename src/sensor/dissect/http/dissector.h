#pragma once

// The HTTP/1.x stream dissector: reads the heads of the first kMaxExchanges messages of each
// direction of a connection, stepping over bodies by Content-Length or the chunked coding
// (RFC 9112 section 6.3), then finishes. A body delimited by the connection's close, an
// upgrade (CONNECT, 101) or a malformed head ends its direction. Chosen by payload: a known
// method and a space at the start of the client's bytes, or "HTTP/1." from the server.
//
// Facts, each value once per connection (values through SafeText; the request target is never
// kept: it can carry patient identifiers):
//   http.method      (client) a request method ("GET", "POST")
//   http.host        (client) the Host it asked for: the server's name as the client knows it
//   http.user_agent  (client) User-Agent: names the client software and often the device
//   http.server      (server) Server: names the server software and version
//
// Findings:
//   cleartext_basic_auth (high), once per connection: a request carried Authorization (or
//   Proxy-Authorization) with the Basic scheme over clear text; the detail names the Host,
//   never the credentials.

#include "sensor/dissect/dissector.h"

namespace vigil::sensor::http {

inline constexpr std::size_t kMaxExchanges = 4;
inline constexpr std::size_t kMaxFactsPerConnection = 16;

const DissectorInfo& Info();

}  // namespace vigil::sensor::http
