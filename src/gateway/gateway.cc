#include "gateway/gateway.h"

#include <arpa/inet.h>
#include <unistd.h>

#include <array>
#include <utility>

#include "core/worker_pool.h"
#include "gateway/gateway_routes.h"
#include "http/server.h"
#include "pki/mutual_tls.h"

namespace vigil::gateway {
namespace {

bool IsIpAddress(const std::string& text) {
  std::array<unsigned char, 16> buffer{};
  return inet_pton(AF_INET, text.c_str(), buffer.data()) == 1 ||
         inet_pton(AF_INET6, text.c_str(), buffer.data()) == 1;
}

// The host part of ADDR:PORT or [ADDR6]:PORT.
std::string ListenHost(const std::string& listen) {
  const auto colon = listen.rfind(':');
  std::string host = colon == std::string::npos ? listen : listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return host;
}

void AddUnique(std::vector<std::string>& list, const std::string& value) {
  if (value.empty()) return;
  for (const auto& v : list) {
    if (v == value) return;
  }
  list.push_back(value);
}

}  // namespace

struct Gateway::Impl {
  Impl(server::DeviceService& device_service, const GatewayOptions& options,
       SensorIngest* sensor_ingest)
      : devices(device_service),
        sensors(sensor_ingest),
        pool(static_cast<std::size_t>(options.signing_workers),
             static_cast<std::size_t>(options.signing_queue)) {}
  server::DeviceService& devices;
  SensorIngest* sensors;
  // The pool outlives the server: the server's destructor waits for handlers that use it.
  WorkerPool pool;
  std::unique_ptr<http::Server> server;
};

Result<std::unique_ptr<Gateway>> Gateway::Create(server::DeviceService& devices,
                                                 GatewayOptions options, SensorIngest* sensors) {
  if (options.signing_workers < 1 || options.signing_queue < 1) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "gateway: signing_workers and signing_queue must be at least 1");
  }
  std::vector<std::string> names{"localhost"};
  std::vector<std::string> addresses{"127.0.0.1", "::1"};
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) == 0) AddUnique(names, host.data());
  const std::string listen_host = ListenHost(options.listen);
  if (IsIpAddress(listen_host) && listen_host != "0.0.0.0" && listen_host != "::") {
    AddUnique(addresses, listen_host);
  }
  for (const auto& name : options.server_names) {
    AddUnique(IsIpAddress(name) ? addresses : names, name);
  }
  auto material = devices.GatewayTls(names, addresses);
  if (!material) return tl::unexpected(std::move(material).error());

  auto impl = std::make_unique<Impl>(devices, options, sensors);
  http::Router router;
  AddGatewayRoutes(router, devices, impl->pool,
                   {.requests_per_second = options.requests_per_second,
                    .limits = {.max_points = options.max_points, .max_events = options.max_events}},
                   sensors);
  http::ServerOptions server_options;
  server_options.listen = options.listen;
  server_options.threads = options.threads;
  server_options.max_body_bytes = options.max_body_bytes;
  server_options.access_log = options.access_log;
  server_options.log_name = "gateway";
  server_options.configure_tls = [tls = std::move(*material)](SSL_CTX* ctx) {
    return pki::ConfigureMutualTlsServerContext(ctx, {.cert_chain_pem = tls.cert_chain_pem,
                                                      .key_pem = tls.key_pem,
                                                      .client_ca_pem = tls.client_ca_pem,
                                                      .revoked = tls.revoked});
  };
  auto server = http::Server::Create(std::move(server_options), std::move(router));
  if (!server) return tl::unexpected(Annotate(std::move(server).error(), "gateway"));
  impl->server = std::move(*server);
  return std::unique_ptr<Gateway>(new Gateway(std::move(impl)));
}

Gateway::Gateway(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Gateway::~Gateway() {
  Stop();
  Wait();
  // Reports still being committed answer through the connections' executors: let them.
  impl_->devices.WaitForReports();
  if (impl_->sensors != nullptr) impl_->sensors->WaitForIngests();
  impl_->server.reset();
  impl_->pool.Shutdown();
}

Status Gateway::Start() { return impl_->server->Start(); }
std::uint16_t Gateway::port() const { return impl_->server->port(); }
void Gateway::Stop() { impl_->server->Stop(); }
void Gateway::Wait() { impl_->server->Wait(); }

}  // namespace vigil::gateway
