// The sensor's records read back: one JSON line (ParseSensorRecord) or the gateway's request
// bodies (POST /v1/observations, /v1/flows), and the bodies' writers.

#include <algorithm>
#include <array>
#include <limits>

#include "device_protocol/json_read.h"
#include "device_protocol/json_write.h"
#include "device_protocol/sensor_records.h"

namespace vigil::device_protocol {
namespace {

namespace dom = simdjson::dom;
using internal::Chars;
using internal::Need;
using internal::ObjectReader;
using internal::ParserLease;
using internal::Path;
using internal::TextRule;

constexpr std::int64_t kMaxCount = std::numeric_limits<std::int64_t>::max();

constexpr std::array<model::FlowEnd, 5> kFlowEnds = {
    model::FlowEnd::kIdle, model::FlowEnd::kActive, model::FlowEnd::kClosed,
    model::FlowEnd::kEvicted, model::FlowEnd::kEndOfCapture};
constexpr std::array<model::FindingSeverity, 4> kSeverities = {
    model::FindingSeverity::kLow, model::FindingSeverity::kMedium, model::FindingSeverity::kHigh,
    model::FindingSeverity::kCritical};

TextRule Name(const SensorLimits& limits, std::size_t min_bytes = 1) {
  return {.min_bytes = min_bytes, .max_bytes = limits.max_name, .chars = Chars::kLine};
}

// "type", when present, must be `want`; `required` for a lone JSON line.
Status CheckType(const ObjectReader& record, std::string_view want, Need need) {
  std::string type;
  VIGIL_RETURN_IF_ERROR(record.String("type", need, {.max_bytes = 16}, type));
  if (!type.empty() && type != want) {
    return record.path().Field("type").Fail("expected \"" + std::string(want) + "\"");
  }
  return OkStatus();
}

Result<model::Endpoint> ReadEndpoint(dom::element value, const Path& where) {
  const auto object = ObjectReader::Make(value, where);
  if (!object) return tl::unexpected(object.error());
  model::Endpoint out;
  std::string text;
  VIGIL_RETURN_IF_ERROR(object->String("mac", Need::kOptional, {.max_bytes = 32}, text));
  if (!text.empty()) {
    auto mac = MacAddress::Parse(text);
    if (!mac) return where.Field("mac").Fail("expected a mac address");
    out.mac = *mac;
  }
  text.clear();
  VIGIL_RETURN_IF_ERROR(object->String("ip", Need::kOptional, {.max_bytes = 64}, text));
  if (!text.empty()) {
    auto ip = IpAddress::Parse(text);
    if (!ip) return where.Field("ip").Fail("expected an ip address");
    out.ip = *ip;
  }
  std::int64_t port = 0;
  VIGIL_RETURN_IF_ERROR(object->Int("port", Need::kOptional, 0, 65535, port));
  out.port = static_cast<std::uint16_t>(port);
  return out;
}

Status ReadEndpointField(const ObjectReader& record, std::string_view name, Need need,
                         std::optional<model::Endpoint>& out) {
  const auto value = record.Find(name, need);
  if (!value) return tl::unexpected(value.error());
  if (!*value) return OkStatus();
  auto endpoint = ReadEndpoint(**value, record.path().Field(name));
  if (!endpoint) return tl::unexpected(std::move(endpoint).error());
  out = std::move(*endpoint);
  return OkStatus();
}

Status ReadRequiredEndpoint(const ObjectReader& record, std::string_view name,
                            model::Endpoint& out) {
  std::optional<model::Endpoint> endpoint;
  VIGIL_RETURN_IF_ERROR(ReadEndpointField(record, name, Need::kRequired, endpoint));
  out = std::move(*endpoint);
  return OkStatus();
}

Status ReadVlan(const ObjectReader& record, std::uint16_t& vlan) {
  std::int64_t value = 0;
  VIGIL_RETURN_IF_ERROR(record.Int("vlan", Need::kOptional, 0, 4095, value));
  vlan = static_cast<std::uint16_t>(value);
  return OkStatus();
}

Status ReadFacts(const ObjectReader& record, const SensorLimits& limits,
                 std::vector<model::Fact>& facts) {
  const auto array = record.Array("facts", limits.max_facts, "facts");
  if (!array) return tl::unexpected(array.error());
  const Path where = record.path().Field("facts");
  facts.reserve(array->size());
  std::size_t index = 0;
  for (const dom::element value : *array) {
    const Path item = where.Index(index++);
    dom::array pair;
    if (value.get_array().get(pair) != simdjson::SUCCESS || pair.size() != 2) {
      return item.Fail("expected [key, value]");
    }
    const auto key = internal::ReadString(pair.at(0).value_unsafe(), Name(limits), item.Index(0));
    if (!key) return tl::unexpected(key.error());
    const auto text = internal::ReadString(pair.at(1).value_unsafe(),
                                           {.max_bytes = limits.max_text}, item.Index(1));
    if (!text) return tl::unexpected(text.error());
    facts.push_back({.key = std::string(*key), .value = std::string(*text)});
  }
  return OkStatus();
}

Result<model::Observation> ReadObservation(dom::element value, const Path& where,
                                           const SensorLimits& limits, Need type) {
  const auto record = ObjectReader::Make(value, where);
  if (!record) return tl::unexpected(record.error());
  VIGIL_RETURN_IF_ERROR(CheckType(*record, "observation", type));
  model::Observation out;
  VIGIL_RETURN_IF_ERROR(record->Time("time", Need::kRequired, out.time_unix_nanos));
  VIGIL_RETURN_IF_ERROR(record->String("protocol", Need::kRequired, Name(limits), out.protocol));
  VIGIL_RETURN_IF_ERROR(ReadRequiredEndpoint(*record, "subject", out.subject));
  VIGIL_RETURN_IF_ERROR(ReadEndpointField(*record, "peer", Need::kOptional, out.peer));
  VIGIL_RETURN_IF_ERROR(ReadVlan(*record, out.vlan));
  VIGIL_RETURN_IF_ERROR(ReadFacts(*record, limits, out.facts));
  return out;
}

Result<model::Finding> ReadFinding(dom::element value, const Path& where,
                                   const SensorLimits& limits, Need type) {
  const auto record = ObjectReader::Make(value, where);
  if (!record) return tl::unexpected(record.error());
  VIGIL_RETURN_IF_ERROR(CheckType(*record, "finding", type));
  model::Finding out;
  VIGIL_RETURN_IF_ERROR(record->Time("time", Need::kRequired, out.time_unix_nanos));
  VIGIL_RETURN_IF_ERROR(record->String("kind", Need::kRequired, Name(limits), out.kind));
  VIGIL_RETURN_IF_ERROR(record->String("protocol", Need::kRequired, Name(limits), out.protocol));
  std::string severity;
  VIGIL_RETURN_IF_ERROR(record->String("severity", Need::kRequired, {.max_bytes = 16}, severity));
  const auto found = std::find_if(kSeverities.begin(), kSeverities.end(),
                                  [&](auto s) { return model::SeverityName(s) == severity; });
  if (found == kSeverities.end()) {
    return where.Field("severity").Fail("expected one of low, medium, high, critical");
  }
  out.severity = *found;
  VIGIL_RETURN_IF_ERROR(ReadRequiredEndpoint(*record, "subject", out.subject));
  VIGIL_RETURN_IF_ERROR(ReadEndpointField(*record, "peer", Need::kOptional, out.peer));
  VIGIL_RETURN_IF_ERROR(ReadVlan(*record, out.vlan));
  VIGIL_RETURN_IF_ERROR(
      record->String("detail", Need::kOptional, {.max_bytes = limits.max_text}, out.detail));
  return out;
}

Status ReadIpProtocol(const ObjectReader& record, std::uint8_t& protocol) {
  std::string name;
  VIGIL_RETURN_IF_ERROR(record.String("proto", Need::kRequired, {.max_bytes = 8}, name));
  for (const std::uint8_t known :
       {std::uint8_t{1}, std::uint8_t{6}, std::uint8_t{17}, std::uint8_t{58}}) {
    if (name == model::IpProtocolName(known)) {
      protocol = known;
      return OkStatus();
    }
  }
  // Other protocols as their decimal number, written as IpProtocolName writes it.
  int number = 0;
  bool digits = !name.empty() && name.size() <= 3 && (name.size() == 1 || name[0] != '0');
  for (const char c : name) {
    if (c < '0' || c > '9') digits = false;
    number = number * 10 + (c - '0');
  }
  if (!digits || number > 255 || model::IpProtocolName(static_cast<std::uint8_t>(number)) != name) {
    return record.path().Field("proto").Fail(
        "expected tcp, udp, icmp, icmpv6 or a number 0 to 255");
  }
  protocol = static_cast<std::uint8_t>(number);
  return OkStatus();
}

Status ReadCount(const ObjectReader& record, std::string_view name, std::uint64_t& out) {
  std::int64_t value = 0;
  VIGIL_RETURN_IF_ERROR(record.Int(name, Need::kRequired, 0, kMaxCount, value));
  out = static_cast<std::uint64_t>(value);
  return OkStatus();
}

Result<model::FlowRecord> ReadFlow(dom::element value, const Path& where,
                                   const SensorLimits& limits, Need type) {
  const auto record = ObjectReader::Make(value, where);
  if (!record) return tl::unexpected(record.error());
  VIGIL_RETURN_IF_ERROR(CheckType(*record, "flow", type));
  model::FlowRecord out;
  VIGIL_RETURN_IF_ERROR(record->Time("start", Need::kRequired, out.start_unix_nanos));
  VIGIL_RETURN_IF_ERROR(record->Time("end", Need::kRequired, out.end_unix_nanos));
  VIGIL_RETURN_IF_ERROR(ReadIpProtocol(*record, out.ip_protocol));
  VIGIL_RETURN_IF_ERROR(ReadVlan(*record, out.vlan));
  VIGIL_RETURN_IF_ERROR(ReadRequiredEndpoint(*record, "client", out.client));
  VIGIL_RETURN_IF_ERROR(ReadRequiredEndpoint(*record, "server", out.server));
  VIGIL_RETURN_IF_ERROR(ReadCount(*record, "client_packets", out.client_packets));
  VIGIL_RETURN_IF_ERROR(ReadCount(*record, "client_bytes", out.client_bytes));
  VIGIL_RETURN_IF_ERROR(ReadCount(*record, "server_packets", out.server_packets));
  VIGIL_RETURN_IF_ERROR(ReadCount(*record, "server_bytes", out.server_bytes));
  VIGIL_RETURN_IF_ERROR(
      record->String("application", Need::kOptional, Name(limits, 0), out.application));
  VIGIL_RETURN_IF_ERROR(
      record->String("tcp_state", Need::kOptional, Name(limits, 0), out.tcp_state));
  std::string end;
  VIGIL_RETURN_IF_ERROR(record->String("end_reason", Need::kRequired, {.max_bytes = 16}, end));
  const auto found = std::find_if(kFlowEnds.begin(), kFlowEnds.end(),
                                  [&](auto e) { return model::FlowEndName(e) == end; });
  if (found == kFlowEnds.end()) {
    return where.Field("end_reason")
        .Fail("expected one of idle, active, closed, evicted, end_of_capture");
  }
  out.end = *found;
  return out;
}

Status ReadCounters(dom::object object, const Path& where, const SensorLimits& limits,
                    std::vector<std::pair<std::string, std::uint64_t>>& out) {
  for (const dom::key_value_pair field : object) {
    if (field.key == "type" || field.key == "weird") continue;
    if (out.size() == limits.max_counters) {
      return where.Fail("more than " + std::to_string(limits.max_counters) + " counters");
    }
    VIGIL_RETURN_IF_ERROR(internal::CheckText(field.key, Name(limits), where));
    std::int64_t value = 0;
    if (field.value.get_int64().get(value) != simdjson::SUCCESS || value < 0) {
      return where.Fail("counter " + internal::Quoted(field.key) +
                        ": expected an integer of at least 0");
    }
    out.emplace_back(std::string(field.key), static_cast<std::uint64_t>(value));
  }
  return OkStatus();
}

Result<SensorStats> ReadStats(const ObjectReader& record, const SensorLimits& limits) {
  SensorStats out;
  VIGIL_RETURN_IF_ERROR(ReadCounters(record.object(), record.path(), limits, out.counters));
  const auto weird = record.Find("weird", Need::kOptional);
  if (!weird) return tl::unexpected(weird.error());
  if (*weird) {
    const Path where = record.path().Field("weird");
    const auto object = ObjectReader::Make(**weird, where);
    if (!object) return tl::unexpected(object.error());
    VIGIL_RETURN_IF_ERROR(ReadCounters(object->object(), where, limits, out.weird));
  }
  return out;
}

// Reads every element of the array `name` with `read`, appending to `out`; `budget` is what
// is left of max_records for this body.
template <typename T, typename Read>
Status ReadAll(const ObjectReader& body, std::string_view name, std::size_t& budget, Read read,
               std::vector<T>& out) {
  const auto array = body.Array(name, budget, "records");
  if (!array) return tl::unexpected(array.error());
  budget -= array->size();
  const Path where = body.path().Field(name);
  out.reserve(array->size());
  std::size_t index = 0;
  for (const dom::element value : *array) {
    auto record = read(value, where.Index(index++));
    if (!record) return tl::unexpected(std::move(record).error());
    out.push_back(std::move(*record));
  }
  return OkStatus();
}

}  // namespace

Result<SensorRecord> ParseSensorRecord(std::string_view line, const SensorLimits& limits) {
  const Path root("sensor record");
  ParserLease lease;
  const auto parsed = lease.Parse(line, root);
  if (!parsed) return tl::unexpected(parsed.error());
  const auto record = ObjectReader::Make(*parsed, root);
  if (!record) return tl::unexpected(record.error());
  std::string type;
  VIGIL_RETURN_IF_ERROR(record->String("type", Need::kRequired, {.max_bytes = 16}, type));
  const dom::element object = *parsed;
  if (type == "observation") {
    auto out = ReadObservation(object, Path("observation"), limits, Need::kRequired);
    if (!out) return tl::unexpected(std::move(out).error());
    return SensorRecord(std::move(*out));
  }
  if (type == "finding") {
    auto out = ReadFinding(object, Path("finding"), limits, Need::kRequired);
    if (!out) return tl::unexpected(std::move(out).error());
    return SensorRecord(std::move(*out));
  }
  if (type == "flow") {
    auto out = ReadFlow(object, Path("flow"), limits, Need::kRequired);
    if (!out) return tl::unexpected(std::move(out).error());
    return SensorRecord(std::move(*out));
  }
  if (type == "stats") {
    const Path stats("stats");
    const auto reader = ObjectReader::Make(object, stats);
    if (!reader) return tl::unexpected(reader.error());
    auto out = ReadStats(*reader, limits);
    if (!out) return tl::unexpected(std::move(out).error());
    return SensorRecord(std::move(*out));
  }
  return root.Field("type").Fail("expected one of observation, finding, flow, stats");
}

Result<ObservationsBody> ParseObservationsBody(std::string_view json, const SensorLimits& limits) {
  const Path root("observations");
  ParserLease lease;
  const auto body = internal::ParseObject(lease, json, root);
  if (!body) return tl::unexpected(body.error());
  ObservationsBody out;
  std::size_t budget = limits.max_records;
  VIGIL_RETURN_IF_ERROR(ReadAll(
      *body, "observations", budget,
      [&](dom::element v, const Path& p) { return ReadObservation(v, p, limits, Need::kOptional); },
      out.observations));
  VIGIL_RETURN_IF_ERROR(ReadAll(
      *body, "findings", budget,
      [&](dom::element v, const Path& p) { return ReadFinding(v, p, limits, Need::kOptional); },
      out.findings));
  return out;
}

Result<std::vector<model::FlowRecord>> ParseFlowsBody(std::string_view json,
                                                      const SensorLimits& limits) {
  const Path root("flows");
  ParserLease lease;
  const auto body = internal::ParseObject(lease, json, root);
  if (!body) return tl::unexpected(body.error());
  std::vector<model::FlowRecord> out;
  std::size_t budget = limits.max_records;
  VIGIL_RETURN_IF_ERROR(ReadAll(
      *body, "flows", budget,
      [&](dom::element v, const Path& p) { return ReadFlow(v, p, limits, Need::kOptional); }, out));
  return out;
}

std::string WriteObservationsBody(std::span<const model::Observation> observations,
                                  std::span<const model::Finding> findings) {
  std::string out = "{\"observations\":[";
  for (std::size_t i = 0; i < observations.size(); ++i) {
    if (i != 0) out += ',';
    out += WriteObservationJson(observations[i]);
  }
  out += "],\"findings\":[";
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (i != 0) out += ',';
    out += WriteFindingJson(findings[i]);
  }
  return out += "]}";
}

std::string WriteFlowsBody(std::span<const model::FlowRecord> flows) {
  std::string out = "{\"flows\":[";
  for (std::size_t i = 0; i < flows.size(); ++i) {
    if (i != 0) out += ',';
    out += WriteFlowRecordJson(flows[i]);
  }
  return out += "]}";
}

}  // namespace vigil::device_protocol
