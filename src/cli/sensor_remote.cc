#include "cli/sensor_remote.h"

#include "agent/enrollment.h"
#include "cli/exit_codes.h"
#include "net/https_client.h"

namespace vigil::cli {
namespace {

Result<std::unique_ptr<net::HttpClient>> MakeClient(const std::string& base_url,
                                                    const pki::ClientTlsSettings& tls) {
  auto client = net::HttpsClient::Create({.base_url = base_url,
                                          .tls = tls,
                                          .connect_timeout = std::chrono::seconds(10),
                                          .request_timeout = std::chrono::seconds(15),
                                          .user_agent = "vigil-sensor"});
  if (!client) return tl::unexpected(std::move(client).error());
  return std::unique_ptr<net::HttpClient>(std::move(*client));
}

int ExitFor(const Error& error) {
  switch (error.code) {
    case ErrorCode::kInvalidArgument:
      return kExitUsage;
    case ErrorCode::kLocked:
      return kExitInUse;
    default:
      return kExitFailure;
  }
}

}  // namespace

int SensorEnroll(const SensorEnrollArgs& args) {
  auto state = agent::StateDir::Open(args.state_dir);
  if (!state) {
    std::fprintf(stderr, "vigil sensor enroll: %s\n", state.error().message.c_str());
    return ExitFor(state.error());
  }
  auto identity = agent::Enroll(*state,
                                {.server_url = args.server_url,
                                 .token = args.token,
                                 .ca_fingerprint = args.ca_fingerprint,
                                 .common_name = "vigil-sensor",
                                 .sensor = true},
                                MakeClient);
  if (!identity) {
    std::fprintf(stderr, "vigil sensor enroll: %s\n", identity.error().message.c_str());
    return ExitFor(identity.error());
  }
  std::printf("enrolled sensor %s with %s; credentials in %s\n", identity->device_id.c_str(),
              identity->server_url.c_str(), args.state_dir.c_str());
  return kExitOk;
}

Result<Uplink> OpenUplink(const std::string& server_url, const std::string& state_dir) {
  auto state = agent::StateDir::Open(state_dir);
  if (!state) return tl::unexpected(std::move(state).error());
  auto identity = state->LoadIdentity();
  if (!identity) return tl::unexpected(std::move(identity).error());
  auto credentials = state->LoadCredentials();
  if (!credentials) return tl::unexpected(std::move(credentials).error());
  const std::string url = server_url.empty() ? identity->server_url : server_url;
  // Fails here, not on the sending thread, when the credentials do not make a client.
  const pki::ClientTlsSettings tls = agent::MutualTlsSettings(*credentials);
  if (auto check = MakeClient(url, tls); !check) return tl::unexpected(std::move(check).error());
  sensor::UplinkOptions options;
  options.log = [](const std::string& line) {
    std::fprintf(stderr, "vigil sensor: %s\n", line.c_str());
  };
  auto sink = std::make_unique<sensor::UplinkSink>(std::move(options),
                                                   [url, tls] { return MakeClient(url, tls); });
  return Uplink{
      .state = std::move(*state), .sensor_id = identity->device_id, .sink = std::move(sink)};
}

std::string DescribeUplink(const sensor::UplinkStats& s) {
  return "uplink: " + std::to_string(s.sent) + " records sent in " + std::to_string(s.batches) +
         " batches, " + std::to_string(s.dropped) + " dropped, " + std::to_string(s.refused) +
         " refused, " + std::to_string(s.retries) + " retries";
}

}  // namespace vigil::cli
