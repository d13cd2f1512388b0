#include "store/sqlite/inventory_json.h"

#include <exception>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <utility>
#include <vector>

namespace vigil::store::sqlite {
namespace {

using nlohmann::json;

// Throws out of the parse functions' try blocks; never escapes them.
MacAddress Mac(const json& j) {
  auto mac = MacAddress::Parse(j.get<std::string>());
  if (!mac) throw std::runtime_error(mac.error().message);
  return *mac;
}

IpAddress Ip(const json& j) {
  auto ip = IpAddress::Parse(j.get<std::string>());
  if (!ip) throw std::runtime_error(ip.error().message);
  return *ip;
}

json Value(const model::IdentifiedValue& v) {
  return {{"value", v.value}, {"confidence", v.confidence}};
}
model::IdentifiedValue Value(const json& j) {
  return {.value = j.at("value").get<std::string>(), .confidence = j.at("confidence").get<int>()};
}

json Endpoint(const model::Endpoint& e) {
  json j = {{"port", e.port}};
  if (e.mac) j["mac"] = e.mac->ToString();
  if (e.ip) j["ip"] = e.ip->ToString();
  return j;
}

model::Endpoint Endpoint(const json& j) {
  model::Endpoint e{.mac = {}, .ip = {}, .port = j.at("port").get<std::uint16_t>()};
  if (j.contains("mac")) e.mac = Mac(j.at("mac"));
  if (j.contains("ip")) e.ip = Ip(j.at("ip"));
  return e;
}

}  // namespace

std::string ObservedDeviceBody(const model::ObservedDevice& d) {
  json macs = json::array();
  for (const MacAddress& mac : d.macs) macs.push_back(mac.ToString());
  json addresses = json::array();
  for (const model::ObservedAddress& a : d.addresses) {
    addresses.push_back({{"ip", a.ip.ToString()},
                         {"first", a.first_seen_unix_nanos},
                         {"last", a.last_seen_unix_nanos}});
  }
  json evidence = json::array();
  for (const model::Evidence& e : d.identity.evidence) {
    evidence.push_back(
        {{"source", e.source}, {"value", e.value}, {"rule", e.rule}, {"confidence", e.confidence}});
  }
  json services = json::array();
  for (const model::ObservedService& s : d.services) {
    services.push_back({{"proto", s.ip_protocol},
                        {"port", s.port},
                        {"application", s.application},
                        {"last", s.last_seen_unix_nanos}});
  }
  json peers = json::array();
  for (const IpAddress& p : d.peers) peers.push_back(p.ToString());
  json facts = json::array();
  for (const auto& [key, value] : d.facts) facts.push_back({key, value});
  const json body = {
      {"id", d.id},
      {"macs", std::move(macs)},
      {"addresses", std::move(addresses)},
      {"names", d.names},
      {"identity",
       {{"manufacturer", Value(d.identity.manufacturer)},
        {"device_type", Value(d.identity.device_type)},
        {"model", Value(d.identity.model)},
        {"firmware", Value(d.identity.firmware)},
        {"evidence", std::move(evidence)}}},
      {"protocols", d.protocols},
      {"cleartext_protocols", d.cleartext_protocols},
      {"services", std::move(services)},
      {"peers", std::move(peers)},
      {"facts", std::move(facts)},
      {"vlan", d.vlan},
      {"first", d.first_seen_unix_nanos},
      {"last", d.last_seen_unix_nanos},
  };
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<model::ObservedDevice> ParseObservedDeviceBody(std::string_view body) {
  try {
    const json j = json::parse(body);
    model::ObservedDevice d;
    d.id = j.at("id").get<std::string>();
    for (const json& mac : j.at("macs")) d.macs.push_back(Mac(mac));
    for (const json& a : j.at("addresses")) {
      d.addresses.push_back({.ip = Ip(a.at("ip")),
                             .first_seen_unix_nanos = a.at("first").get<std::int64_t>(),
                             .last_seen_unix_nanos = a.at("last").get<std::int64_t>()});
    }
    d.names = j.at("names").get<std::vector<std::string>>();
    const json& identity = j.at("identity");
    d.identity.manufacturer = Value(identity.at("manufacturer"));
    d.identity.device_type = Value(identity.at("device_type"));
    d.identity.model = Value(identity.at("model"));
    d.identity.firmware = Value(identity.at("firmware"));
    for (const json& e : identity.at("evidence")) {
      d.identity.evidence.push_back({.source = e.at("source").get<std::string>(),
                                     .value = e.at("value").get<std::string>(),
                                     .rule = e.at("rule").get<std::string>(),
                                     .confidence = e.at("confidence").get<int>()});
    }
    d.protocols = j.at("protocols").get<std::vector<std::string>>();
    d.cleartext_protocols = j.at("cleartext_protocols").get<std::vector<std::string>>();
    for (const json& s : j.at("services")) {
      d.services.push_back({.ip_protocol = s.at("proto").get<std::uint8_t>(),
                            .port = s.at("port").get<std::uint16_t>(),
                            .application = s.at("application").get<std::string>(),
                            .last_seen_unix_nanos = s.at("last").get<std::int64_t>()});
    }
    for (const json& p : j.at("peers")) d.peers.push_back(Ip(p));
    for (const json& f : j.at("facts")) {
      d.facts.emplace_back(f.at(0).get<std::string>(), f.at(1).get<std::string>());
    }
    d.vlan = j.at("vlan").get<std::uint16_t>();
    d.first_seen_unix_nanos = j.at("first").get<std::int64_t>();
    d.last_seen_unix_nanos = j.at("last").get<std::int64_t>();
    return d;
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kDataLoss,
                     std::string("observed device body does not decode: ") + e.what());
  }
}

std::string FindingBody(const model::Finding& f) {
  json body = {{"time", f.time_unix_nanos},
               {"kind", f.kind},
               {"protocol", f.protocol},
               {"severity", static_cast<int>(f.severity)},
               {"subject", Endpoint(f.subject)},
               {"vlan", f.vlan},
               {"detail", f.detail}};
  if (f.peer) body["peer"] = Endpoint(*f.peer);
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<model::Finding> ParseFindingBody(std::string_view body) {
  try {
    const json j = json::parse(body);
    const int severity = j.at("severity").get<int>();
    if (severity < 0 || severity > static_cast<int>(model::FindingSeverity::kCritical)) {
      throw std::runtime_error("severity " + std::to_string(severity));
    }
    model::Finding f{.time_unix_nanos = j.at("time").get<std::int64_t>(),
                     .kind = j.at("kind").get<std::string>(),
                     .protocol = j.at("protocol").get<std::string>(),
                     .severity = static_cast<model::FindingSeverity>(severity),
                     .subject = Endpoint(j.at("subject")),
                     .peer = {},
                     .vlan = j.at("vlan").get<std::uint16_t>(),
                     .detail = j.at("detail").get<std::string>()};
    if (j.contains("peer")) f.peer = Endpoint(j.at("peer"));
    return f;
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kDataLoss,
                     std::string("finding body does not decode: ") + e.what());
  }
}

}  // namespace vigil::store::sqlite
