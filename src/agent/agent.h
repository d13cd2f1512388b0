#pragma once

// Agent: the loop of `vigil-agent run`. Each cycle does what is due at the clock's "now":
//
//   1. GET /v1/config at start and every `config_refresh` (defaults until it answers);
//   2. the certificate: renew (POST /v1/renew, new key, files swapped atomically) once less than
//      renew_when_remaining of its lifetime is left or a heartbeat answer asked for it; when it
//      has expired, say so (the device must re-enrol with a new token) and keep spooling;
//   3. a heartbeat every heartbeat_seconds, telemetry every telemetry_seconds, and the agent's
//      own events, each appended to the disk spool first;
//   4. the spool sent oldest first: a 2xx removes a record; a 429, a 5xx or no answer stops
//      sending for a backoff delay (full jitter, 1 s to 5 min, and no less than a Retry-After
//      the gateway sent); any other 4xx drops that record (it would never succeed), logged and
//      counted. A TLS refusal of the device's certificate (revoked) also only pauses sending:
//      the records wait in the spool for a re-enrolment.
//
// Run() repeats cycles, sleeping until the next task, until the StopSignal fires (the app's
// SIGINT/SIGTERM); a request in flight finishes first (bounded by its timeouts).
//
// Errors: Create returns kFailedPrecondition when the state directory is not enrolled, kLocked
// when another agent owns its spool, and I/O errors. Cycles do not fail: what went wrong is in
// the CycleReport and the log. Thread safety: one thread.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/backoff.h"
#include "agent/enrollment.h"
#include "agent/spool/spool.h"
#include "agent/state_dir.h"
#include "agent/stop_signal.h"
#include "agent/telemetry_source.h"
#include "core/clock.h"
#include "core/result.h"
#include "model/device_report.h"
#include "pki/device_certificate.h"

namespace vigil::agent {

struct AgentOptions {
  std::filesystem::path state_dir = "/var/lib/vigil-agent";
  std::string metrics_command;
  std::string metrics_file;
  std::uint64_t spool_max_bytes = 64ull * 1024 * 1024;
  std::string agent_version;
  std::chrono::seconds config_refresh{600};
  std::size_t max_sends_per_cycle = 500;
  std::filesystem::path proc_root = "/proc";
  BackoffOptions backoff;
  CommandLimits command_limits;
  bool sync_spool = true;
};

struct AgentEnvironment {
  const Clock* clock = nullptr;
  std::function<double()> uniform01;  // [0, 1), for the backoff's jitter.
  ClientFactory make_client;
};

// What one cycle did; `run --once` prints it (FormatCycleReport).
struct CycleReport {
  std::string config = "not due";  // "ok", "failed: ...", "not due".
  std::string certificate;         // "ok", "renew due", "renewed", "expired".
  int heartbeats = 0;              // Queued this cycle.
  int telemetry_batches = 0;
  int points = 0;
  int events = 0;
  int sent = 0;                       // Acknowledged with a 2xx.
  int rejected = 0;                   // Dropped after a 4xx.
  std::string send_error;             // Why sending stopped; "" if it did not.
  std::vector<std::string> warnings;  // Metrics that failed, a renewal that failed...
  SpoolStats spool;

  bool ok() const { return send_error.empty() && certificate != "expired"; }
};

// "key: value" lines, one per field, stable for scripts and tests.
std::string FormatCycleReport(const CycleReport& report);

class Agent {
 public:
  static Result<std::unique_ptr<Agent>> Create(AgentOptions options, AgentEnvironment env);
  ~Agent();

  CycleReport RunCycle();
  void Run(StopSignal& stop);

  // When the next task is due (a cycle before then would do nothing).
  TimePoint NextWake() const;

  const model::DeviceConfig& config() const { return config_; }
  const pki::DeviceCertificateInfo& certificate() const { return certificate_; }

 private:
  Agent(AgentOptions options, AgentEnvironment env, StateDir state);
  Status LoadCredentials();
  void RefreshConfig(TimePoint now, CycleReport& report);
  void CheckCertificate(TimePoint now, CycleReport& report);
  void QueueHeartbeat(TimePoint now, CycleReport& report);
  void QueueTelemetry(TimePoint now, CycleReport& report);
  void QueueEvents(CycleReport& report);
  void SendSpooled(TimePoint now, CycleReport& report);
  // Stops network use for a backoff delay, and at least `at_least` (a Retry-After).
  void NetworkFailure(TimePoint now, const Error& error, CycleReport& report,
                      std::chrono::seconds at_least = std::chrono::seconds(0));
  void NoteContact(TimePoint now);
  void AddEvent(model::EventSeverity severity, std::string message);
  bool NetworkAllowed(TimePoint now) const;

  AgentOptions options_;
  AgentEnvironment env_;
  StateDir state_;
  AgentIdentity identity_;
  Credentials credentials_;
  pki::DeviceCertificateInfo certificate_;
  bool expired_ = false;
  std::unique_ptr<net::HttpClient> client_;
  std::unique_ptr<Spool> spool_;
  TelemetrySource telemetry_;
  model::DeviceConfig config_;
  Backoff backoff_;
  Backoff renew_backoff_;
  Contact contact_;
  bool contact_dirty_ = false;
  bool renew_requested_ = false;
  bool more_to_send_ = false;
  std::vector<model::DeviceEvent> events_;
  TimePoint next_config_{};
  TimePoint next_heartbeat_{};
  TimePoint next_telemetry_{};
  TimePoint next_contact_{};  // No network before this (backoff).
  TimePoint next_renew_{};
  TimePoint next_expired_warning_{};
};

}  // namespace vigil::agent
