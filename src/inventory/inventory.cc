#include "inventory/inventory.h"

#include <algorithm>

#include "inventory/classifier.h"

namespace vigil::inventory {
namespace {

std::vector<Cidr> DefaultLocalNetworks() {
  std::vector<Cidr> out;
  for (const char* text : {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10",
                           "169.254.0.0/16", "fc00::/7", "fe80::/10"}) {
    out.push_back(*Cidr::Parse(text));
  }
  return out;
}

bool UsableMac(const MacAddress& mac) { return !mac.IsMulticast() && mac != MacAddress(); }

bool UsableIp(const IpAddress& ip) {
  auto b = ip.bytes();
  if (ip.is_v4()) return b[0] != 0 && b[0] < 224 && b[0] != 127;
  if (b[0] == 0xff) return false;                                                     // Multicast.
  return std::any_of(b.begin(), b.end() - 1, [](std::uint8_t x) { return x != 0; });  // ::, ::1
}

std::string MacId(const MacAddress& mac) {
  std::string hex = mac.ToString();
  hex.erase(std::remove(hex.begin(), hex.end(), ':'), hex.end());
  return "mac-" + hex;
}

const std::string* FactValue(const std::vector<model::Fact>* facts, std::string_view key) {
  if (facts == nullptr) return nullptr;
  for (const model::Fact& f : *facts) {
    if (f.key == key) return &f.value;
  }
  return nullptr;
}

// Facts that name the subject (host names, AE titles, switch names).
bool IsNameFact(std::string_view key) {
  return key == "dhcp.hostname" || key == "dhcp.fqdn" || key == "dns.hostname" ||
         key == "nbns.name" || key == "dicom.calling_ae" || key == "dicom.called_ae" ||
         key == "lldp.system_name" || key == "cdp.device_id" || key == "snmp.sys_name";
}

template <typename T>
void PushFrontBounded(std::vector<T>& list, T value, std::size_t limit) {
  list.erase(std::remove(list.begin(), list.end(), value), list.end());
  list.insert(list.begin(), std::move(value));
  if (list.size() > limit) list.resize(limit);
}

}  // namespace

Inventory::Inventory(const OuiRegistry& oui, const RuleSet& rules, InventoryLimits limits)
    : oui_(oui), rules_(rules), limits_(std::move(limits)) {
  if (limits_.local_networks.empty()) limits_.local_networks = DefaultLocalNetworks();
}

void Inventory::Load(std::vector<model::ObservedDevice> devices) {
  for (model::ObservedDevice& d : devices) {
    for (const MacAddress& mac : d.macs) by_mac_[mac] = d.id;
    for (const model::ObservedAddress& a : d.addresses) by_ip_[a.ip] = d.id;
    std::string id = d.id;
    devices_[id] = std::move(d);
  }
}

bool Inventory::IsLocal(const IpAddress& ip) const {
  return std::any_of(limits_.local_networks.begin(), limits_.local_networks.end(),
                     [&](const Cidr& c) { return c.Contains(ip); });
}

model::ObservedDevice* Inventory::Create(std::string id, std::int64_t time) {
  if (devices_.size() >= limits_.max_devices) {
    ++dropped_;
    return nullptr;
  }
  model::ObservedDevice& d = devices_[id];
  d.id = std::move(id);
  d.first_seen_unix_nanos = d.last_seen_unix_nanos = time;
  return &d;
}

model::ObservedDevice* Inventory::ByMac(const MacAddress& mac, std::int64_t time,
                                        const std::vector<model::Fact>* facts) {
  if (auto it = by_mac_.find(mac); it != by_mac_.end()) {
    if (auto d = devices_.find(it->second); d != devices_.end()) return &d->second;
  }
  // A randomised MAC: the same DHCP client id or host name says which device it is.
  if (mac.IsLocallyAdministered()) {
    for (auto [key, index] :
         {std::pair{"dhcp.client_id", &by_client_id_}, std::pair{"dhcp.hostname", &by_hostname_}}) {
      const std::string* value = FactValue(facts, key);
      if (value == nullptr) continue;
      auto known = index->find(*value);
      if (known == index->end()) continue;
      auto d = devices_.find(known->second);
      if (d == devices_.end()) continue;
      PushFrontBounded(d->second.macs, mac, limits_.max_addresses);
      by_mac_[mac] = d->second.id;
      return &d->second;
    }
  }
  model::ObservedDevice* d = Create(MacId(mac), time);
  if (d == nullptr) return nullptr;
  d->macs.push_back(mac);
  by_mac_[mac] = d->id;
  return d;
}

model::ObservedDevice* Inventory::Resolve(const model::Endpoint& e, std::int64_t time,
                                          const std::vector<model::Fact>* facts, bool may_create) {
  bool mac_ok = e.mac && UsableMac(*e.mac) && !routers_.contains(*e.mac);
  bool ip_ok = e.ip && UsableIp(*e.ip);
  if (mac_ok && (may_create || by_mac_.contains(*e.mac))) {
    model::ObservedDevice* d = ByMac(*e.mac, time, facts);
    if (d == nullptr) return nullptr;
    if (ip_ok) Bind(*d, *e.ip, time);
    // Bind may have found the MAC to be a router's: then the address is not this device's.
    if (!routers_.contains(*e.mac)) return d;
  }
  if (!ip_ok) return nullptr;
  if (auto it = by_ip_.find(*e.ip); it != by_ip_.end()) {
    if (auto d = devices_.find(it->second); d != devices_.end()) return &d->second;
  }
  if (!may_create || !IsLocal(*e.ip)) return nullptr;
  model::ObservedDevice* d = Create("ip-" + e.ip->ToString(), time);
  if (d == nullptr) return nullptr;
  d->addresses.push_back(
      {.ip = *e.ip, .first_seen_unix_nanos = time, .last_seen_unix_nanos = time});
  by_ip_[*e.ip] = d->id;
  return d;
}

void Inventory::Bind(model::ObservedDevice& device, const IpAddress& ip, std::int64_t time) {
  const MacAddress& mac = device.macs.front();
  auto& seen = mac_addresses_[mac];
  seen.insert(ip);
  if (seen.size() > limits_.router_addresses) {
    // Too many addresses behind one MAC: a router. Its own first address stays.
    routers_.insert(mac);
    mac_addresses_.erase(mac);
    AddFact(device, "inventory.router", "true");
    return;
  }
  auto it = by_ip_.find(ip);
  if (it != by_ip_.end() && it->second != device.id) {
    std::string previous = it->second;
    if (previous.rfind("ip-", 0) == 0) MergeInto(device, previous);
  }
  by_ip_[ip] = device.id;
  auto a = std::find_if(device.addresses.begin(), device.addresses.end(),
                        [&](const model::ObservedAddress& x) { return x.ip == ip; });
  model::ObservedAddress address{.ip = ip, .first_seen_unix_nanos = time};
  if (a != device.addresses.end()) {
    address.first_seen_unix_nanos = a->first_seen_unix_nanos;
    device.addresses.erase(a);
  }
  address.last_seen_unix_nanos = time;
  device.addresses.insert(device.addresses.begin(), address);
  if (device.addresses.size() > limits_.max_addresses)
    device.addresses.resize(limits_.max_addresses);
  changed_.insert(device.id);
}

// A device known only by address turns out to be behind a MAC: its history joins the MAC's.
void Inventory::MergeInto(model::ObservedDevice& keep, const std::string& gone_id) {
  auto it = devices_.find(gone_id);
  if (it == devices_.end() || &it->second == &keep) return;
  model::ObservedDevice gone = std::move(it->second);
  devices_.erase(it);
  keep.first_seen_unix_nanos = std::min(keep.first_seen_unix_nanos, gone.first_seen_unix_nanos);
  keep.last_seen_unix_nanos = std::max(keep.last_seen_unix_nanos, gone.last_seen_unix_nanos);
  for (auto& [k, v] : gone.facts) AddFact(keep, k, v);
  for (auto& n : gone.names) AddName(keep, n);
  for (auto& p : gone.protocols) AddProtocol(keep.protocols, p);
  for (auto& p : gone.cleartext_protocols) AddProtocol(keep.cleartext_protocols, p);
  for (auto& p : gone.peers) AddPeer(keep, p);
  for (auto& s : gone.services) {
    if (keep.services.size() < limits_.max_services) keep.services.push_back(s);
  }
  removed_.push_back(gone_id);
  changed_.erase(gone_id);
  changed_.insert(keep.id);
}

void Inventory::Touch(model::ObservedDevice& d, std::int64_t time) {
  if (d.first_seen_unix_nanos == 0 || time < d.first_seen_unix_nanos)
    d.first_seen_unix_nanos = time;
  if (time > d.last_seen_unix_nanos) d.last_seen_unix_nanos = time;
  changed_.insert(d.id);
}

void Inventory::AddFact(model::ObservedDevice& d, const std::string& key,
                        const std::string& value) {
  auto& facts = d.facts;
  auto same = std::find_if(facts.begin(), facts.end(),
                           [&](const auto& f) { return f.first == key && f.second == value; });
  if (same != facts.end()) {
    std::rotate(facts.begin(), same, same + 1);  // Newest first.
    return;
  }
  std::size_t per_key = static_cast<std::size_t>(
      std::count_if(facts.begin(), facts.end(), [&](const auto& f) { return f.first == key; }));
  if (per_key >= limits_.max_values_per_key) {
    auto oldest =
        std::find_if(facts.rbegin(), facts.rend(), [&](const auto& f) { return f.first == key; });
    facts.erase(std::next(oldest).base());
  }
  facts.insert(facts.begin(), {key, value});
  if (facts.size() > limits_.max_facts) facts.resize(limits_.max_facts);
  changed_.insert(d.id);
}

void Inventory::AddName(model::ObservedDevice& d, const std::string& name) {
  if (name.empty() || std::find(d.names.begin(), d.names.end(), name) != d.names.end()) return;
  if (d.names.size() < limits_.max_names) d.names.push_back(name);
}

void Inventory::AddPeer(model::ObservedDevice& d, const IpAddress& peer) {
  PushFrontBounded(d.peers, peer, limits_.max_peers);
}

void Inventory::AddProtocol(std::vector<std::string>& list, const std::string& protocol) {
  if (protocol.empty() || std::find(list.begin(), list.end(), protocol) != list.end()) return;
  if (list.size() < limits_.max_protocols) list.push_back(protocol);
}

void Inventory::Observe(const model::Observation& o) {
  model::ObservedDevice* d = Resolve(o.subject, o.time_unix_nanos, &o.facts, true);
  if (d == nullptr) return;
  Touch(*d, o.time_unix_nanos);
  if (o.vlan != 0) d->vlan = o.vlan;
  if (o.protocol != "arp") AddProtocol(d->protocols, o.protocol);
  if (o.peer && o.peer->ip && UsableIp(*o.peer->ip)) AddPeer(*d, *o.peer->ip);
  for (const model::Fact& f : o.facts) {
    AddFact(*d, f.key, f.value);
    if (IsNameFact(f.key)) AddName(*d, f.value);
    if (f.key == "dhcp.client_id") by_client_id_[f.value] = d->id;
    if (f.key == "dhcp.hostname") by_hostname_[f.value] = d->id;
    if (f.key == "dns.answer") {
      // "name -> address": the name belongs to whichever device holds the address.
      std::size_t arrow = f.value.find(" -> ");
      if (arrow == std::string::npos) continue;
      auto ip = IpAddress::Parse(f.value.substr(arrow + 4));
      if (!ip) continue;
      auto owner = by_ip_.find(*ip);
      if (owner == by_ip_.end()) continue;
      auto named = devices_.find(owner->second);
      if (named == devices_.end()) continue;
      AddName(named->second, f.value.substr(0, arrow));
      changed_.insert(named->first);
    }
  }
}

void Inventory::Report(const model::Finding& f) {
  if (f.kind.rfind("cleartext_", 0) != 0) return;
  for (const model::Endpoint* e : {&f.subject, f.peer ? &*f.peer : nullptr}) {
    if (e == nullptr) continue;
    model::ObservedDevice* d = Resolve(*e, f.time_unix_nanos, nullptr, true);
    if (d == nullptr) continue;
    Touch(*d, f.time_unix_nanos);
    AddProtocol(d->cleartext_protocols, f.protocol);
  }
}

void Inventory::Record(const model::FlowRecord& r) {
  model::ObservedDevice* client = Resolve(r.client, r.end_unix_nanos, nullptr, true);
  model::ObservedDevice* server = Resolve(r.server, r.end_unix_nanos, nullptr, true);
  if (client != nullptr) {
    Touch(*client, r.end_unix_nanos);
    if (r.client_packets > 0 && r.start_unix_nanos < client->first_seen_unix_nanos) {
      client->first_seen_unix_nanos = r.start_unix_nanos;
    }
    if (r.server.ip) AddPeer(*client, *r.server.ip);
    AddProtocol(client->protocols, r.application);
  }
  if (server != nullptr && r.server_packets > 0) {
    Touch(*server, r.end_unix_nanos);
    if (r.client.ip) AddPeer(*server, *r.client.ip);
    AddProtocol(server->protocols, r.application);
    // It answered: a service it offers.
    auto s = std::find_if(server->services.begin(), server->services.end(), [&](const auto& x) {
      return x.ip_protocol == r.ip_protocol && x.port == r.server.port;
    });
    if (s != server->services.end()) {
      s->last_seen_unix_nanos = std::max(s->last_seen_unix_nanos, r.end_unix_nanos);
      if (s->application.empty()) s->application = r.application;
    } else if (server->services.size() < limits_.max_services && r.server.port != 0) {
      server->services.push_back({.ip_protocol = r.ip_protocol,
                                  .port = r.server.port,
                                  .application = r.application,
                                  .last_seen_unix_nanos = r.end_unix_nanos});
    }
  }
}

Inventory::Changes Inventory::TakeChanges() {
  Changes out;
  for (const std::string& id : changed_) {
    auto it = devices_.find(id);
    if (it == devices_.end()) continue;
    model::ObservedDevice& d = it->second;
    std::vector<std::pair<std::string, std::string>> facts = d.facts;
    for (const MacAddress& mac : d.macs) {
      if (auto owner = oui_.Lookup(mac)) facts.emplace_back("oui", std::string(*owner));
    }
    d.identity = Classify(facts, rules_);
    out.changed.push_back(d);
  }
  changed_.clear();
  out.removed = std::move(removed_);
  removed_.clear();
  return out;
}

const model::ObservedDevice* Inventory::Find(std::string_view id) const {
  auto it = devices_.find(id);
  return it == devices_.end() ? nullptr : &it->second;
}

const model::ObservedDevice* Inventory::FindEndpoint(const model::Endpoint& e) const {
  if (e.mac && !routers_.contains(*e.mac)) {
    if (auto it = by_mac_.find(*e.mac); it != by_mac_.end()) return Find(it->second);
  }
  if (e.ip) {
    if (auto it = by_ip_.find(*e.ip); it != by_ip_.end()) return Find(it->second);
  }
  return nullptr;
}

}  // namespace vigil::inventory
