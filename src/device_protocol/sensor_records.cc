#include "device_protocol/sensor_records.h"

#include "device_protocol/json_write.h"

namespace vigil::device_protocol {
namespace {

using internal::FormatTime;
using internal::JsonWriter;

void WriteEndpoint(JsonWriter& out, std::string_view key, const model::Endpoint& e) {
  out.Key(key).BeginObject();
  if (e.mac) out.Key("mac").String(e.mac->ToString());
  if (e.ip) out.Key("ip").String(e.ip->ToString());
  if (e.port != 0) out.Key("port").Int(e.port);
  out.EndObject();
}

}  // namespace

std::string WriteObservationJson(const model::Observation& o) {
  JsonWriter out;
  out.BeginObject();
  out.Key("type").String("observation");
  out.Key("time").String(FormatTime(o.time_unix_nanos));
  out.Key("protocol").String(o.protocol);
  WriteEndpoint(out, "subject", o.subject);
  if (o.peer) WriteEndpoint(out, "peer", *o.peer);
  if (o.vlan != 0) out.Key("vlan").Int(o.vlan);
  out.Key("facts").BeginArray();
  for (const model::Fact& f : o.facts) {
    out.BeginArray().String(f.key).String(f.value).EndArray();
  }
  out.EndArray();
  out.EndObject();
  return out.Take();
}

std::string WriteFindingJson(const model::Finding& f) {
  JsonWriter out;
  out.BeginObject();
  out.Key("type").String("finding");
  out.Key("time").String(FormatTime(f.time_unix_nanos));
  out.Key("kind").String(f.kind);
  out.Key("protocol").String(f.protocol);
  out.Key("severity").String(model::SeverityName(f.severity));
  WriteEndpoint(out, "subject", f.subject);
  if (f.peer) WriteEndpoint(out, "peer", *f.peer);
  if (f.vlan != 0) out.Key("vlan").Int(f.vlan);
  out.Key("detail").String(f.detail);
  out.EndObject();
  return out.Take();
}

std::string WriteFlowRecordJson(const model::FlowRecord& r) {
  JsonWriter out;
  out.BeginObject();
  out.Key("type").String("flow");
  out.Key("start").String(FormatTime(r.start_unix_nanos));
  out.Key("end").String(FormatTime(r.end_unix_nanos));
  out.Key("proto").String(model::IpProtocolName(r.ip_protocol));
  if (r.vlan != 0) out.Key("vlan").Int(r.vlan);
  WriteEndpoint(out, "client", r.client);
  WriteEndpoint(out, "server", r.server);
  out.Key("client_packets").Int(static_cast<std::int64_t>(r.client_packets));
  out.Key("client_bytes").Int(static_cast<std::int64_t>(r.client_bytes));
  out.Key("server_packets").Int(static_cast<std::int64_t>(r.server_packets));
  out.Key("server_bytes").Int(static_cast<std::int64_t>(r.server_bytes));
  if (!r.application.empty()) out.Key("application").String(r.application);
  if (!r.tcp_state.empty()) out.Key("tcp_state").String(r.tcp_state);
  out.Key("end_reason").String(model::FlowEndName(r.end));
  out.EndObject();
  return out.Take();
}

std::string WriteSensorStatsJson(const SensorStats& stats) {
  JsonWriter out;
  out.BeginObject();
  out.Key("type").String("stats");
  for (const auto& [name, value] : stats.counters) {
    out.Key(name).Int(static_cast<std::int64_t>(value));
  }
  out.Key("weird").BeginObject();
  for (const auto& [name, value] : stats.weird) {
    out.Key(name).Int(static_cast<std::int64_t>(value));
  }
  out.EndObject();
  out.EndObject();
  return out.Take();
}

}  // namespace vigil::device_protocol
