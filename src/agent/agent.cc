#include "agent/agent.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/time_format.h"
#include "device_protocol/messages.h"

namespace vigil::agent {
namespace {

using std::chrono::seconds;

constexpr auto kExpiredWarningEvery = std::chrono::hours(1);
constexpr auto kMinRenewRetry = std::chrono::minutes(1);
constexpr auto kMaxSleep = std::chrono::seconds(60);

std::int64_t UnixSeconds(TimePoint t) {
  return std::chrono::duration_cast<seconds>(t.time_since_epoch()).count();
}

std::string FormatUnix(std::int64_t unix_seconds) {
  return FormatRfc3339(unix_seconds * 1'000'000'000, 0);
}

}  // namespace

Agent::Agent(AgentOptions options, AgentEnvironment env, StateDir state)
    : options_(std::move(options)),
      env_(std::move(env)),
      state_(std::move(state)),
      telemetry_({.system = {.proc_root = options_.proc_root, .disk_path = options_.state_dir},
                  .metrics_command = options_.metrics_command,
                  .metrics_file = options_.metrics_file,
                  .command_limits = options_.command_limits}),
      backoff_(options_.backoff, env_.uniform01),
      renew_backoff_({.base = std::chrono::duration_cast<std::chrono::milliseconds>(kMinRenewRetry),
                      .cap = options_.backoff.cap * 12},
                     env_.uniform01) {}

Agent::~Agent() {
  if (contact_dirty_) (void)state_.SaveContact(contact_);
}

Result<std::unique_ptr<Agent>> Agent::Create(AgentOptions options, AgentEnvironment env) {
  auto state = StateDir::Open(options.state_dir);
  if (!state) return tl::unexpected(state.error());
  std::unique_ptr<Agent> agent(new Agent(std::move(options), std::move(env), std::move(*state)));
  VIGIL_RETURN_IF_ERROR(agent->LoadCredentials());
  auto spool = Spool::Open(agent->state_.spool_dir(), {.max_bytes = agent->options_.spool_max_bytes,
                                                       .sync = agent->options_.sync_spool});
  if (!spool) return tl::unexpected(spool.error());
  agent->spool_ = std::move(*spool);
  const auto& opened = agent->spool_->open_report();
  if (opened.torn_bytes > 0) {
    spdlog::warn("agent: spool: cut {} bytes of a record torn by a crash", opened.torn_bytes);
  }
  if (opened.state_reset) {
    spdlog::warn("agent: spool: spool.state was unreadable; unacknowledged records are sent again");
  }
  agent->contact_ = agent->state_.LoadContact();
  const auto now = agent->env_.clock->Now();
  agent->telemetry_.Prime(ToUnixNanos(now));
  agent->next_config_ = agent->next_heartbeat_ = agent->next_telemetry_ = now;
  agent->next_contact_ = agent->next_renew_ = now;
  return agent;
}

Status Agent::LoadCredentials() {
  auto identity = state_.LoadIdentity();
  if (!identity) return tl::unexpected(identity.error());
  auto credentials = state_.LoadCredentials();
  if (!credentials) return tl::unexpected(credentials.error());
  auto certificate = pki::DescribeDeviceCertificate(credentials->cert_pem);
  if (!certificate) {
    return tl::unexpected(Annotate(certificate.error(), state_.file("cert.pem").string()));
  }
  auto client = env_.make_client(identity->server_url, MutualTlsSettings(*credentials));
  if (!client) return tl::unexpected(client.error());
  identity_ = std::move(*identity);
  credentials_ = std::move(*credentials);
  certificate_ = std::move(*certificate);
  client_ = std::move(*client);
  expired_ = false;
  return OkStatus();
}

CycleReport Agent::RunCycle() {
  CycleReport report;
  const auto now = env_.clock->Now();
  CheckCertificate(now, report);
  RefreshConfig(now, report);
  QueueHeartbeat(now, report);
  QueueTelemetry(now, report);
  QueueEvents(report);
  SendSpooled(now, report);
  if (contact_dirty_) {
    if (auto saved = state_.SaveContact(contact_); saved) {
      contact_dirty_ = false;
    } else {
      spdlog::warn("agent: {}", saved.error().message);
    }
  }
  report.spool = spool_->stats();
  return report;
}

bool Agent::NetworkAllowed(TimePoint now) const { return !expired_ && now >= next_contact_; }

void Agent::RefreshConfig(TimePoint now, CycleReport& report) {
  if (now < next_config_ || !NetworkAllowed(now)) return;
  auto response = client_->Request("GET", "/v1/config");
  if (!response || response->status == 429 || response->status >= 500) {
    const auto error = response ? AnswerError("config", response->status, response->body)
                                : Annotate(response.error(), "config");
    report.config = "failed: " + error.message;
    NetworkFailure(now, error, report, response ? RetryAfter(*response) : seconds(0));
    next_config_ = next_contact_;
    return;
  }
  NoteContact(now);
  next_config_ = now + options_.config_refresh;
  auto config = response->status / 100 == 2
                    ? device_protocol::ParseConfig(response->body)
                    : tl::unexpected(AnswerError("config", response->status, response->body));
  if (!config) {
    report.config = "failed: " + config.error().message;
    spdlog::warn("agent: {}; keeping the current settings", config.error().message);
    return;
  }
  // A shorter interval takes effect now rather than after the old one ran out.
  next_heartbeat_ = std::min(next_heartbeat_, now + seconds(config->heartbeat_seconds));
  next_telemetry_ = std::min(next_telemetry_, now + seconds(config->telemetry_seconds));
  config_ = std::move(*config);
  report.config = "ok";
}

void Agent::CheckCertificate(TimePoint now, CycleReport& report) {
  const auto state =
      ClassifyCertificate(certificate_, UnixSeconds(now), config_.renew_when_remaining);
  report.certificate = std::string(CertificateStateName(state));
  if (state == CertificateState::kExpired) {
    expired_ = true;
    if (now >= next_expired_warning_) {
      next_expired_warning_ = now + kExpiredWarningEvery;
      spdlog::error(
          "agent: the certificate of device {} expired at {}; it cannot be renewed: the device "
          "must re-enrol with a new token (vigil-agent enroll --server URL --token T "
          "--ca-fingerprint HEX). Records are kept in the spool meanwhile.",
          identity_.device_id, FormatUnix(certificate_.not_after_unix));
    }
    return;
  }
  if ((state != CertificateState::kRenewDue && !renew_requested_) || now < next_renew_ ||
      !NetworkAllowed(now)) {
    return;
  }
  auto renewed = Renew(state_, identity_, *client_);
  if (renewed) renewed = LoadCredentials().map([&] { return certificate_; });
  if (!renewed) {
    const auto delay =
        std::max<std::chrono::milliseconds>(renew_backoff_.Failure(), kMinRenewRetry);
    next_renew_ = now + delay;
    report.warnings.push_back(renewed.error().message);
    spdlog::warn("agent: certificate renewal failed: {}", renewed.error().message);
    AddEvent(model::EventSeverity::kWarning,
             "certificate renewal failed: " + renewed.error().message);
    if (renewed.error().code == ErrorCode::kUnavailable)
      NetworkFailure(now, renewed.error(), report);
    return;
  }
  renew_backoff_.Reset();
  renew_requested_ = false;
  NoteContact(now);
  report.certificate = "renewed";
  const auto message = "certificate renewed: serial " + certificate_.serial_hex + ", expires " +
                       FormatUnix(certificate_.not_after_unix);
  spdlog::info("agent: {}", message);
  AddEvent(model::EventSeverity::kNotice, message);
}

void Agent::NoteContact(TimePoint now) {
  backoff_.Reset();
  contact_.last_contact_unix_nanos = ToUnixNanos(now);
  contact_dirty_ = true;
}

void Agent::NetworkFailure(TimePoint now, const Error& error, CycleReport& report,
                           std::chrono::seconds at_least) {
  const auto delay = std::max<std::chrono::milliseconds>(backoff_.Failure(), at_least);
  next_contact_ = now + delay;
  if (report.send_error.empty()) report.send_error = error.message;
  if (error.code == ErrorCode::kPermissionDenied) {
    // Records stay spooled: after a re-enrolment they go out with the new certificate.
    spdlog::error(
        "agent: {}; if device {} was revoked it must re-enrol with a new token (vigil-agent "
        "enroll); records are kept in the spool (retrying in {} ms)",
        error.message, identity_.device_id, delay.count());
    return;
  }
  spdlog::warn("agent: {} (retrying in {} ms)", error.message, delay.count());
}

void Agent::AddEvent(model::EventSeverity severity, std::string message) {
  events_.push_back({.time_unix_nanos = env_.clock->NowUnixNanos(),
                     .kind = "log",
                     .severity = severity,
                     .message = std::move(message),
                     .attributes = {{"source", "vigil-agent"}}});
}

TimePoint Agent::NextWake() const {
  auto wake = std::min({next_heartbeat_, next_telemetry_, next_config_});
  if (!expired_ && (spool_->stats().records > 0 || !events_.empty())) {
    wake = std::min(wake, more_to_send_ ? env_.clock->Now() : next_contact_);
  }
  const auto state = ClassifyCertificate(certificate_, UnixSeconds(env_.clock->Now()),
                                         config_.renew_when_remaining);
  if (!expired_ && (state == CertificateState::kRenewDue || renew_requested_)) {
    wake = std::min(wake, std::max(next_renew_, next_contact_));
  }
  return wake;
}

void Agent::Run(StopSignal& stop) {
  while (!stop.stopped()) {
    const auto report = RunCycle();
    spdlog::debug("agent: cycle: sent {}, rejected {}, spool {} records", report.sent,
                  report.rejected, report.spool.records);
    const auto wait =
        std::chrono::duration_cast<std::chrono::milliseconds>(NextWake() - env_.clock->Now());
    if (stop.WaitFor(
            std::clamp<std::chrono::milliseconds>(wait, std::chrono::milliseconds(0), kMaxSleep))) {
      break;
    }
  }
  spdlog::info("agent: stopped; {} records kept in the spool", spool_->stats().records);
}

}  // namespace vigil::agent
