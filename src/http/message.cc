#include "http/message.h"

#include <nlohmann/json.hpp>

namespace vigil::http {

const std::string* Request::FindHeader(std::string_view lowercase_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lowercase_name) {
      return &value;
    }
  }
  return nullptr;
}

std::string_view Request::Param(std::string_view name) const {
  for (const auto& [key, value] : params) {
    if (key == name) return value;
  }
  return {};
}

Response JsonError(int status, std::string_view code, std::string_view message) {
  const nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
  // Replacement keeps invalid UTF-8 from a caller's message from throwing.
  return JsonResponse(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Response JsonResponse(int status, std::string body) {
  return Response{.status = status, .content_type = "application/json", .body = std::move(body)};
}

const std::vector<std::pair<std::string_view, std::string_view>>& DefaultResponseHeaders() {
  // Two years of HSTS (the preload list's minimum is one); the CSP suits a same-origin
  // dashboard and refuses framing, plugins, <base> rewriting and foreign form targets.
  static const std::vector<std::pair<std::string_view, std::string_view>> kHeaders = {
      {"Strict-Transport-Security", "max-age=63072000; includeSubDomains"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Content-Security-Policy",
       "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; "
       "form-action 'self'; "
       "object-src 'none'"},
      {"Referrer-Policy", "no-referrer"},
      {"Cache-Control", "no-store"},
  };
  return kHeaders;
}

}  // namespace vigil::http
