// POST /v1/heartbeat and its answer.

#include <limits>

#include "device_protocol/json_read.h"
#include "device_protocol/json_write.h"
#include "device_protocol/messages.h"

namespace vigil::device_protocol {

using internal::Chars;
using internal::JsonWriter;
using internal::Need;
using internal::ParserLease;
using internal::Path;

Result<model::Heartbeat> ParseHeartbeat(std::string_view json, const Limits& limits) {
  const Path root("heartbeat");
  ParserLease lease;
  const auto body = internal::ParseObject(lease, json, root);
  if (!body) return tl::unexpected(body.error());
  constexpr std::int64_t kNoMax = std::numeric_limits<std::int64_t>::max();
  const internal::TextRule line{.max_bytes = limits.max_name, .chars = Chars::kLine};
  model::Heartbeat heartbeat;
  VIGIL_RETURN_IF_ERROR(body->Time("time", Need::kOptional, heartbeat.time_unix_nanos));
  VIGIL_RETURN_IF_ERROR(
      body->String("firmware_version", Need::kOptional, line, heartbeat.firmware_version));
  VIGIL_RETURN_IF_ERROR(
      body->String("agent_version", Need::kOptional, line, heartbeat.agent_version));
  VIGIL_RETURN_IF_ERROR(
      body->Int("uptime_seconds", Need::kOptional, 0, kNoMax, heartbeat.uptime_seconds));
  VIGIL_RETURN_IF_ERROR(body->String("state", Need::kOptional, line, heartbeat.state));
  VIGIL_RETURN_IF_ERROR(
      body->Int("spool_dropped", Need::kOptional, 0, kNoMax, heartbeat.spool_dropped));
  return heartbeat;
}

std::string WriteHeartbeat(const model::Heartbeat& heartbeat) {
  JsonWriter out;
  out.BeginObject();
  if (heartbeat.time_unix_nanos != 0) {
    out.Key("time").String(internal::FormatTime(heartbeat.time_unix_nanos));
  }
  if (!heartbeat.firmware_version.empty()) {
    out.Key("firmware_version").String(heartbeat.firmware_version);
  }
  if (!heartbeat.agent_version.empty()) out.Key("agent_version").String(heartbeat.agent_version);
  if (heartbeat.uptime_seconds >= 0) out.Key("uptime_seconds").Int(heartbeat.uptime_seconds);
  if (!heartbeat.state.empty()) out.Key("state").String(heartbeat.state);
  out.Key("spool_dropped").Int(heartbeat.spool_dropped);
  return out.EndObject().Take();
}

Result<HeartbeatAnswer> ParseHeartbeatAnswer(std::string_view json) {
  const Path root("heartbeat answer");
  ParserLease lease;
  const auto body = internal::ParseObject(lease, json, root);
  if (!body) return tl::unexpected(body.error());
  std::string status;
  VIGIL_RETURN_IF_ERROR(
      body->String("status", Need::kOptional, {.max_bytes = Limits{}.max_name}, status));
  HeartbeatAnswer answer;
  VIGIL_RETURN_IF_ERROR(body->Bool("renew", Need::kOptional, answer.renew));
  VIGIL_RETURN_IF_ERROR(body->Bool("quarantined", Need::kOptional, answer.quarantined));
  return answer;
}

std::string WriteHeartbeatAnswer(const HeartbeatAnswer& answer) {
  return JsonWriter(64)
      .BeginObject()
      .Key("status")
      .String("ok")
      .Key("renew")
      .Bool(answer.renew)
      .Key("quarantined")
      .Bool(answer.quarantined)
      .EndObject()
      .Take();
}

}  // namespace vigil::device_protocol
