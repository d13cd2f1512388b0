// The agent's reports: made, appended to the spool, and sent from it in order.

#include <spdlog/spdlog.h>

#include <algorithm>

#include "agent/agent.h"
#include "device_protocol/messages.h"

namespace vigil::agent {
namespace {

using std::chrono::seconds;

// The gateway's limits per body (device_protocol::Limits).
constexpr std::size_t kMaxPointsPerBody = 1000;
constexpr std::size_t kMaxEventsPerBody = 500;

std::string_view PathOf(RecordKind kind) {
  switch (kind) {
    case RecordKind::kHeartbeat:
      return "/v1/heartbeat";
    case RecordKind::kTelemetry:
      return "/v1/telemetry";
    case RecordKind::kEvents:
      return "/v1/events";
  }
  return "/";
}

std::string_view NameOf(RecordKind kind) { return PathOf(kind).substr(4); }

}  // namespace

void Agent::QueueHeartbeat(TimePoint now, CycleReport& report) {
  if (now < next_heartbeat_) return;
  next_heartbeat_ = now + seconds(config_.heartbeat_seconds);
  const auto dropped = spool_->PendingDropped();
  const model::Heartbeat heartbeat{.time_unix_nanos = ToUnixNanos(now),
                                   .agent_version = options_.agent_version,
                                   .uptime_seconds = telemetry_.UptimeSeconds(),
                                   .spool_dropped = dropped};
  const auto appended =
      spool_->Append(RecordKind::kHeartbeat, device_protocol::WriteHeartbeat(heartbeat), dropped);
  if (!appended) {
    report.warnings.push_back(appended.error().message);
    spdlog::error("agent: heartbeat not spooled: {}", appended.error().message);
    return;
  }
  ++report.heartbeats;
}

void Agent::QueueTelemetry(TimePoint now, CycleReport& report) {
  if (now < next_telemetry_) return;
  next_telemetry_ = now + seconds(config_.telemetry_seconds);
  auto collection = telemetry_.Collect(config_.metrics, ToUnixNanos(now));
  for (const auto& error : collection.errors) {
    report.warnings.push_back(error.message);
    spdlog::warn("agent: metrics: {}", error.message);
  }
  const auto per_body = std::min<std::size_t>(
      static_cast<std::size_t>(std::max<std::int64_t>(config_.max_batch_points, 1)),
      kMaxPointsPerBody);
  for (auto& batch : SplitIntoBatches(std::move(collection.points), per_body)) {
    const auto appended =
        spool_->Append(RecordKind::kTelemetry, device_protocol::WriteTelemetry(batch));
    if (!appended) {
      report.warnings.push_back(appended.error().message);
      spdlog::error("agent: telemetry not spooled: {}", appended.error().message);
      continue;
    }
    ++report.telemetry_batches;
    report.points += static_cast<int>(batch.size());
  }
}

void Agent::QueueEvents(CycleReport& report) {
  for (std::size_t i = 0; i < events_.size(); i += kMaxEventsPerBody) {
    const auto end = std::min(events_.size(), i + kMaxEventsPerBody);
    const std::span<const model::DeviceEvent> batch(events_.data() + i, end - i);
    const auto appended = spool_->Append(RecordKind::kEvents, device_protocol::WriteEvents(batch));
    if (!appended) {
      report.warnings.push_back(appended.error().message);
      spdlog::error("agent: events not spooled: {}", appended.error().message);
      continue;
    }
    report.events += static_cast<int>(batch.size());
  }
  events_.clear();
}

void Agent::SendSpooled(TimePoint now, CycleReport& report) {
  more_to_send_ = false;
  if (!NetworkAllowed(now)) return;
  for (std::size_t sent = 0; sent < options_.max_sends_per_cycle; ++sent) {
    auto front = spool_->Front();
    if (!front) {
      report.send_error = front.error().message;
      spdlog::error("agent: spool: {}", front.error().message);
      return;
    }
    if (!*front) return;
    const auto& record = **front;
    auto response =
        client_->Request("POST", PathOf(record.kind), record.payload, "application/json");
    if (!response) {
      NetworkFailure(now, Annotate(response.error(), NameOf(record.kind)), report);
      return;
    }
    const int status = response->status;
    if (status == 429 || status >= 500) {
      NetworkFailure(now, AnswerError(NameOf(record.kind), status, response->body), report,
                     RetryAfter(*response));
      return;
    }
    NoteContact(now);
    if (status / 100 != 2) {
      // It would never succeed: drop it, say why, count it.
      const auto error = AnswerError(NameOf(record.kind), status, response->body);
      spdlog::error("agent: record {} refused, dropped: {}", record.seq, error.message);
      ++report.rejected;
      if (auto rejected = spool_->Reject(record.seq); !rejected) {
        report.send_error = rejected.error().message;
        return;
      }
      continue;
    }
    if (record.kind == RecordKind::kHeartbeat) {
      if (const auto answer = device_protocol::ParseHeartbeatAnswer(response->body)) {
        renew_requested_ = renew_requested_ || answer->renew;
        if (answer->quarantined != contact_.quarantined) {
          contact_.quarantined = answer->quarantined;
          spdlog::warn("agent: the gateway reports this device {}",
                       answer->quarantined ? "quarantined" : "released from quarantine");
        }
      }
    }
    ++report.sent;
    if (auto acknowledged = spool_->Acknowledge(record.seq); !acknowledged) {
      report.send_error = acknowledged.error().message;
      return;
    }
  }
  more_to_send_ = spool_->stats().records > 0;
}

std::string FormatCycleReport(const CycleReport& report) {
  std::string out;
  const auto line = [&out](std::string_view key, const std::string& value) {
    out += std::string(key) + ": " + value + "\n";
  };
  line("config", report.config);
  line("certificate", report.certificate);
  line("queued_heartbeats", std::to_string(report.heartbeats));
  line("queued_telemetry_batches", std::to_string(report.telemetry_batches));
  line("queued_points", std::to_string(report.points));
  line("queued_events", std::to_string(report.events));
  line("sent", std::to_string(report.sent));
  line("rejected", std::to_string(report.rejected));
  line("send_error", report.send_error.empty() ? "none" : report.send_error);
  for (const auto& warning : report.warnings) line("warning", warning);
  line("spool_records", std::to_string(report.spool.records));
  line("spool_bytes", std::to_string(report.spool.bytes));
  line("spool_dropped", std::to_string(report.spool.dropped_pending));
  return out;
}

}  // namespace vigil::agent
