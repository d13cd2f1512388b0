#pragma once

// HttpClient: what the agent (and later feeds and webhooks) needs from HTTP, as an interface
// with two implementations: HttpsClient (https_client.h), and the fakes of the callers' tests.
//
// A response of any status is a success of the transport: callers branch on `status`. Errors
// are for requests that got no complete answer (kUnavailable: connection, TLS, timeout;
// kUnauthenticated: the server's certificate did not verify; kPermissionDenied: the server
// refused our client certificate; kResourceExhausted: the answer was larger than allowed;
// kInvalidArgument: a bad method or path).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace vigil::net {

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // Names in lowercase, in order.
  std::string body;

  // The first header named `name` (lowercase), or "".
  std::string_view Header(std::string_view name) const;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;

  // `path` starts with '/'; an empty `body` with an empty `content_type` sends no Content-Type.
  virtual Result<HttpResponse> Request(std::string_view method, std::string_view path,
                                       std::string_view body = {},
                                       std::string_view content_type = {}) = 0;
};

}  // namespace vigil::net
