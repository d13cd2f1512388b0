// POST /v1/telemetry, and the answer it shares with /v1/events.

#include <cmath>
#include <limits>

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

constexpr std::size_t kMaxUnitBytes = 32;

Result<model::MetricPoint> ReadPoint(simdjson::dom::element value, const Path& where,
                                     const Limits& limits) {
  const auto point = ObjectReader::Make(value, where);
  if (!point) return tl::unexpected(point.error());
  model::MetricPoint out;
  VIGIL_RETURN_IF_ERROR(point->String(
      "name", Need::kRequired,
      {.min_bytes = 1, .max_bytes = limits.max_name, .chars = Chars::kMetricName}, out.name));
  VIGIL_RETURN_IF_ERROR(point->Number("value", Need::kRequired, out.value));
  VIGIL_RETURN_IF_ERROR(point->String(
      "unit", Need::kOptional, {.max_bytes = kMaxUnitBytes, .chars = Chars::kLine}, out.unit));
  VIGIL_RETURN_IF_ERROR(point->Time("time", Need::kRequired, out.time_unix_nanos));
  return out;
}

}  // namespace

Result<std::vector<model::MetricPoint>> ParseTelemetry(std::string_view json,
                                                       const Limits& limits) {
  const Path root("telemetry");
  ParserLease lease;
  const auto body = internal::ParseObject(lease, json, root);
  if (!body) return tl::unexpected(body.error());
  const auto array = body->Array("points", limits.max_points, "points");
  if (!array) return tl::unexpected(array.error());
  const Path points = root.Field("points");
  std::vector<model::MetricPoint> out;
  out.reserve(array->size());
  std::size_t index = 0;
  for (const simdjson::dom::element value : *array) {
    auto point = ReadPoint(value, points.Index(index++), limits);
    if (!point) return tl::unexpected(std::move(point).error());
    out.push_back(std::move(*point));
  }
  return out;
}

std::string WriteTelemetry(std::span<const model::MetricPoint> points) {
  JsonWriter out(32 + points.size() * 96);
  out.BeginObject().Key("points").BeginArray();
  for (const model::MetricPoint& point : points) {
    if (!std::isfinite(point.value)) continue;
    out.BeginObject().Key("name").String(point.name).Key("value").Number(point.value);
    if (!point.unit.empty()) out.Key("unit").String(point.unit);
    out.Key("time").String(internal::FormatTime(point.time_unix_nanos)).EndObject();
  }
  return out.EndArray().EndObject().Take();
}

Result<std::size_t> ParseAccepted(std::string_view json) {
  const Path root("accepted");
  ParserLease lease;
  const auto body = internal::ParseObject(lease, json, root);
  if (!body) return tl::unexpected(body.error());
  std::int64_t accepted = 0;
  VIGIL_RETURN_IF_ERROR(body->Int("accepted", Need::kRequired, 0,
                                  std::numeric_limits<std::int64_t>::max(), accepted));
  return static_cast<std::size_t>(accepted);
}

std::string WriteAccepted(std::size_t accepted) {
  return JsonWriter(48)
      .BeginObject()
      .Key("status")
      .String("ok")
      .Key("accepted")
      .Int(static_cast<std::int64_t>(accepted))
      .EndObject()
      .Take();
}

}  // namespace vigil::device_protocol
