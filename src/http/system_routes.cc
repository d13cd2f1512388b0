#include "http/system_routes.h"

#include <nlohmann/json.hpp>

namespace vigil::http {

void AddSystemRoutes(Router& router, std::string version) {
  router.Add("GET", "/healthz", Access::Public(),
             [](const Request&) { return JsonResponse(200, R"({"status":"ok"})"); });
  const std::string version_body = nlohmann::json{{"name", "vigil"}, {"version", version}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  router.Add("GET", "/api/v1/version", Access::Needs(identity::Permission::kSelf),
             [version_body](const Request&) { return JsonResponse(200, version_body); });
}

}  // namespace vigil::http
