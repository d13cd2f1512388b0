#include "agent/commands.h"

#include <signal.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <random>
#include <thread>

#include "agent/agent.h"
#include "agent/enrollment.h"
#include "agent/status.h"
#include "core/time_format.h"
#include "net/https_client.h"

namespace vigil::agent {
namespace {

constexpr auto kConnectTimeout = std::chrono::seconds(10);
constexpr auto kRequestTimeout = std::chrono::seconds(30);

int Fail(const Error& error) {
  std::fprintf(stderr, "vigil-agent: %s\n", error.message.c_str());
  return kExitFailure;
}

ClientFactory HttpsClientFactory() {
  return [](const std::string& base_url,
            const pki::ClientTlsSettings& tls) -> Result<std::unique_ptr<net::HttpClient>> {
    auto client =
        net::HttpsClient::Create({.base_url = base_url,
                                  .tls = tls,
                                  .connect_timeout = kConnectTimeout,
                                  .request_timeout = kRequestTimeout,
                                  .user_agent = std::string("vigil-agent/") + AgentVersion()});
    if (!client) return tl::unexpected(client.error());
    return std::unique_ptr<net::HttpClient>(std::move(*client));
  };
}

std::string HostName() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "vigil-agent";
  return std::string(name).substr(0, 64);
}

// SIGINT and SIGTERM are blocked in every thread (set before any is started) and taken by one
// thread with sigtimedwait, which tells the loop to stop.
class SignalWatcher {
 public:
  explicit SignalWatcher(StopSignal& stop) {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
    thread_ = std::thread([this, &stop] {
      const timespec tick{.tv_sec = 0, .tv_nsec = 200'000'000};
      while (!done_) {
        if (const int sig = sigtimedwait(&set_, nullptr, &tick); sig > 0) {
          spdlog::info("agent: signal {}: stopping", sig);
          stop.Stop();
          return;
        }
      }
    });
  }
  ~SignalWatcher() {
    done_ = true;
    thread_.join();
  }

 private:
  sigset_t set_{};
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace

const char* AgentVersion() { return VIGIL_VERSION; }

void SetUpAgentLogging() {
  auto logger = spdlog::stderr_logger_mt("vigil-agent");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
  spdlog::set_default_logger(logger);
}

int EnrollCommand(const EnrollArgs& args) {
  auto state = StateDir::Open(args.state_dir);
  if (!state) return Fail(state.error());
  const auto identity = Enroll(*state,
                               {.server_url = args.server,
                                .token = args.token,
                                .ca_fingerprint = args.ca_fingerprint,
                                .common_name = HostName()},
                               HttpsClientFactory());
  if (!identity) return Fail(identity.error());
  const auto credentials = state->LoadCredentials();
  if (!credentials) return Fail(credentials.error());
  const auto certificate = pki::DescribeDeviceCertificate(credentials->cert_pem);
  std::printf("enrolled: yes\ndevice_id: %s\nserver: %s\nstate_dir: %s\n",
              identity->device_id.c_str(), identity->server_url.c_str(), args.state_dir.c_str());
  if (certificate) {
    std::printf("certificate_serial: %s\ncertificate_not_after: %s\n",
                certificate->serial_hex.c_str(),
                FormatRfc3339(certificate->not_after_unix * 1'000'000'000, 0).c_str());
  }
  return kExitOk;
}

int RunCommand(const RunArgs& args) {
  ::signal(SIGPIPE, SIG_IGN);
  StopSignal stop;
  SignalWatcher signals(stop);  // Before any other thread exists.
  const SystemClock clock;
  std::mt19937_64 random(std::random_device{}());
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  auto agent = Agent::Create({.state_dir = args.state_dir,
                              .metrics_command = args.metrics_command,
                              .metrics_file = args.metrics_file,
                              .spool_max_bytes = args.spool_max_bytes,
                              .agent_version = AgentVersion()},
                             {.clock = &clock,
                              .uniform01 = [&] { return uniform(random); },
                              .make_client = HttpsClientFactory()});
  if (!agent) return Fail(agent.error());
  if (args.once) {
    const auto report = (*agent)->RunCycle();
    std::fputs(FormatCycleReport(report).c_str(), stdout);
    return report.ok() ? kExitOk : kExitFailure;
  }
  spdlog::info("agent: running from {}", args.state_dir);
  (*agent)->Run(stop);
  return kExitOk;
}

int StatusCommand(const std::string& state_dir) {
  const SystemClock clock;
  const auto status = FormatStatus(state_dir, clock.NowUnixSeconds());
  if (!status) return Fail(status.error());
  std::fputs(status->c_str(), stdout);
  return kExitOk;
}

}  // namespace vigil::agent
