#include "http/json_body.h"

#include <spdlog/spdlog.h>

#include <memory>

namespace vigil::http {
namespace {

Error Bad(std::string message) { return {ErrorCode::kInvalidArgument, std::move(message)}; }

}  // namespace

Result<nlohmann::json> ParseObject(const Request& request, std::size_t max_bytes) {
  if (request.body.size() > max_bytes) {
    return tl::unexpected(
        Bad("the request body is larger than " + std::to_string(max_bytes) + " bytes"));
  }
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return tl::unexpected(Bad("the request body is not valid JSON"));
  if (!body.is_object()) return tl::unexpected(Bad("the request body must be a JSON object"));
  return body;
}

Result<std::string> OptionalString(const nlohmann::json& body, std::string_view name,
                                   std::size_t max_bytes) {
  const auto found = body.find(name);
  if (found == body.end() || found->is_null()) return std::string();
  if (!found->is_string())
    return tl::unexpected(Bad("'" + std::string(name) + "' must be a string"));
  const auto& text = found->get_ref<const std::string&>();
  if (text.size() > max_bytes) {
    return tl::unexpected(
        Bad("'" + std::string(name) + "' is longer than " + std::to_string(max_bytes) + " bytes"));
  }
  return text;
}

Result<std::string> StringField(const nlohmann::json& body, std::string_view name,
                                std::size_t max_bytes) {
  if (!body.contains(name)) return tl::unexpected(Bad("'" + std::string(name) + "' is required"));
  return OptionalString(body, name, max_bytes);
}

Result<std::int64_t> IntField(const nlohmann::json& body, std::string_view name,
                              std::int64_t fallback) {
  const auto found = body.find(name);
  if (found == body.end() || found->is_null()) return fallback;
  if (!found->is_number_integer()) {
    return tl::unexpected(Bad("'" + std::string(name) + "' must be an integer"));
  }
  return found->get<std::int64_t>();
}

Result<std::vector<std::string>> StringList(const nlohmann::json& body, std::string_view name,
                                            std::size_t max_items) {
  const auto found = body.find(name);
  if (found == body.end() || !found->is_array() || found->size() > max_items) {
    return tl::unexpected(Bad("'" + std::string(name) + "' must be a list of at most " +
                              std::to_string(max_items) + " strings"));
  }
  std::vector<std::string> items;
  for (const auto& item : *found) {
    if (!item.is_string() || item.get_ref<const std::string&>().size() > 256) {
      return tl::unexpected(Bad("'" + std::string(name) + "' must contain only short strings"));
    }
    items.push_back(item.get<std::string>());
  }
  return items;
}

Response ErrorResponse(const Error& error) {
  switch (error.code) {
    case ErrorCode::kInvalidArgument:
      return JsonError(400, "invalid_argument", error.message);
    case ErrorCode::kNotFound:
      return JsonError(404, "not_found", error.message);
    case ErrorCode::kAlreadyExists:
      return JsonError(409, "already_exists", error.message);
    case ErrorCode::kPermissionDenied:
      return JsonError(403, "forbidden", error.message);
    case ErrorCode::kUnauthenticated:
      return JsonError(401, "unauthenticated", error.message);
    case ErrorCode::kFailedPrecondition:
      return JsonError(409, "failed_precondition", error.message);
    case ErrorCode::kResourceExhausted:
    case ErrorCode::kUnavailable:
      return JsonError(503, "unavailable", error.message);
    default:
      spdlog::error("http: {}", error.message);
      return JsonError(500, "internal", "internal server error");
  }
}

Response Json(int status, const nlohmann::json& body) {
  return JsonResponse(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void OnPool(WorkerPool& pool, Request request, Respond respond,
            std::function<Response(const Request&)> work, std::string_view busy_message) {
  auto shared_respond = std::make_shared<Respond>(std::move(respond));
  auto shared_request = std::make_shared<Request>(std::move(request));
  const bool queued = pool.TrySubmit([shared_respond, shared_request, work = std::move(work)] {
    Response response;
    try {
      response = work(*shared_request);
    } catch (const std::exception& e) {
      response = ErrorResponse({ErrorCode::kInternal, e.what()});
    }
    (*shared_respond)(std::move(response));
  });
  if (!queued) {
    Response busy = JsonError(503, "busy", busy_message);
    busy.headers.emplace_back("Retry-After", "1");
    (*shared_respond)(std::move(busy));
  }
}

}  // namespace vigil::http
