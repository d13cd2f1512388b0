#pragma once

// Router: maps (method, exact path) to a handler. Unknown path -> 404, known path with another
// method -> 405 with an Allow header, a handler that throws -> 500 (logged); all three answer
// with a JsonError body. HEAD is served by the GET handler (the server sends no body).
//
// Every route is listed by routes(), so a test can walk all of them (for example to check that
// each one declares a permission).
//
// Thread safety: Add before the router is handed to a Server; afterwards Dispatch and routes
// are const and safe to call from many threads (as safe as the handlers are).

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace vigil::http {

using Handler = std::function<Response(const Request&)>;

class Router {
 public:
  struct Route {
    std::string method;
    std::string path;
    friend bool operator==(const Route&, const Route&) = default;
  };

  // Registers `handler` for `method` (e.g. "GET") and the exact `path` (e.g. "/healthz").
  // Registering the same pair twice, an empty method, or a path not starting with '/' is a
  // programming error (VIGIL_CHECK).
  void Add(std::string method, std::string path, Handler handler);

  // Runs the matching handler; never throws.
  Response Dispatch(const Request& request) const;

  // All (method, path) pairs, sorted by path then method.
  std::vector<Route> routes() const;

 private:
  // path -> method -> handler; std::less<> allows lookup by string_view.
  std::map<std::string, std::map<std::string, Handler, std::less<>>, std::less<>> routes_;
};

}  // namespace vigil::http
