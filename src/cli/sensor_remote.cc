#include "cli/sensor_remote.h"

#include <functional>

#include "agent/enrollment.h"
#include "cli/exit_codes.h"
#include "core/clock.h"
#include "core/time_format.h"
#include "net/https_client.h"
#include "pki/device_certificate.h"

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

// The uplink's upkeep: renews the sensor's certificate once less than a third of its lifetime
// is left (the gateway's default; sensors fetch no device configuration). True when renewed.
bool RenewIfDue(agent::StateDir& state, const agent::AgentIdentity& identity,
                net::HttpClient& client, const std::function<void(const std::string&)>& log) {
  auto credentials = state.LoadCredentials();
  if (!credentials) {
    log("certificate check: " + credentials.error().message);
    return false;
  }
  auto info = pki::DescribeDeviceCertificate(credentials->cert_pem);
  if (!info) {
    log("certificate check: " + info.error().message);
    return false;
  }
  const std::int64_t now = SystemClock().NowUnixSeconds();
  switch (agent::ClassifyCertificate(*info, now)) {
    case agent::CertificateState::kValid:
      return false;
    case agent::CertificateState::kExpired:
      log("the sensor's certificate expired at " +
          FormatRfc3339(info->not_after_unix * 1'000'000'000LL, 0) +
          "; the gateway will refuse it: enrol the sensor again (vigil sensor add, then vigil "
          "sensor enroll)");
      return false;
    case agent::CertificateState::kRenewDue:
      break;
  }
  auto renewed = agent::Renew(state, identity, client, /*sensor=*/true);
  if (!renewed) {
    log("certificate renewal failed (retried within the hour): " + renewed.error().message);
    return false;
  }
  log("certificate renewed; valid until " +
      FormatRfc3339(renewed->not_after_unix * 1'000'000'000LL, 0));
  return true;
}

// The state directory's "not enrolled" names the agent's command; a sensor enrols with its own.
Error ForSensor(Error error, const std::string& state_dir) {
  if (error.code != ErrorCode::kFailedPrecondition || !error.message.starts_with("not enrolled")) {
    return error;
  }
  error.message = "not enrolled: " + state_dir +
                  " has no sensor credentials; on the server run `vigil sensor add NAME`, then "
                  "here `vigil sensor enroll --server URL --token T --ca-fingerprint HEX "
                  "--state-dir " +
                  state_dir + "`";
  return error;
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
  auto opened = agent::StateDir::Open(state_dir);
  if (!opened) return tl::unexpected(std::move(opened).error());
  auto state = std::make_shared<agent::StateDir>(std::move(*opened));
  auto identity = state->LoadIdentity();
  if (!identity) return tl::unexpected(ForSensor(std::move(identity).error(), state_dir));
  auto credentials = state->LoadCredentials();
  if (!credentials) return tl::unexpected(ForSensor(std::move(credentials).error(), state_dir));
  const std::string url = server_url.empty() ? identity->server_url : server_url;
  // Fails here, not on the sending thread, when the credentials do not make a client.
  if (auto check = MakeClient(url, agent::MutualTlsSettings(*credentials)); !check) {
    return tl::unexpected(std::move(check).error());
  }
  const auto log = [](const std::string& line) {
    std::fprintf(stderr, "vigil sensor: %s\n", line.c_str());
  };
  sensor::UplinkOptions options;
  options.log = log;
  options.maintain = [state, identity = *identity, log](net::HttpClient& client) {
    return RenewIfDue(*state, identity, client, log);
  };
  // Credentials are read again for each new client: after a renewal it presents the new one.
  auto sink = std::make_unique<sensor::UplinkSink>(
      std::move(options), [url, state]() -> Result<std::unique_ptr<net::HttpClient>> {
        auto current = state->LoadCredentials();
        if (!current) return tl::unexpected(std::move(current).error());
        return MakeClient(url, agent::MutualTlsSettings(*current));
      });
  return Uplink{
      .state = std::move(state), .sensor_id = identity->device_id, .sink = std::move(sink)};
}

std::string DescribeUplink(const sensor::UplinkStats& s) {
  return "uplink: " + std::to_string(s.sent) + " records sent in " + std::to_string(s.batches) +
         " batches, " + std::to_string(s.dropped) + " dropped, " + std::to_string(s.refused) +
         " refused, " + std::to_string(s.retries) + " retries";
}

}  // namespace vigil::cli
