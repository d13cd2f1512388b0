// GET /v1/config's answer.

#include "device_protocol/json_read.h"
#include "device_protocol/json_write.h"
#include "device_protocol/messages.h"

namespace vigil::device_protocol {
namespace {

using internal::Chars;
using internal::JsonWriter;
using internal::Need;
using internal::ObjectReader;
using internal::ParserLease;
using internal::Path;

constexpr std::int64_t kMaxIntervalSeconds = 86'400;
constexpr std::int64_t kMaxBatchPoints = 1'000'000;
constexpr std::size_t kMaxMetrics = 64;

Status ReadMetrics(const ObjectReader& body, std::vector<std::string>& metrics) {
  const auto present = body.Find("metrics", Need::kOptional);
  if (!present) return tl::unexpected(present.error());
  if (!*present) return OkStatus();
  const auto array = body.Array("metrics", kMaxMetrics, "metrics");
  if (!array) return tl::unexpected(array.error());
  const Path where = body.path().Field("metrics");
  const internal::TextRule rule{
      .min_bytes = 1, .max_bytes = Limits{}.max_name, .chars = Chars::kMetricName};
  metrics.clear();
  std::size_t index = 0;
  for (const simdjson::dom::element value : *array) {
    const auto name = internal::ReadString(value, rule, where.Index(index++));
    if (!name) return tl::unexpected(name.error());
    metrics.emplace_back(*name);
  }
  return OkStatus();
}

}  // namespace

Result<model::DeviceConfig> ParseConfig(std::string_view json) {
  const Path root("config");
  ParserLease lease;
  const auto body = internal::ParseObject(lease, json, root);
  if (!body) return tl::unexpected(body.error());
  model::DeviceConfig config;
  VIGIL_RETURN_IF_ERROR(body->Int("heartbeat_seconds", Need::kOptional, 1, kMaxIntervalSeconds,
                                  config.heartbeat_seconds));
  VIGIL_RETURN_IF_ERROR(body->Int("telemetry_seconds", Need::kOptional, 1, kMaxIntervalSeconds,
                                  config.telemetry_seconds));
  VIGIL_RETURN_IF_ERROR(ReadMetrics(*body, config.metrics));
  VIGIL_RETURN_IF_ERROR(
      body->Int("max_batch_points", Need::kOptional, 1, kMaxBatchPoints, config.max_batch_points));
  double renew = config.renew_when_remaining;
  VIGIL_RETURN_IF_ERROR(body->Number("renew_when_remaining", Need::kOptional, renew));
  if (!(renew > 0 && renew < 1)) {
    return root.Field("renew_when_remaining").Fail("must be between 0 and 1 (exclusive)");
  }
  config.renew_when_remaining = renew;
  return config;
}

std::string WriteConfig(const model::DeviceConfig& config) {
  JsonWriter out(160 + config.metrics.size() * 16);
  out.BeginObject()
      .Key("heartbeat_seconds")
      .Int(config.heartbeat_seconds)
      .Key("telemetry_seconds")
      .Int(config.telemetry_seconds)
      .Key("metrics")
      .BeginArray();
  for (const std::string& metric : config.metrics) out.String(metric);
  return out.EndArray()
      .Key("max_batch_points")
      .Int(config.max_batch_points)
      .Key("renew_when_remaining")
      .Number(config.renew_when_remaining)
      .EndObject()
      .Take();
}

}  // namespace vigil::device_protocol
