#pragma once

// Argument checks, error messages and row keys shared by every InventoryRepo implementation
// (inventory_repo.h), so the SQLite tables and the in-memory fake refuse, search and order alike.
// Pure functions; thread-safe.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/net_address.h"
#include "core/result.h"
#include "model/inventory.h"
#include "store/inventory_repo.h"

namespace vigil::store {

// kInvalidArgument for an empty device id.
Status CheckObservedDevice(const model::ObservedDevice& device, std::string_view context);
// kInvalidArgument for a finding with an empty kind.
Status CheckFindings(std::span<const StoredFinding> findings, std::string_view context);
// kInvalidArgument for a bucket that is not a multiple of kFlowBucketNanos.
Status CheckFlows(std::span<const model::FlowAggregate> flows, std::string_view context);
// kInvalidArgument for a limit of 0 or above kMaxListLimit, or an inverted time window.
Status CheckDeviceFilter(const ObservedDeviceFilter& filter, std::string_view context);
Status CheckFindingFilter(const FindingFilter& filter, std::string_view context);
Status CheckFlowFilter(const FlowFilter& filter, std::string_view context);

tl::unexpected<Error> ObservedDeviceNotFound(std::string_view id);

// ASCII lowercase, as both stores compare names, manufacturers and search text.
std::string AsciiLower(std::string_view text);
// What `search` is matched against: the id, names, addresses, MACs, manufacturer and model,
// lowercased, separated by newlines (so a search never spans two of them).
std::string SearchText(const model::ObservedDevice& device);

// An address as a 17-byte key (family, then the 16 address bytes) whose byte order is
// IpAddress's order, so SQLite's BLOB ordering and std::map agree.
using IpKey = std::array<std::uint8_t, 17>;
IpKey KeyOf(const IpAddress& ip);
IpAddress IpOfKey(std::span<const std::uint8_t> key);  // A key of another size gives 0.0.0.0.

}  // namespace vigil::store
