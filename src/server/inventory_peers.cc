// InventoryService's peers: who a device talked to, summed from the flow history (every row of
// the window, read a page at a time), and which observed device owns an address.

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "server/inventory_service.h"
#include "server/runtime.h"

namespace vigil::server {
namespace {

using RowKey =
    std::tuple<std::int64_t, IpAddress, IpAddress, std::uint16_t, std::uint8_t, std::string>;

// Calls `fn` on every flow row of `address` with from <= bucket < to. The store answers at most
// kMaxListLimit rows a call, ascending by bucket, so each page but the last stops short of its
// last bucket and the next page starts there. A single bucket fuller than a page (ten thousand
// conversations of one address in five minutes) is taken as far as the page goes.
template <typename Fn>
Status ForEachFlow(const store::InventoryReader& repo, const IpAddress& address,
                   std::int64_t from_unix_nanos, std::int64_t to_unix_nanos, Fn fn) {
  std::int64_t start = from_unix_nanos;
  while (start < to_unix_nanos) {
    auto rows = repo.ListFlows({.address = address,
                                .from_unix_nanos = start,
                                .to_unix_nanos = to_unix_nanos,
                                .limit = store::kMaxListLimit});
    if (!rows) return tl::unexpected(std::move(rows).error());
    if (rows->size() < store::kMaxListLimit) {
      for (const model::FlowAggregate& row : *rows) fn(row);
      return OkStatus();
    }
    const std::int64_t last = rows->back().bucket_start_unix_nanos;
    if (rows->front().bucket_start_unix_nanos == last) {
      for (const model::FlowAggregate& row : *rows) fn(row);
      if (last > std::numeric_limits<std::int64_t>::max() - store::kFlowBucketNanos) break;
      start = last + store::kFlowBucketNanos;
      continue;
    }
    for (const model::FlowAggregate& row : *rows) {
      if (row.bucket_start_unix_nanos < last) fn(row);
    }
    start = last;
  }
  return OkStatus();
}

// The device among `page` that has `address`, the one that saw it last; empty if none.
std::string Owner(const std::vector<model::ObservedDevice>& page, const IpAddress& address) {
  std::string owner;
  std::int64_t latest = std::numeric_limits<std::int64_t>::min();
  for (const model::ObservedDevice& device : page) {
    for (const model::ObservedAddress& a : device.addresses) {
      if (a.ip == address && a.last_seen_unix_nanos > latest) {
        latest = a.last_seen_unix_nanos;
        owner = device.id;
      }
    }
  }
  return owner;
}

// Owner() over the devices whose search text contains the address (a superset: "10.1.2.3"
// is also in "10.1.2.30").
Result<std::string> OwnerOf(const store::InventoryReader& repo, const IpAddress& address) {
  auto page = repo.ListObservedDevices({.device_type = {},
                                        .manufacturer = {},
                                        .last_seen_after_unix_nanos = std::nullopt,
                                        .last_seen_before_unix_nanos = std::nullopt,
                                        .search = address.ToString(),
                                        .offset = 0,
                                        .limit = store::kMaxListLimit});
  if (!page) return tl::unexpected(std::move(page).error());
  return Owner(page->devices, address);
}

}  // namespace

std::string ServiceName(std::uint8_t ip_protocol, std::uint16_t port,
                        std::string_view application) {
  std::string name = model::IpProtocolName(ip_protocol);
  if (port != 0) name += "/" + std::to_string(port);
  if (!application.empty()) name += " " + std::string(application);
  return name;
}

Result<std::vector<InventoryPeer>> InventoryService::DevicePeers(std::string_view id,
                                                                 std::int64_t from_unix_nanos,
                                                                 std::int64_t to_unix_nanos) const {
  if (to_unix_nanos < from_unix_nanos) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "inventory peers: the window ends before it starts");
  }
  std::vector<InventoryPeer> peers;
  VIGIL_RETURN_IF_ERROR(rt_.store().Read([&](store::ReadTransaction& tx) -> Status {
    const store::InventoryReader& repo = tx.inventory();
    auto device = repo.GetObservedDevice(id);
    if (!device) return tl::unexpected(std::move(device).error());
    std::set<IpAddress> own;
    for (const model::ObservedAddress& a : device->addresses) own.insert(a.ip);
    std::set<RowKey> seen;  // A row between two of the device's addresses counts once.
    std::map<IpAddress, InventoryPeer> by_ip;
    std::map<IpAddress, std::set<std::string>> services;
    auto add = [&](const model::FlowAggregate& row) {
      if (!seen.emplace(row.bucket_start_unix_nanos, row.client, row.server, row.server_port,
                        row.ip_protocol, row.application)
               .second) {
        return;
      }
      const IpAddress& other = own.contains(row.client) ? row.server : row.client;
      InventoryPeer& peer = by_ip.try_emplace(other, InventoryPeer{.ip = other}).first->second;
      peer.flows += row.flows;
      peer.bytes += row.bytes;
      peer.last_bucket_unix_nanos =
          std::max(peer.last_bucket_unix_nanos, row.bucket_start_unix_nanos);
      services[other].insert(ServiceName(row.ip_protocol, row.server_port, row.application));
    };
    for (const IpAddress& address : own) {
      VIGIL_RETURN_IF_ERROR(ForEachFlow(repo, address, from_unix_nanos, to_unix_nanos, add));
    }
    for (auto& [ip, peer] : by_ip) {
      auto owner = OwnerOf(repo, ip);
      if (!owner) return tl::unexpected(std::move(owner).error());
      peer.device_id = std::move(*owner);
      const std::set<std::string>& names = services[ip];
      peer.services.assign(names.begin(), names.end());
      peers.push_back(std::move(peer));
    }
    return OkStatus();
  }));
  std::stable_sort(peers.begin(), peers.end(), [](const InventoryPeer& a, const InventoryPeer& b) {
    return a.bytes > b.bytes;
  });
  return peers;
}

Result<std::string> InventoryService::DeviceIdAt(const IpAddress& address) const {
  std::string owner;
  VIGIL_RETURN_IF_ERROR(rt_.store().Read([&](store::ReadTransaction& tx) -> Status {
    auto found = OwnerOf(tx.inventory(), address);
    if (!found) return tl::unexpected(std::move(found).error());
    owner = std::move(*found);
    return OkStatus();
  }));
  if (owner.empty()) {
    return MakeError(ErrorCode::kNotFound,
                     "inventory: no observed device has address " + address.ToString());
  }
  return owner;
}

}  // namespace vigil::server
