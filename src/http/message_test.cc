#include "http/message.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace vigil::http {
namespace {

TEST(JsonError, NestsCodeAndMessageUnderError) {
  const Response response = JsonError(404, "not_found", "no \"route\"");

  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, R"({"error":{"code":"not_found","message":"no \"route\""}})");
}

TEST(JsonError, SurvivesInvalidUtf8InMessage) {
  const Response response = JsonError(400, "bad_request", "bad \xff byte");

  EXPECT_TRUE(nlohmann::json::accept(response.body)) << response.body;
}

TEST(Request, FindsFirstHeaderByLowercaseName) {
  Request request;
  request.headers = {{"accept", "a"}, {"x-id", "1"}, {"x-id", "2"}};

  ASSERT_NE(request.FindHeader("x-id"), nullptr);
  EXPECT_EQ(*request.FindHeader("x-id"), "1");
  EXPECT_EQ(request.FindHeader("cookie"), nullptr);
}

TEST(DefaultResponseHeaders, IncludeHstsCspAndNoStore) {
  std::map<std::string, std::string> headers;
  for (const auto& [name, value] : DefaultResponseHeaders()) {
    headers.emplace(name, value);
  }

  EXPECT_EQ(headers["Strict-Transport-Security"], "max-age=63072000; includeSubDomains");
  EXPECT_EQ(headers["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(headers["X-Frame-Options"], "DENY");
  EXPECT_EQ(headers["Referrer-Policy"], "no-referrer");
  EXPECT_EQ(headers["Cache-Control"], "no-store");
  EXPECT_EQ(headers["Content-Security-Policy"],
            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; "
            "form-action 'self'; object-src 'none'");
}

}  // namespace
}  // namespace vigil::http
