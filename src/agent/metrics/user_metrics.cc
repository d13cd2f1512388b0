#include "agent/metrics/user_metrics.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

namespace vigil::agent {
namespace {

constexpr std::size_t kMaxNameChars = 128;
constexpr std::size_t kMaxUnitBytes = 32;

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

bool IsValidUnit(std::string_view unit) {
  if (unit.size() > kMaxUnitBytes) return false;
  for (const char c : unit) {
    if ((c >= 0 && c < 0x20) || c == 0x7f) return false;
  }
  return true;
}

Error EntryError(std::size_t index, std::string_view reason) {
  return Error{ErrorCode::kInvalidArgument,
               "user metrics: entry " + std::to_string(index + 1) + ": " + std::string(reason)};
}

Result<model::MetricPoint> MakePoint(std::size_t index, const std::string& name,
                                     const nlohmann::ordered_json& value, std::string unit,
                                     std::int64_t time_unix_nanos) {
  if (!IsValidMetricName(name)) {
    return tl::unexpected(EntryError(index, "invalid name \"" + name.substr(0, kMaxNameChars) +
                                                "\" (letters, digits and _ . : / -)"));
  }
  if (!value.is_number())
    return tl::unexpected(EntryError(index, name + ": value is not a number"));
  const auto number = value.get<double>();
  if (!std::isfinite(number)) {
    return tl::unexpected(EntryError(index, name + ": value is not finite"));
  }
  if (!IsValidUnit(unit)) {
    return tl::unexpected(
        EntryError(index, name + ": unit over 32 bytes or with control characters"));
  }
  return model::MetricPoint{
      .name = name, .value = number, .unit = std::move(unit), .time_unix_nanos = time_unix_nanos};
}

}  // namespace

bool IsValidMetricName(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameChars) return false;
  for (const char c : name) {
    if (!IsAsciiLetter(c) && !IsAsciiDigit(c) && c != '.' && c != '_' && c != '-' && c != ':' &&
        c != '/') {
      return false;
    }
  }
  return true;
}

Result<std::vector<model::MetricPoint>> ParseUserMetrics(std::string_view json,
                                                         std::int64_t time_unix_nanos) {
  if (json.size() > kMaxUserMetricsBytes) {
    return MakeError(ErrorCode::kResourceExhausted,
                     "user metrics: more than " + std::to_string(kMaxUserMetricsBytes) + " bytes");
  }
  // ordered_json keeps the object form's entries in the order they were written.
  const auto doc = nlohmann::ordered_json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return MakeError(ErrorCode::kInvalidArgument, "user metrics: not JSON");
  if (!doc.is_object() && !doc.is_array()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "user metrics: expected an object {\"name\": value} or an array of "
                     "{\"name\", \"value\", \"unit\"}");
  }
  if (doc.size() > kMaxUserMetrics) {
    return MakeError(ErrorCode::kResourceExhausted,
                     "user metrics: more than " + std::to_string(kMaxUserMetrics) + " entries");
  }
  std::vector<model::MetricPoint> points;
  points.reserve(doc.size());
  std::size_t index = 0;
  if (doc.is_object()) {
    for (const auto& [name, value] : doc.items()) {
      auto point = MakePoint(index++, name, value, "", time_unix_nanos);
      if (!point) return tl::unexpected(std::move(point).error());
      points.push_back(std::move(*point));
    }
    return points;
  }
  for (const auto& entry : doc) {
    if (!entry.is_object()) return tl::unexpected(EntryError(index, "not an object"));
    const auto name = entry.find("name");
    const auto value = entry.find("value");
    const auto unit = entry.find("unit");
    if (name == entry.end() || !name->is_string()) {
      return tl::unexpected(EntryError(index, "no string \"name\""));
    }
    if (value == entry.end()) return tl::unexpected(EntryError(index, "no \"value\""));
    if (unit != entry.end() && !unit->is_string()) {
      return tl::unexpected(EntryError(index, "\"unit\" is not a string"));
    }
    auto point = MakePoint(index++, name->get<std::string>(), *value,
                           unit == entry.end() ? "" : unit->get<std::string>(), time_unix_nanos);
    if (!point) return tl::unexpected(std::move(point).error());
    points.push_back(std::move(*point));
  }
  return points;
}

}  // namespace vigil::agent
