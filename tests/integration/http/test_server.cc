#include "test_server.h"

#include <chrono>
#include <optional>
#include <stdexcept>
#include <thread>

#include "http/system_routes.h"
#include "pki/server_certificate.h"

namespace vigil::http::testing {

TestServer::TestServer(const std::function<void(ServerOptions&)>& tweak) {
  const auto files = pki::EnsureServerCertificate(dir_.path());
  if (!files) {
    error_ = files.error().message;
    return;
  }
  Router router;
  AddSystemRoutes(router, "9.9.9-test");
  router.Add("GET", "/boom", Access::Public(),
             [](const Request&) -> Response { throw std::runtime_error("kaput"); });
  router.Add("POST", "/echo", Access::Public(), [](const Request& request) {
    return Response{.status = 200, .content_type = "text/plain", .body = request.body};
  });
  router.Add("GET", "/slow", Access::Public(), [this](const Request&) {
    slow_entered = true;
    std::this_thread::sleep_for(slow_for);
    return JsonResponse(200, R"({"slow":true})");
  });
  // Answered from another thread, as a worker pool would.
  router.AddAsync("POST", "/later", Access::Public(), [](Request request, Respond respond) {
    std::thread([request = std::move(request), respond = std::move(respond)] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      respond(
          Response{.status = 200, .content_type = "text/plain", .body = "later " + request.body});
    }).detach();
  });
  // Lets every caller through: these tests are about the server, not authentication.
  router.SetGuard([](Request&, const Access&) -> std::optional<Response> { return std::nullopt; });
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.cert_file = files->cert_file;
  options.key_file = files->key_file;
  if (tweak) {
    tweak(options);
  }
  auto server = Server::Create(std::move(options), std::move(router));
  if (!server) {
    error_ = server.error().message;
    return;
  }
  if (auto started = (*server)->Start(); !started) {
    error_ = started.error().message;
    return;
  }
  server_ = std::move(*server);
}

TestServer::~TestServer() {
  if (server_) {
    server_->Stop();
    server_->Wait();
  }
}

std::string TestServer::HostPort() const { return "127.0.0.1:" + std::to_string(port()); }

std::string TestServer::Url(const std::string& path) const {
  return "https://" + HostPort() + path;
}

}  // namespace vigil::http::testing
