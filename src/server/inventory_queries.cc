// InventoryService's queries: devices, their flows and findings, and the comparison of the
// registered devices with the observed ones (docs/adr/0008-observed-inventory.md).

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "server/inventory_service.h"
#include "server/runtime.h"
#include "store/inventory_checks.h"

namespace vigil::server {
namespace {

// Runs `fn` on the inventory reader of a read transaction and returns its result.
template <typename Fn>
auto ReadInventory(const store::Store& store, Fn fn)
    -> decltype(fn(std::declval<const store::InventoryReader&>())) {
  decltype(fn(std::declval<const store::InventoryReader&>())) result =
      MakeError(ErrorCode::kInternal, "inventory read did not run");
  const Status status = store.Read([&](store::ReadTransaction& tx) -> Status {
    result = fn(tx.inventory());
    return OkStatus();
  });
  if (!status) return tl::unexpected(status.error());
  return result;
}

// The names and fact values of an observed device that may name a registered one, lowercased.
std::set<std::string> MatchKeys(const model::ObservedDevice& device) {
  std::set<std::string> keys;
  for (const std::string& name : device.names) keys.insert(store::AsciiLower(name));
  for (const auto& [key, value] : device.facts) keys.insert(store::AsciiLower(value));
  keys.erase("");
  return keys;
}

}  // namespace

Result<store::ObservedDevicePage> InventoryService::ListDevices(
    const store::ObservedDeviceFilter& filter) const {
  return ReadInventory(rt_.store(), [&](const store::InventoryReader& repo) {
    return repo.ListObservedDevices(filter);
  });
}

Result<model::ObservedDevice> InventoryService::GetDevice(std::string_view id) const {
  return ReadInventory(
      rt_.store(), [&](const store::InventoryReader& repo) { return repo.GetObservedDevice(id); });
}

Result<std::vector<model::FlowAggregate>> InventoryService::DeviceFlows(
    std::string_view id, std::int64_t from_unix_nanos, std::int64_t to_unix_nanos,
    std::size_t limit) const {
  return ReadInventory(
      rt_.store(),
      [&](const store::InventoryReader& repo) -> Result<std::vector<model::FlowAggregate>> {
        auto device = repo.GetObservedDevice(id);
        if (!device) return tl::unexpected(std::move(device).error());
        using Key = std::tuple<std::int64_t, IpAddress, IpAddress, std::uint16_t, std::uint8_t,
                               std::string>;
        std::map<Key, model::FlowAggregate> merged;  // In the store's order, each row once.
        for (const model::ObservedAddress& address : device->addresses) {
          auto rows = repo.ListFlows({.address = address.ip,
                                      .from_unix_nanos = from_unix_nanos,
                                      .to_unix_nanos = to_unix_nanos,
                                      .limit = limit});
          if (!rows) return tl::unexpected(std::move(rows).error());
          for (model::FlowAggregate& row : *rows) {
            Key key{row.bucket_start_unix_nanos,
                    row.client,
                    row.server,
                    row.server_port,
                    row.ip_protocol,
                    row.application};
            merged.try_emplace(std::move(key), std::move(row));
          }
        }
        std::vector<model::FlowAggregate> out;
        for (auto& [key, row] : merged) {
          if (out.size() == limit) break;
          out.push_back(std::move(row));
        }
        return out;
      });
}

Result<std::vector<store::StoredFinding>> InventoryService::DeviceFindings(
    std::string_view id, std::string_view kind, std::int64_t from_unix_nanos,
    std::int64_t to_unix_nanos, std::size_t limit) const {
  return ReadInventory(
      rt_.store(),
      [&](const store::InventoryReader& repo) -> Result<std::vector<store::StoredFinding>> {
        auto device = repo.GetObservedDevice(id);
        if (!device) return tl::unexpected(std::move(device).error());
        store::FindingFilter filter{.device_id = std::string(id),
                                    .address = std::nullopt,
                                    .kind = std::string(kind),
                                    .from_unix_nanos = from_unix_nanos,
                                    .to_unix_nanos = to_unix_nanos,
                                    .limit = limit};
        std::map<std::int64_t, store::StoredFinding> merged;  // By seq, each finding once.
        auto add = [&](const store::FindingFilter& f) -> Status {
          auto rows = repo.ListFindings(f);
          if (!rows) return tl::unexpected(std::move(rows).error());
          for (store::StoredFinding& row : *rows) merged.try_emplace(row.seq, std::move(row));
          return OkStatus();
        };
        VIGIL_RETURN_IF_ERROR(add(filter));
        filter.device_id.clear();
        for (const model::ObservedAddress& address : device->addresses) {
          filter.address = address.ip;
          VIGIL_RETURN_IF_ERROR(add(filter));
        }
        std::vector<store::StoredFinding> out;
        for (auto& [seq, row] : merged) out.push_back(std::move(row));
        std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
          if (a.finding.time_unix_nanos != b.finding.time_unix_nanos) {
            return a.finding.time_unix_nanos > b.finding.time_unix_nanos;
          }
          return a.seq > b.seq;
        });
        if (out.size() > limit) out.resize(limit);
        return out;
      });
}

Result<std::vector<store::StoredFinding>> InventoryService::Findings(
    const store::FindingFilter& filter) const {
  return ReadInventory(
      rt_.store(), [&](const store::InventoryReader& repo) { return repo.ListFindings(filter); });
}

Result<std::optional<store::DeviceRecord>> InventoryService::RegisteredMatch(
    const model::ObservedDevice& device) const {
  const std::set<std::string> keys = MatchKeys(device);
  std::optional<store::DeviceRecord> match;
  if (keys.empty()) return match;
  VIGIL_RETURN_IF_ERROR(rt_.store().Read([&](store::ReadTransaction& tx) -> Status {
    auto devices = tx.devices().ListDevices();  // By name, then id: the first match wins.
    if (!devices) return tl::unexpected(std::move(devices).error());
    for (store::DeviceRecord& record : *devices) {
      if (keys.contains(store::AsciiLower(record.name)) ||
          (!record.serial.empty() && keys.contains(store::AsciiLower(record.serial)))) {
        match = std::move(record);
        break;
      }
    }
    return OkStatus();
  }));
  return match;
}

Result<InventoryComparison> InventoryService::Compare(int not_seen_days) const {
  if (not_seen_days < 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "inventory compare: days " + std::to_string(not_seen_days) + " is negative");
  }
  std::vector<store::DeviceRecord> registered;
  std::vector<model::ObservedDevice> observed;
  VIGIL_RETURN_IF_ERROR(rt_.store().Read([&](store::ReadTransaction& tx) -> Status {
    auto devices = tx.devices().ListDevices();
    if (!devices) return tl::unexpected(std::move(devices).error());
    auto all = tx.inventory().AllObservedDevices();
    if (!all) return tl::unexpected(std::move(all).error());
    registered = std::move(*devices);
    observed = std::move(*all);
    return OkStatus();
  }));

  std::multimap<std::string, std::size_t> by_key;  // Lowercased name or serial -> registered.
  for (std::size_t i = 0; i < registered.size(); ++i) {
    by_key.emplace(store::AsciiLower(registered[i].name), i);
    if (!registered[i].serial.empty()) by_key.emplace(store::AsciiLower(registered[i].serial), i);
  }
  // Per registered device, its most recently seen observed device.
  std::vector<const model::ObservedDevice*> best(registered.size(), nullptr);
  InventoryComparison out;
  for (const model::ObservedDevice& device : observed) {
    std::set<std::size_t> matches;
    for (const std::string& key : MatchKeys(device)) {
      auto [first, last] = by_key.equal_range(key);
      for (auto it = first; it != last; ++it) matches.insert(it->second);
    }
    if (matches.empty()) out.unregistered.push_back(device);
    for (std::size_t i : matches) {
      if (best[i] == nullptr || best[i]->last_seen_unix_nanos < device.last_seen_unix_nanos) {
        best[i] = &device;
      }
    }
  }
  const std::int64_t cutoff =
      rt_.clock().NowUnixNanos() - std::int64_t{not_seen_days} * 86400 * 1'000'000'000;
  for (std::size_t i = 0; i < registered.size(); ++i) {
    RegisteredNotSeen entry{.device = std::move(registered[i]),
                            .observed_id = best[i] != nullptr ? best[i]->id : std::string(),
                            .last_seen_unix_nanos = 0};
    entry.last_seen_unix_nanos = std::max(entry.device.last_seen_unix_nanos,
                                          best[i] != nullptr ? best[i]->last_seen_unix_nanos : 0);
    if (entry.last_seen_unix_nanos < cutoff) out.not_seen.push_back(std::move(entry));
  }
  std::sort(out.unregistered.begin(), out.unregistered.end(), [](const auto& a, const auto& b) {
    if (a.last_seen_unix_nanos != b.last_seen_unix_nanos) {
      return a.last_seen_unix_nanos > b.last_seen_unix_nanos;
    }
    return a.id < b.id;
  });
  return out;
}

}  // namespace vigil::server
