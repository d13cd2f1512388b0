#include "http/router.h"

#include <spdlog/spdlog.h>

#include <exception>

#include "core/check.h"

namespace vigil::http {
namespace {

std::string AllowedMethods(const std::map<std::string, Handler, std::less<>>& methods) {
  std::string allow;
  auto append = [&](std::string_view method) {
    if (!allow.empty()) {
      allow += ", ";
    }
    allow += method;
  };
  for (const auto& [method, handler] : methods) {
    append(method);
    if (method == "GET" && !methods.contains("HEAD")) {
      append("HEAD");
    }
  }
  return allow;
}

}  // namespace

void Router::Add(std::string method, std::string path, Handler handler) {
  VIGIL_CHECK(!method.empty(), "route method must not be empty");
  VIGIL_CHECK(!path.empty() && path.front() == '/', "route path must start with '/'");
  VIGIL_CHECK(handler != nullptr, "route handler must not be empty");
  const bool inserted =
      routes_[std::move(path)].emplace(std::move(method), std::move(handler)).second;
  VIGIL_CHECK(inserted, "route registered twice");
}

Response Router::Dispatch(const Request& request) const {
  const auto by_path = routes_.find(request.path);
  if (by_path == routes_.end()) {
    return JsonError(404, "not_found", "no route for this path");
  }
  const auto& methods = by_path->second;
  auto handler = methods.find(request.method);
  if (handler == methods.end() && request.method == "HEAD") {
    handler = methods.find("GET");
  }
  if (handler == methods.end()) {
    Response response = JsonError(405, "method_not_allowed", "method not allowed for this path");
    response.headers.emplace_back("Allow", AllowedMethods(methods));
    return response;
  }
  try {
    return handler->second(request);
  } catch (const std::exception& e) {
    spdlog::error("http: handler for {} {} threw: {}", request.method, request.path, e.what());
  } catch (...) {
    spdlog::error("http: handler for {} {} threw a non-standard exception", request.method,
                  request.path);
  }
  return JsonError(500, "internal", "internal server error");
}

std::vector<Router::Route> Router::routes() const {
  std::vector<Route> all;
  for (const auto& [path, methods] : routes_) {
    for (const auto& [method, handler] : methods) {
      all.push_back({.method = method, .path = path});
    }
  }
  return all;
}

}  // namespace vigil::http
