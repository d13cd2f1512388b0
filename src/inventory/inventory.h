#pragma once

// Inventory: merges the sensor's observations, findings and flow records into observed devices
// (model/inventory.h) and identifies them (classifier.h).
//
// Which device a record is about: its MAC first (a randomised, locally administered MAC joins
// the device that showed the same DHCP client id or host name before); else its IP address,
// through the addresses devices were last seen with (ARP, DHCP, any record with both). A device
// first known only by address ("ip-10.1.2.3") is merged into the MAC's device when the pair is
// seen. A MAC seen with more than `router_addresses` addresses is a router's: traffic it
// forwards keeps its own addresses and does not become the router's. Devices are created only
// for addresses in `local_networks` or behind a MAC; other addresses are only peers.
//
// Time comes from the records. Memory is bounded by InventoryLimits. Not thread-safe.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/net_address.h"
#include "inventory/oui_registry.h"
#include "inventory/rules.h"
#include "model/inventory.h"
#include "model/observation.h"

namespace vigil::inventory {

struct InventoryLimits {
  std::size_t max_devices = 500'000;
  std::size_t max_addresses = 8;  // Per device, most recent kept.
  std::size_t max_names = 16;
  std::size_t max_services = 64;
  std::size_t max_peers = 64;
  std::size_t max_protocols = 32;
  std::size_t max_facts = 128;
  std::size_t max_values_per_key = 8;
  std::size_t router_addresses = 8;
  // Where devices live; defaults to RFC 1918, RFC 6598, link-local and unique-local ranges.
  std::vector<Cidr> local_networks;
};

class Inventory {
 public:
  Inventory(const OuiRegistry& oui, const RuleSet& rules, InventoryLimits limits = {});

  // Devices known from before (the store), so identities and merges carry on.
  void Load(std::vector<model::ObservedDevice> devices);

  void Observe(const model::Observation& observation);
  void Report(const model::Finding& finding);
  void Record(const model::FlowRecord& flow);

  struct Changes {
    std::vector<model::ObservedDevice> changed;  // Identified again, ready to store.
    std::vector<std::string> removed;            // Merged into another device.
  };
  // What changed since the last call.
  Changes TakeChanges();

  const model::ObservedDevice* Find(std::string_view id) const;
  // The device an endpoint belongs to, as records about it would resolve now (its MAC unless
  // a router's, else its address), without creating or changing anything; null if none.
  const model::ObservedDevice* FindEndpoint(const model::Endpoint& endpoint) const;
  std::size_t size() const { return devices_.size(); }
  // Devices not created for want of room (max_devices).
  std::uint64_t dropped() const { return dropped_; }

 private:
  model::ObservedDevice* Resolve(const model::Endpoint& endpoint, std::int64_t time,
                                 const std::vector<model::Fact>* facts, bool may_create);
  model::ObservedDevice* ByMac(const MacAddress& mac, std::int64_t time,
                               const std::vector<model::Fact>* facts);
  model::ObservedDevice* Create(std::string id, std::int64_t time);
  void Bind(model::ObservedDevice& device, const IpAddress& ip, std::int64_t time);
  void MergeInto(model::ObservedDevice& keep, const std::string& gone_id);
  void Touch(model::ObservedDevice& device, std::int64_t time);
  void AddFact(model::ObservedDevice& device, const std::string& key, const std::string& value);
  void AddName(model::ObservedDevice& device, const std::string& name);
  void AddPeer(model::ObservedDevice& device, const IpAddress& peer);
  void AddProtocol(std::vector<std::string>& list, const std::string& protocol);
  bool IsLocal(const IpAddress& ip) const;

  const OuiRegistry& oui_;
  const RuleSet& rules_;
  InventoryLimits limits_;
  std::map<std::string, model::ObservedDevice, std::less<>> devices_;
  std::map<MacAddress, std::string> by_mac_;
  std::map<IpAddress, std::string> by_ip_;
  std::map<std::string, std::string, std::less<>> by_client_id_;  // DHCP client id -> device.
  std::map<std::string, std::string, std::less<>> by_hostname_;   // DHCP host name -> device.
  std::map<MacAddress, std::set<IpAddress>> mac_addresses_;       // Until a MAC is a router's.
  std::set<MacAddress> routers_;
  std::set<std::string> changed_;
  std::vector<std::string> removed_;
  std::uint64_t dropped_ = 0;
};

}  // namespace vigil::inventory
