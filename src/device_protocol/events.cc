// POST /v1/events.

#include <array>

#include "device_protocol/json_read.h"
#include "device_protocol/json_write.h"
#include "device_protocol/messages.h"

namespace vigil::device_protocol {
namespace {

namespace dom = simdjson::dom;
using internal::Chars;
using internal::JsonWriter;
using internal::Need;
using internal::ObjectReader;
using internal::ParserLease;
using internal::Path;
using model::EventSeverity;

// Indexed by EventSeverity.
constexpr std::array<std::string_view, 6> kSeverityNames = {"debug",   "info",  "notice",
                                                            "warning", "error", "critical"};

std::string_view SeverityName(EventSeverity severity) {
  const auto index = static_cast<std::size_t>(severity);
  return index < kSeverityNames.size() ? kSeverityNames[index] : "info";
}

Status ReadSeverity(const ObjectReader& event, EventSeverity& severity) {
  std::string name;
  VIGIL_RETURN_IF_ERROR(event.String("severity", Need::kRequired, {.max_bytes = 16}, name));
  for (std::size_t i = 0; i < kSeverityNames.size(); ++i) {
    if (name == kSeverityNames[i]) {
      severity = static_cast<EventSeverity>(i);
      return OkStatus();
    }
  }
  return event.path()
      .Field("severity")
      .Fail("expected one of debug, info, notice, warning, error, critical");
}

Status ReadAttributes(const ObjectReader& event, const Limits& limits,
                      std::map<std::string, std::string>& attributes) {
  const auto value = event.Find("attributes", Need::kOptional);
  if (!value) return tl::unexpected(value.error());
  if (!*value) return OkStatus();
  const Path where = event.path().Field("attributes");
  // Make refuses repeated keys, so the map below loses nothing.
  const auto object = ObjectReader::Make(**value, where);
  if (!object) return tl::unexpected(object.error());
  if (object->object().size() > limits.max_attributes) {
    return where.Fail("more than " + std::to_string(limits.max_attributes) + " attributes");
  }
  const internal::TextRule key_rule{
      .min_bytes = 1, .max_bytes = limits.max_name, .chars = Chars::kMetricName};
  const internal::TextRule value_rule{.max_bytes = limits.max_text};
  for (const dom::key_value_pair field : object->object()) {
    if (!internal::CheckText(field.key, key_rule, where)) {
      return where.Fail("key " + internal::Quoted(field.key) + ": expected 1 to " +
                        std::to_string(limits.max_name) + " characters of A-Z a-z 0-9 _ . : / -");
    }
    const Path at = where.Field(field.key);
    const auto text = internal::ReadString(field.value, value_rule, at);
    if (!text) return tl::unexpected(text.error());
    attributes.emplace(field.key, *text);
  }
  return OkStatus();
}

Result<model::DeviceEvent> ReadEvent(dom::element value, const Path& where, const Limits& limits) {
  const auto event = ObjectReader::Make(value, where);
  if (!event) return tl::unexpected(event.error());
  model::DeviceEvent out;
  VIGIL_RETURN_IF_ERROR(event->Time("time", Need::kRequired, out.time_unix_nanos));
  VIGIL_RETURN_IF_ERROR(event->String("kind", Need::kRequired, {.max_bytes = 16}, out.kind));
  if (out.kind != "security" && out.kind != "log") {
    return where.Field("kind").Fail("expected security or log");
  }
  VIGIL_RETURN_IF_ERROR(ReadSeverity(*event, out.severity));
  VIGIL_RETURN_IF_ERROR(
      event->String("message", Need::kRequired, {.max_bytes = limits.max_text}, out.message));
  VIGIL_RETURN_IF_ERROR(ReadAttributes(*event, limits, out.attributes));
  return out;
}

}  // namespace

Result<std::vector<model::DeviceEvent>> ParseEvents(std::string_view json, const Limits& limits) {
  const Path root("events");
  ParserLease lease;
  const auto body = internal::ParseObject(lease, json, root);
  if (!body) return tl::unexpected(body.error());
  const auto array = body->Array("events", limits.max_events, "events");
  if (!array) return tl::unexpected(array.error());
  const Path events = root.Field("events");
  std::vector<model::DeviceEvent> out;
  out.reserve(array->size());
  std::size_t index = 0;
  for (const dom::element value : *array) {
    auto event = ReadEvent(value, events.Index(index++), limits);
    if (!event) return tl::unexpected(std::move(event).error());
    out.push_back(std::move(*event));
  }
  return out;
}

std::string WriteEvents(std::span<const model::DeviceEvent> events) {
  JsonWriter out(32 + events.size() * 160);
  out.BeginObject().Key("events").BeginArray();
  for (const model::DeviceEvent& event : events) {
    out.BeginObject()
        .Key("time")
        .String(internal::FormatTime(event.time_unix_nanos))
        .Key("kind")
        .String(event.kind)
        .Key("severity")
        .String(SeverityName(event.severity))
        .Key("message")
        .String(event.message);
    if (!event.attributes.empty()) {
      out.Key("attributes").BeginObject();
      for (const auto& [key, value] : event.attributes) out.Key(key).String(value);
      out.EndObject();
    }
    out.EndObject();
  }
  return out.EndArray().EndObject().Take();
}

}  // namespace vigil::device_protocol
