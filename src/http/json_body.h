#pragma once

// Reading JSON request bodies for route handlers: parse with a size limit, then take typed
// fields. Every failure is a kInvalidArgument whose message names the field, ready to be sent
// back as a 400 (BadRequest).
//
// Thread safety: pure functions. nlohmann/json stays out of most other headers; this one is
// only for routes files.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/worker_pool.h"
#include "http/message.h"
#include "http/router.h"

namespace vigil::http {

// The body as a JSON object; bodies above `max_bytes` and anything but an object are refused.
Result<nlohmann::json> ParseObject(const Request& request, std::size_t max_bytes = 64 * 1024);

// A string field of at most `max_bytes`; kInvalidArgument if absent or of another type.
Result<std::string> StringField(const nlohmann::json& body, std::string_view name,
                                std::size_t max_bytes = 1024);
// Like StringField, but "" when absent.
Result<std::string> OptionalString(const nlohmann::json& body, std::string_view name,
                                   std::size_t max_bytes = 1024);
// An integer field, `fallback` when absent.
Result<std::int64_t> IntField(const nlohmann::json& body, std::string_view name,
                              std::int64_t fallback);
// An array of strings, at most `max_items`.
Result<std::vector<std::string>> StringList(const nlohmann::json& body, std::string_view name,
                                            std::size_t max_items = 64);

// 400 invalid_argument for bad input, and the usual status for other error codes:
// kNotFound 404, kAlreadyExists 409, kPermissionDenied 403, kUnauthenticated 401,
// kFailedPrecondition 409, kResourceExhausted 503, others 500 (message not shown).
Response ErrorResponse(const Error& error);

// A JSON response from a json value (invalid UTF-8 replaced).
Response Json(int status, const nlohmann::json& body);

// For asynchronous routes: runs `work` on `pool` and answers `respond` with its response (500
// if it throws); when the pool's queue is full, answers 503 `busy` with `busy_message` and
// Retry-After: 1 at once.
void OnPool(WorkerPool& pool, Request request, Respond respond,
            std::function<Response(const Request&)> work, std::string_view busy_message);

}  // namespace vigil::http
