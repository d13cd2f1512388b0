#include "http/router.h"

#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

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
  router.Add("GET", "/a", Access::Public(), [](const Request&) { return Text("get a"); });
  router.Add("POST", "/a", Access::Public(), [](const Request&) { return Text("post a"); });
  router.Add("GET", "/a/b", Access::Public(), [](const Request&) { return Text("get a/b"); });

  EXPECT_EQ(router.DispatchAndWait(Make("GET", "/a")).body, "get a");
  EXPECT_EQ(router.DispatchAndWait(Make("POST", "/a")).body, "post a");
  EXPECT_EQ(router.DispatchAndWait(Make("GET", "/a/b")).body, "get a/b");
}

TEST(Router, AnswersUnknownPathWith404Json) {
  Router router;
  router.Add("GET", "/a", Access::Public(), [](const Request&) { return Text("a"); });

  const Response response = router.DispatchAndWait(Make("GET", "/a/"));

  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, R"({"error":{"code":"not_found","message":"no route for this path"}})");
}

TEST(Router, AnswersWrongMethodWith405AndAllow) {
  Router router;
  router.Add("GET", "/a", Access::Public(), [](const Request&) { return Text("a"); });
  router.Add("DELETE", "/a", Access::Public(), [](const Request&) { return Text("a"); });

  const Response response = router.DispatchAndWait(Make("PUT", "/a"));

  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(HeaderOf(response, "Allow"), "DELETE, GET, HEAD");
}

TEST(Router, MethodsAreCaseSensitive) {
  Router router;
  router.Add("GET", "/a", Access::Public(), [](const Request&) { return Text("a"); });

  EXPECT_EQ(router.DispatchAndWait(Make("get", "/a")).status, 405);
}

TEST(Router, ServesHeadWithGetHandler) {
  Router router;
  router.Add("GET", "/a", Access::Public(), [](const Request&) { return Text("a"); });

  EXPECT_EQ(router.DispatchAndWait(Make("HEAD", "/a")).body, "a");
}

TEST(Router, TurnsHandlerExceptionInto500) {
  Router router;
  router.Add("GET", "/boom", Access::Public(),
             [](const Request&) -> Response { throw std::runtime_error("x"); });
  router.Add("GET", "/int", Access::Public(), [](const Request&) -> Response { throw 42; });

  const Response response = router.DispatchAndWait(Make("GET", "/boom"));

  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body, R"({"error":{"code":"internal","message":"internal server error"}})");
  EXPECT_EQ(router.DispatchAndWait(Make("GET", "/int")).status, 500);
}

TEST(Router, ListsAllRoutesSorted) {
  Router router;
  router.Add("POST", "/b", Access::Public(), [](const Request&) { return Text(""); });
  router.Add("GET", "/b", Access::Public(), [](const Request&) { return Text(""); });
  router.Add("GET", "/a", Access::Public(), [](const Request&) { return Text(""); });

  const Access open = Access::Public();
  const std::vector<Router::Route> expected = {{.method = "GET", .path = "/a", .access = open},
                                               {.method = "GET", .path = "/b", .access = open},
                                               {.method = "POST", .path = "/b", .access = open}};
  EXPECT_EQ(router.routes(), expected);
}

TEST(Router, MatchesParametersAsWholeSegments) {
  Router router;
  router.Add("POST", "/users/{id}/disable", Access::Public(),
             [](const Request& request) { return Text(std::string(request.Param("id"))); });
  router.Add("POST", "/users/me/disable", Access::Public(),
             [](const Request&) { return Text("exact wins"); });

  EXPECT_EQ(router.DispatchAndWait(Make("POST", "/users/42/disable")).body, "42");
  EXPECT_EQ(router.DispatchAndWait(Make("POST", "/users/me/disable")).body, "exact wins");
  EXPECT_EQ(router.DispatchAndWait(Make("POST", "/users//disable")).status, 404);
  EXPECT_EQ(router.DispatchAndWait(Make("POST", "/users/42/disable/x")).status, 404);
  EXPECT_EQ(router.DispatchAndWait(Make("GET", "/users/42/disable")).status, 405);
}

TEST(Router, DeniesNonPublicRoutesWithoutAGuard) {
  Router router;
  router.Add("GET", "/secret", Access::Needs(identity::Permission::kUsersRead),
             [](const Request&) { return Text("leaked"); });

  const Response response = router.DispatchAndWait(Make("GET", "/secret"));

  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.body.find("leaked"), std::string::npos);
}

TEST(Router, GuardSeesTheRouteAccessAndCanRefuse) {
  Router router;
  router.Add("GET", "/users", Access::Needs(identity::Permission::kUsersRead),
             [](const Request& request) { return Text(request.principal->username); });
  router.Add("GET", "/mfa", Access::SignIn(), [](const Request&) { return Text("mfa"); });
  std::vector<std::string> seen;
  router.SetGuard([&](Request& request, const Access& access) -> std::optional<Response> {
    seen.push_back(access.Name());
    if (access.kind == Access::Kind::kSignIn) return JsonError(403, "forbidden", "no");
    request.principal = identity::Principal{.username = "alice"};
    return std::nullopt;
  });

  EXPECT_EQ(router.DispatchAndWait(Make("GET", "/users")).body, "alice");
  EXPECT_EQ(router.DispatchAndWait(Make("GET", "/mfa")).status, 403);
  EXPECT_EQ(seen, (std::vector<std::string>{"users.read", "sign-in"}));
}

TEST(Router, AsynchronousHandlersAnswerLater) {
  Router router;
  std::thread worker;
  router.AddAsync("POST", "/slow", Access::Public(), [&](Request request, Respond respond) {
    worker = std::thread([request = std::move(request), respond = std::move(respond)] {
      respond(Text("later: " + request.body));
    });
  });
  Request request = Make("POST", "/slow");
  request.body = "hi";
  std::optional<Response> now = router.Dispatch(request, [](Response) {});
  EXPECT_FALSE(now.has_value());
  worker.join();

  Request again = Make("POST", "/slow");
  again.body = "there";
  EXPECT_EQ(router.DispatchAndWait(again).body, "later: there");
  worker.join();
  EXPECT_TRUE(router.routes().front().async);
}

TEST(RouterDeathTest, RefusesDuplicateRoute) {
  Router router;
  router.Add("GET", "/a", Access::Public(), [](const Request&) { return Text(""); });

  EXPECT_DEATH(router.Add("GET", "/a", Access::Public(), [](const Request&) { return Text(""); }),
               "route registered twice");
}

TEST(AddSystemRoutes, ServesHealthAndVersion) {
  Router router;
  AddSystemRoutes(router, "1.2.3");

  const Response health = router.DispatchAndWait(Make("GET", "/healthz"));
  EXPECT_EQ(router.DispatchAndWait(Make("GET", "/api/v1/version")).status, 401);
  router.SetGuard([](Request&, const Access& access) -> std::optional<Response> {
    EXPECT_EQ(access.Name(), "self");
    return std::nullopt;
  });
  const Response version = router.DispatchAndWait(Make("GET", "/api/v1/version"));

  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, R"({"status":"ok"})");
  EXPECT_EQ(version.body, R"({"name":"vigil","version":"1.2.3"})");
  EXPECT_EQ(router.routes().size(), 2u);
}

}  // namespace
}  // namespace vigil::http
