#include "http/inventory_json.h"

#include <string>

#include "core/time_format.h"

namespace vigil::http {
namespace {

using nlohmann::json;

json NanosOrNull(std::int64_t unix_nanos) {
  if (unix_nanos == 0) return nullptr;
  return FormatRfc3339(unix_nanos, 3);
}

json StringOrNull(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

json Identified(const model::IdentifiedValue& v) {
  if (v.value.empty()) return nullptr;
  return {{"value", v.value}, {"confidence", v.confidence}};
}

json Strings(const std::vector<std::string>& list) {
  json out = json::array();
  for (const std::string& s : list) out.push_back(s);
  return out;
}

json EndpointJson(const model::Endpoint& e) {
  return {{"ip", e.ip ? json(e.ip->ToString()) : json(nullptr)}, {"port", e.port}};
}

}  // namespace

json InventorySummaryJson(const model::ObservedDevice& d) {
  json macs = json::array();
  for (const MacAddress& mac : d.macs) macs.push_back(mac.ToString());
  const model::Identification& id = d.identity;
  return {{"id", d.id},
          {"mac", d.macs.empty() ? json(nullptr) : json(d.macs.front().ToString())},
          {"macs", std::move(macs)},
          {"ip", d.addresses.empty() ? json(nullptr) : json(d.addresses.front().ip.ToString())},
          {"names", Strings(d.names)},
          {"manufacturer", Identified(id.manufacturer)},
          {"device_type", Identified(id.device_type)},
          {"model", Identified(id.model)},
          {"firmware", Identified(id.firmware)},
          {"protocols", Strings(d.protocols)},
          {"cleartext_protocols", Strings(d.cleartext_protocols)},
          {"vlan", d.vlan},
          {"first_seen", NanosOrNull(d.first_seen_unix_nanos)},
          {"last_seen", NanosOrNull(d.last_seen_unix_nanos)}};
}

json InventoryDetailJson(const model::ObservedDevice& d,
                         const std::optional<store::DeviceRecord>& registered) {
  json out = InventorySummaryJson(d);
  json addresses = json::array();
  for (const model::ObservedAddress& a : d.addresses) {
    addresses.push_back({{"ip", a.ip.ToString()},
                         {"first_seen", NanosOrNull(a.first_seen_unix_nanos)},
                         {"last_seen", NanosOrNull(a.last_seen_unix_nanos)}});
  }
  json evidence = json::array();
  for (const model::Evidence& e : d.identity.evidence) {
    evidence.push_back(
        {{"source", e.source}, {"value", e.value}, {"rule", e.rule}, {"confidence", e.confidence}});
  }
  json services = json::array();
  for (const model::ObservedService& s : d.services) {
    services.push_back({{"protocol", model::IpProtocolName(s.ip_protocol)},
                        {"port", s.port},
                        {"application", s.application},
                        {"last_seen", NanosOrNull(s.last_seen_unix_nanos)}});
  }
  json peers = json::array();
  for (const IpAddress& ip : d.peers) peers.push_back(ip.ToString());
  json facts = json::array();
  for (const auto& [key, value] : d.facts) facts.push_back({{"key", key}, {"value", value}});
  out["addresses"] = std::move(addresses);
  out["evidence"] = std::move(evidence);
  out["services"] = std::move(services);
  out["peers"] = std::move(peers);
  out["facts"] = std::move(facts);
  out["registered_device"] =
      registered
          ? json{{"id", registered->id}, {"name", registered->name}, {"type", registered->type}}
          : json(nullptr);
  return out;
}

json InventoryFlowJson(const model::FlowAggregate& f, bool outbound) {
  return {{"bucket_start", NanosOrNull(f.bucket_start_unix_nanos)},
          {"client", f.client.ToString()},
          {"server", f.server.ToString()},
          {"server_port", f.server_port},
          {"protocol", model::IpProtocolName(f.ip_protocol)},
          {"application", f.application},
          {"flows", f.flows},
          {"packets", f.packets},
          {"bytes", f.bytes},
          {"direction", outbound ? "outbound" : "inbound"}};
}

json InventoryPeerJson(const server::InventoryPeer& p) {
  return {{"ip", p.ip.ToString()},
          {"device_id", StringOrNull(p.device_id)},
          {"services", Strings(p.services)},
          {"flows", p.flows},
          {"bytes", p.bytes},
          {"last_seen", NanosOrNull(p.last_bucket_unix_nanos)}};
}

json InventoryFindingJson(const store::StoredFinding& s) {
  const model::Finding& f = s.finding;
  return {{"seq", s.seq},
          {"time", NanosOrNull(f.time_unix_nanos)},
          {"kind", f.kind},
          {"protocol", f.protocol},
          {"severity", std::string(model::SeverityName(f.severity))},
          {"subject", EndpointJson(f.subject)},
          {"peer", f.peer ? EndpointJson(*f.peer) : json(nullptr)},
          {"vlan", f.vlan},
          {"detail", f.detail},
          {"source", s.source},
          {"device_id", StringOrNull(s.device_id)}};
}

json NotSeenJson(const server::RegisteredNotSeen& entry) {
  const store::DeviceRecord& d = entry.device;
  return {{"device", {{"id", d.id}, {"name", d.name}, {"type", d.type}, {"serial", d.serial}}},
          {"observed_id", StringOrNull(entry.observed_id)},
          {"last_seen", NanosOrNull(entry.last_seen_unix_nanos)}};
}

}  // namespace vigil::http
