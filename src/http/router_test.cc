#include "http/router.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "http/system_routes.h"

namespace vigil::http {
namespace {

Request Make(std::string method, std::string path) {
  Request request;
  request.method = std::move(method);
  request.path = std::move(path);
  request.target = request.path;
  return request;
}

Response Text(std::string body) {
  return Response{.status = 200, .content_type = "text/plain", .body = std::move(body)};
}

std::string HeaderOf(const Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) {
      return value;
    }
  }
  return "(absent)";
}

TEST(Router, DispatchesByMethodAndExactPath) {
  Router router;
  router.Add("GET", "/a", [](const Request&) { return Text("get a"); });
  router.Add("POST", "/a", [](const Request&) { return Text("post a"); });
  router.Add("GET", "/a/b", [](const Request&) { return Text("get a/b"); });

  EXPECT_EQ(router.Dispatch(Make("GET", "/a")).body, "get a");
  EXPECT_EQ(router.Dispatch(Make("POST", "/a")).body, "post a");
  EXPECT_EQ(router.Dispatch(Make("GET", "/a/b")).body, "get a/b");
}

TEST(Router, AnswersUnknownPathWith404Json) {
  Router router;
  router.Add("GET", "/a", [](const Request&) { return Text("a"); });

  const Response response = router.Dispatch(Make("GET", "/a/"));

  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, R"({"error":{"code":"not_found","message":"no route for this path"}})");
}

TEST(Router, AnswersWrongMethodWith405AndAllow) {
  Router router;
  router.Add("GET", "/a", [](const Request&) { return Text("a"); });
  router.Add("DELETE", "/a", [](const Request&) { return Text("a"); });

  const Response response = router.Dispatch(Make("PUT", "/a"));

  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(HeaderOf(response, "Allow"), "DELETE, GET, HEAD");
}

TEST(Router, MethodsAreCaseSensitive) {
  Router router;
  router.Add("GET", "/a", [](const Request&) { return Text("a"); });

  EXPECT_EQ(router.Dispatch(Make("get", "/a")).status, 405);
}

TEST(Router, ServesHeadWithGetHandler) {
  Router router;
  router.Add("GET", "/a", [](const Request&) { return Text("a"); });

  EXPECT_EQ(router.Dispatch(Make("HEAD", "/a")).body, "a");
}

TEST(Router, TurnsHandlerExceptionInto500) {
  Router router;
  router.Add("GET", "/boom", [](const Request&) -> Response { throw std::runtime_error("x"); });
  router.Add("GET", "/int", [](const Request&) -> Response { throw 42; });

  const Response response = router.Dispatch(Make("GET", "/boom"));

  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body, R"({"error":{"code":"internal","message":"internal server error"}})");
  EXPECT_EQ(router.Dispatch(Make("GET", "/int")).status, 500);
}

TEST(Router, ListsAllRoutesSorted) {
  Router router;
  router.Add("POST", "/b", [](const Request&) { return Text(""); });
  router.Add("GET", "/b", [](const Request&) { return Text(""); });
  router.Add("GET", "/a", [](const Request&) { return Text(""); });

  const std::vector<Router::Route> expected = {{.method = "GET", .path = "/a"},
                                               {.method = "GET", .path = "/b"},
                                               {.method = "POST", .path = "/b"}};
  EXPECT_EQ(router.routes(), expected);
}

TEST(RouterDeathTest, RefusesDuplicateRoute) {
  Router router;
  router.Add("GET", "/a", [](const Request&) { return Text(""); });

  EXPECT_DEATH(router.Add("GET", "/a", [](const Request&) { return Text(""); }),
               "route registered twice");
}

TEST(AddSystemRoutes, ServesHealthAndVersion) {
  Router router;
  AddSystemRoutes(router, "1.2.3");

  const Response health = router.Dispatch(Make("GET", "/healthz"));
  const Response version = router.Dispatch(Make("GET", "/api/v1/version"));

  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, R"({"status":"ok"})");
  EXPECT_EQ(version.body, R"({"name":"vigil","version":"1.2.3"})");
  EXPECT_EQ(router.routes().size(), 2u);
}

}  // namespace
}  // namespace vigil::http
