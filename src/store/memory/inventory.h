#pragma once

// The in-memory fake's InventoryRepo (store/inventory_repo.h): the observed devices, findings
// and flow rows of one MemoryStore state, and the repository over them. It refuses, searches and
// orders as the SQLite tables do (store/inventory_checks.h).
//
// Thread safety: as MemoryStore's states: an InventoryState is changed only by the one Write()
// that owns its copy, and read by any number of Read()s once published.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "store/inventory_checks.h"
#include "store/inventory_repo.h"

namespace vigil::store::memory {

// (bucket, client, server, server port, IP protocol, application): the flow rows' key and order.
using FlowKey = std::tuple<std::int64_t, IpKey, IpKey, std::uint16_t, std::uint8_t, std::string>;

struct InventoryState {
  // Shared between states: a write copies pointers and replaces the devices it changes.
  std::map<std::string, std::shared_ptr<const model::ObservedDevice>, std::less<>> devices;
  std::vector<std::shared_ptr<const StoredFinding>> findings;  // Ascending by seq.
  std::int64_t next_finding_seq = 1;
  std::map<FlowKey, model::FlowAggregate> flows;
};

class Inventory final : public InventoryRepo {
 public:
  Inventory(const InventoryState& state, InventoryState* mut) : state_(state), mut_(mut) {}

  Result<model::ObservedDevice> GetObservedDevice(std::string_view id) const override;
  Result<ObservedDevicePage> ListObservedDevices(const ObservedDeviceFilter& filter) const override;
  Result<std::vector<model::ObservedDevice>> AllObservedDevices() const override;
  Result<std::vector<StoredFinding>> ListFindings(const FindingFilter& filter) const override;
  Result<std::vector<model::FlowAggregate>> ListFlows(const FlowFilter& filter) const override;

  Status UpsertObservedDevice(const model::ObservedDevice& device) override;
  Status DeleteObservedDevice(std::string_view id) override;
  Result<std::vector<std::int64_t>> AddFindings(std::span<const StoredFinding> findings) override;
  Status AddFlows(std::span<const model::FlowAggregate> flows) override;
  Result<std::int64_t> DeleteFlowsBefore(std::int64_t before_unix_nanos) override;

 private:
  const InventoryState& state_;
  InventoryState* mut_;
};

}  // namespace vigil::store::memory
