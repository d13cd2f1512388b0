#include "http/router.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <utility>

#include "core/check.h"

namespace vigil::http {
namespace {

std::vector<std::string> Split(std::string_view path) {
  std::vector<std::string> segments;
  std::size_t start = 1;  // Past the leading '/'.
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    segments.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

bool IsParameter(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

template <typename Methods>
std::string Allow(const Methods& methods) {
  std::string allow;
  auto append = [&](std::string_view method) {
    if (!allow.empty()) allow += ", ";
    allow += method;
  };
  for (const auto& [method, entry] : methods) {
    append(method);
    if (method == "GET" && !methods.contains("HEAD")) append("HEAD");
  }
  return allow;
}

Response Internal(const Request& request, std::string_view what) {
  spdlog::error("http: handler for {} {} threw: {}", request.method, request.path, what);
  return JsonError(500, "internal", "internal server error");
}

}  // namespace

std::string Access::Name() const {
  switch (kind) {
    case Kind::kPublic:
      return "public";
    case Kind::kSignIn:
      return "sign-in";
    case Kind::kDevice:
      return "device";
    case Kind::kSensor:
      return "sensor";
    case Kind::kPermission:
      return std::string(identity::PermissionName(permission)) + (session_only ? " (session)" : "");
  }
  return "unknown";
}

void Router::Add(std::string method, std::string pattern, Access access, Handler handler) {
  VIGIL_CHECK(handler != nullptr, "route handler must not be empty");
  AddEntry(std::move(method), std::move(pattern),
           Entry{.access = access, .handler = std::move(handler), .async_handler = nullptr});
}

void Router::AddAsync(std::string method, std::string pattern, Access access,
                      AsyncHandler handler) {
  VIGIL_CHECK(handler != nullptr, "route handler must not be empty");
  AddEntry(std::move(method), std::move(pattern),
           Entry{.access = access, .handler = nullptr, .async_handler = std::move(handler)});
}

void Router::SetGuard(Guard guard) { guard_ = std::move(guard); }

void Router::AddEntry(std::string method, std::string pattern, Entry entry) {
  VIGIL_CHECK(!method.empty(), "route method must not be empty");
  VIGIL_CHECK(!pattern.empty() && pattern.front() == '/', "route path must start with '/'");
  std::vector<std::string> segments = Split(pattern);
  const bool has_parameter = std::any_of(segments.begin(), segments.end(), IsParameter);
  for (const std::string& segment : segments) {
    VIGIL_CHECK(IsParameter(segment) || segment.find_first_of("{}") == std::string::npos,
                "route parameter must be a whole segment like {id}");
  }
  Methods* methods = nullptr;
  if (!has_parameter) {
    methods = &exact_[pattern];
  } else {
    auto same = std::find_if(patterns_.begin(), patterns_.end(),
                             [&](const Pattern& p) { return p.text == pattern; });
    if (same == patterns_.end()) {
      patterns_.push_back(Pattern{.text = pattern, .segments = std::move(segments), .methods = {}});
      same = patterns_.end() - 1;
    }
    methods = &same->methods;
  }
  const bool inserted = methods->emplace(std::move(method), std::move(entry)).second;
  VIGIL_CHECK(inserted, "route registered twice");
}

const Router::Methods* Router::Find(std::string_view path, Request& request) const {
  if (const auto exact = exact_.find(path); exact != exact_.end()) return &exact->second;
  if (patterns_.empty() || path.empty() || path.front() != '/') return nullptr;
  const std::vector<std::string> segments = Split(path);
  for (const Pattern& pattern : patterns_) {
    if (pattern.segments.size() != segments.size()) continue;
    std::vector<std::pair<std::string, std::string>> params;
    bool match = true;
    for (std::size_t i = 0; i < segments.size() && match; ++i) {
      const std::string& want = pattern.segments[i];
      if (IsParameter(want)) {
        match = !segments[i].empty();
        if (match) params.emplace_back(want.substr(1, want.size() - 2), segments[i]);
      } else {
        match = want == segments[i];
      }
    }
    if (match) {
      request.params = std::move(params);
      return &pattern.methods;
    }
  }
  return nullptr;
}

std::optional<Response> Router::Dispatch(Request& request, const Respond& respond) const {
  const Methods* methods = Find(request.path, request);
  if (methods == nullptr) return JsonError(404, "not_found", "no route for this path");
  auto entry = methods->find(request.method);
  if (entry == methods->end() && request.method == "HEAD") entry = methods->find("GET");
  if (entry == methods->end()) {
    Response response = JsonError(405, "method_not_allowed", "method not allowed for this path");
    response.headers.emplace_back("Allow", Allow(*methods));
    return response;
  }
  const Entry& route = entry->second;
  try {
    if (route.access.kind != Access::Kind::kPublic) {
      if (!guard_) return JsonError(401, "unauthenticated", "authentication required");
      if (auto refusal = guard_(request, route.access)) return refusal;
    }
    if (route.handler) return route.handler(request);
    route.async_handler(std::move(request), respond);
    return std::nullopt;
  } catch (const std::exception& e) {
    return Internal(request, e.what());
  } catch (...) {
    return Internal(request, "a non-standard exception");
  }
}

Response Router::DispatchAndWait(Request request) const {
  struct Waiter {
    std::mutex mu;
    std::condition_variable cv;
    std::optional<Response> response;
  };
  auto waiter = std::make_shared<Waiter>();
  auto answer = Dispatch(request, [waiter](Response response) {
    std::lock_guard lock(waiter->mu);
    waiter->response = std::move(response);
    waiter->cv.notify_all();
  });
  if (answer) return std::move(*answer);
  std::unique_lock lock(waiter->mu);
  waiter->cv.wait(lock, [&] { return waiter->response.has_value(); });
  return std::move(*waiter->response);
}

std::vector<Router::Route> Router::routes() const {
  std::vector<Route> all;
  auto add = [&](const std::string& path, const Methods& methods) {
    for (const auto& [method, entry] : methods) {
      all.push_back({.method = method,
                     .path = path,
                     .access = entry.access,
                     .async = entry.async_handler != nullptr});
    }
  };
  for (const auto& [path, methods] : exact_) add(path, methods);
  for (const Pattern& pattern : patterns_) add(pattern.text, pattern.methods);
  std::sort(all.begin(), all.end(), [](const Route& a, const Route& b) {
    return a.path != b.path ? a.path < b.path : a.method < b.method;
  });
  return all;
}

}  // namespace vigil::http
