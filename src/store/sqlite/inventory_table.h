#pragma once

// InventoryTable: store::InventoryRepo over the inventory tables of one connection (schema in
// migrations.cc, version 4): observed_devices, sensor_findings and flow_history. Arguments are
// checked first with store/inventory_checks.h, which also gives the search text and the address
// keys, so the in-memory fake refuses, finds and orders alike. Calls that write several rows
// run in a savepoint of their own: a call that fails changes nothing.
// Thread safety: as its Database (one thread at a time).

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "store/inventory_repo.h"
#include "store/sqlite/database.h"

namespace vigil::store::sqlite {

class InventoryTable final : public InventoryRepo {
 public:
  explicit InventoryTable(Database& db) : db_(db) {}

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
  Database& db_;
};

}  // namespace vigil::store::sqlite
