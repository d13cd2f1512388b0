// `vigil serve`: owns the data directory and serves HTTPS until SIGTERM or SIGINT.

#include <signal.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <ctime>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/version.h"
#include "core/hex.h"
#include "core/worker_pool.h"
#include "gateway/gateway.h"
#include "http/server.h"
#include "http/vigil_routes.h"
#include "pki/server_certificate.h"
#include "server/control_socket.h"
#include "server/runtime.h"

namespace vigil::cli {
namespace {

constexpr int kCheckpointEverySeconds = 5;

const audit::Actor kServe{audit::ActorKind::kSystem, "vigil serve"};

// Signed checkpoints go to the log too, a third place an attacker would have to rewrite.
void CheckpointAndLog(server::Runtime& rt) {
  auto published = rt.CheckpointAudit();
  if (!published) {
    spdlog::error("audit checkpoint: {}", published.error().message);
    return;
  }
  for (const auto& cp : *published) {
    spdlog::info("audit checkpoint: seq {} hash {} signature {}", cp.seq, HexEncode(cp.hash),
                 HexEncode(cp.signature));
  }
}

Result<pki::ServerCertificateFiles> TlsFiles(const config::Config& cfg) {
  if (!cfg.server.tls_cert.empty()) {
    pki::ServerCertificateFiles files{.cert_file = cfg.server.tls_cert,
                                      .key_file = cfg.server.tls_key};
    auto info = pki::LoadServerCertificate(files);
    if (!info) return tl::unexpected(Annotate(info.error(), "server.tls_cert"));
    return files;
  }
  return pki::EnsureServerCertificate(cfg.storage.data_dir);
}

std::string BrowseUrl(const std::string& listen, std::uint16_t port) {
  const auto colon = listen.rfind(':');
  std::string host = listen.substr(0, colon);
  if (host == "127.0.0.1" || host == "0.0.0.0" || host == "[::]" || host == "[::1]") {
    host = "localhost";
  }
  return "https://" + host + ":" + std::to_string(port);
}

std::filesystem::path WebRoot(const config::Config& cfg) {
  if (!cfg.server.web_root.empty()) return cfg.server.web_root;
  return VIGIL_WEB_ROOT;
}

// The periodic chores of a running server, every kCheckpointEverySeconds.
void Tick(server::Runtime& rt) {
  CheckpointAndLog(rt);
  if (auto st = rt.identity().SweepSessions(); !st) {
    spdlog::error("identity: session sweep: {}", st.error().message);
  }
  if (auto st = rt.identity().FlushTokenUse(); !st) {
    spdlog::error("identity: token use: {}", st.error().message);
  }
  if (auto st = rt.devices().Tick(); !st) {
    spdlog::error("devices: {}", st.error().message);
  }
  if (auto st = rt.inventory().Tick(); !st) {
    spdlog::error("inventory: {}", st.error().message);
  }
}

// The gateway hands sensors' batches to the inventory (docs/adr/0009-sensor-identity.md).
class InventoryIngest final : public gateway::SensorIngest {
 public:
  explicit InventoryIngest(server::InventoryService& inventory) : inventory_(inventory) {}
  void IngestAsync(std::string source, server::SensorBatch batch,
                   std::function<void(Status)> done) override {
    inventory_.IngestAsync(std::move(source), std::move(batch), std::move(done));
  }
  void WaitForIngests() override { inventory_.WaitForIngests(); }

 private:
  server::InventoryService& inventory_;
};

}  // namespace

int Serve(const CommonOptions& options) {
  // Signals are taken synchronously by this thread; block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto cfg = ResolveConfig(options);
  if (!cfg) return ReportError(cfg.error());
  SetUpLogging(cfg->log);

  auto rt = server::Runtime::Open(*cfg, {.create = true});
  if (!rt) return ReportError(rt.error());
  auto tls = TlsFiles(*cfg);
  if (!tls) return ReportError(tls.error());

  auto first_admin = (*rt)->identity().BootstrapFirstAdmin(cfg->identity.first_admin);
  if (!first_admin) return ReportError(first_admin.error());

  // Password hashing runs here, never on the network threads.
  WorkerPool hash_pool(static_cast<std::size_t>(cfg->identity.hash_workers),
                       static_cast<std::size_t>(cfg->identity.hash_queue));
  http::Router router;
  const std::filesystem::path web_root = WebRoot(*cfg);
  if (http::AddVigilRoutes(router, **rt, hash_pool, web_root, kVersion) == 0) {
    spdlog::warn("dashboard not built ({} has no index.html): run `make web`", web_root.string());
  }
  http::ServerOptions http_options{
      .listen = cfg->server.listen,
      .cert_file = tls->cert_file,
      .key_file = tls->key_file,
      .max_header_bytes = static_cast<std::size_t>(cfg->server.max_header_bytes),
      .max_body_bytes = static_cast<std::size_t>(cfg->server.max_body_bytes),
      .read_timeout = std::chrono::seconds(cfg->server.read_timeout_seconds),
      .idle_timeout = std::chrono::seconds(cfg->server.idle_timeout_seconds),
      .threads = cfg->server.threads,
      .access_log = cfg->server.access_log};
  auto server = http::Server::Create(std::move(http_options), std::move(router));
  if (!server) return ReportError(server.error());
  if (auto st = (*server)->Start(); !st) return ReportError(st.error());

  std::unique_ptr<gateway::Gateway> device_gateway;
  InventoryIngest sensor_ingest((*rt)->inventory());
  if (cfg->gateway.enabled) {
    const config::GatewayConfig& g = cfg->gateway;
    auto created =
        gateway::Gateway::Create((*rt)->devices(),
                                 {.listen = g.listen,
                                  .threads = g.threads,
                                  .server_names = g.server_names,
                                  .max_body_bytes = static_cast<std::size_t>(g.max_body_bytes),
                                  .requests_per_second = g.requests_per_second,
                                  .max_points = static_cast<std::size_t>(g.max_points),
                                  .max_events = static_cast<std::size_t>(g.max_events),
                                  .access_log = cfg->server.access_log},
                                 &sensor_ingest);
    if (!created) return ReportError(created.error());
    device_gateway = std::move(*created);
    if (auto st = device_gateway->Start(); !st) return ReportError(st.error());
    const std::string host = g.listen.substr(0, g.listen.rfind(':'));
    (*rt)->devices().SetGatewayAddress(host + ":" + std::to_string(device_gateway->port()));
  }

  server::ControlServer control(**rt);
  const auto socket = std::filesystem::path(cfg->storage.data_dir) / "control.sock";
  if (auto st = control.Start(socket); !st) {
    // Without the socket the server still serves; CLI commands then refuse (exit 4).
    spdlog::warn("{}; CLI commands cannot reach this server", st.error().message);
  }

  const std::string url = BrowseUrl(cfg->server.listen, (*server)->port());
  if (auto st =
          (*rt)->Record({.actor = kServe,
                         .action = "server.start",
                         .target = url,
                         .details = {{"version", kVersion}, {"data_dir", cfg->storage.data_dir}}});
      !st) {
    (*server)->Stop();
    return ReportError(st.error());
  }
  std::printf("Vigil %s is serving %s\n", kVersion, url.c_str());
  std::printf("  health:   curl -k %s/healthz\n", url.c_str());
  if (device_gateway) {
    std::printf("  devices:  gateway on %s (mutual TLS); device CA fingerprint\n            %s\n",
                BrowseUrl(cfg->gateway.listen, device_gateway->port()).c_str(),
                (*rt)->devices().RootFingerprint().c_str());
  }
  std::printf("  data:     %s (key file %s)\n", cfg->storage.data_dir.c_str(),
              (*rt)->key_file().c_str());
  if (*first_admin) {
    // Shown once, here only: the database keeps just its Argon2id hash.
    std::printf(
        "  sign in:  %s/ as \"%s\" with the one-time password below; you will choose a new\n"
        "            password and set up an authenticator app (MFA) at once.\n"
        "  one-time password: %s\n",
        url.c_str(), (*first_admin)->user.username.c_str(),
        (*first_admin)->one_time_password.c_str());
  } else {
    std::printf("  sign in:  %s/ with your account (lost it? `vigil user reset-password NAME`)\n",
                url.c_str());
  }
  std::printf("Stop with Ctrl-C or SIGTERM.\n");
  std::fflush(stdout);

  // Wait for a signal; meanwhile sign and publish audit checkpoints now and then.
  int caught = 0;
  while (caught == 0) {
    const timespec tick{.tv_sec = kCheckpointEverySeconds, .tv_nsec = 0};
    const int sig = sigtimedwait(&signals, nullptr, &tick);
    if (sig == SIGINT || sig == SIGTERM) {
      caught = sig;
    } else {
      Tick(**rt);
    }
  }
  spdlog::info("{} received: stopping", caught == SIGINT ? "SIGINT" : "SIGTERM");
  control.Stop();
  if (device_gateway) device_gateway->Stop();
  (*server)->Stop();
  if (device_gateway) device_gateway->Wait();
  (*server)->Wait();
  device_gateway.reset();
  // Before the server goes: a sign-in still hashing answers into the server's io_context.
  hash_pool.Shutdown();
  if (auto st = (*rt)->Record({.actor = kServe, .action = "server.stop", .target = url}); !st) {
    spdlog::error("audit: {}", st.error().message);
  }
  CheckpointAndLog(**rt);
  return kExitOk;
}

}  // namespace vigil::cli
