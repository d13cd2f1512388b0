#pragma once

// Internal to http: the HTTP/1.1 wire format, through Boost.Beast's parser and serializer used
// synchronously over bytes. This header is Beast-free so the coroutine code in connection.cc
// compiles without Beast's HTTP templates (only wire.cc instantiates them).
//
// Thread safety: a RequestReader is used by one connection at a time; the rest are pure.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

#include "http/message.h"

namespace vigil::http {

// Incremental parser of one request, with the server's size limits.
class RequestReader {
 public:
  enum class Progress { kNeedMore, kDone, kFailed };

  RequestReader(std::size_t max_header_bytes, std::size_t max_body_bytes);
  ~RequestReader();
  RequestReader(const RequestReader&) = delete;
  RequestReader& operator=(const RequestReader&) = delete;

  // Parses from the start of `bytes`; `consumed` says how many were used (the rest belong to a
  // later request or are needed again with more bytes after them).
  Progress Put(std::string_view bytes, std::size_t& consumed);
  // The peer closed the connection before the request ended.
  Progress PutEof();

  // The header has arrived with "Expect: 100-continue" and the body has not.
  bool WantsContinue() const;

  // After kDone. The Request, or the 400 Response owed instead: a request-target that is not
  // a path (origin-form, RFC 9112 section 3.2.1), or HTTP/1.1 without Host (section 3.2).
  tl::expected<Request, Response> TakeRequest(std::string remote_address);
  // After kDone (before or after TakeRequest): a HEAD request, the client's keep-alive wish
  // (RFC 9112 section 9.3), the HTTP version as 10 or 11.
  bool head() const;
  bool keep_alive() const;
  unsigned version() const;

  // After kFailed: 431 header too large, 413 body too large, 400 malformed; status 0 when the
  // connection should just close (the peer left mid-request).
  Response Refusal() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The bytes of `response` on the wire: status line, DefaultResponseHeaders, Content-Type, the
// response's own headers (replacing defaults of the same name; framing fields and fields with
// CR, LF, NUL or a bad name dropped and logged), Content-Length, body. A status outside
// 200..599 becomes a 500. For `head` the body is left out but Content-Length still counts it;
// 204 and 304 carry no body. `status` receives the status sent, `body_bytes` the body size.
std::string SerializeResponse(Response response, unsigned version, bool keep_alive, bool head,
                              int& status, std::size_t& body_bytes);

// `text` with control characters and spaces replaced by '?', at most 256 bytes: safe to put in
// a one-line log entry.
std::string LogSafe(std::string_view text);

}  // namespace vigil::http
