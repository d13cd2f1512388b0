#pragma once

// InventoryService: the devices the passive sensor observed. It owns the one inventory::Inventory
// of the data directory (loaded from the store at start), merges the sensor's batches into it and
// commits what changed (devices, findings, 5-minute flow history) in one durable transaction; it
// answers the queries the REST layer and the CLI make, and compares the observed devices with the
// registered ones (store/device_repo.h).
//
// Identification uses the OUI registry from `oui_dir` (oui.csv, mam.csv, oui36.csv, iab.csv; a
// folder without them is logged once and identification goes on without it) and the built-in
// rules, preceded by `rules_file` if it exists (a parse error fails Create with the file, line
// and field). The rules are read by Create; the registry and the stored devices on the first
// ingest, so CLI commands that never ingest do not pay for them. Flows are kept per 5-minute
// bucket of each record's last packet; flow history older than `flow_retention_seconds` (wall
// clock) is deleted by Tick. If a commit fails, the next ingest reloads the inventory from the
// store first, so memory never runs ahead of what is stored for long.
//
// Which registered device an observed one is (docs/adr/0008-observed-inventory.md): a
// registered device has no MAC, so they match when one of the observed device's names or fact
// values equals, case-insensitively, the registered device's name or (non-empty) serial.
// Peers are aggregated from the flow history, not from the device's bounded `peers` list.
//
// Errors: kInvalidArgument (bad filter or batch), kNotFound (unknown observed device),
// kUnavailable (the store is busy or closing), store errors passed on.
//
// Thread safety: every member may be called from any thread; ingests are applied one at a time
// in the order they are called.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/result.h"
#include "inventory/inventory.h"
#include "inventory/oui_registry.h"
#include "inventory/rules.h"
#include "model/inventory.h"
#include "model/observation.h"
#include "store/device_repo.h"
#include "store/inventory_repo.h"
#include "store/store.h"

namespace vigil::server {

class Runtime;

struct InventoryOptions {
  std::filesystem::path oui_dir = "/usr/share/ieee-data";
  std::filesystem::path rules_file;  // Usually <data dir>/inventory-rules.toml; may not exist.
  std::int64_t flow_retention_seconds = std::int64_t{30} * 86400;
  inventory::InventoryLimits limits;

  // [inventory] of vigil.toml, with rules_file under the data directory.
  static InventoryOptions FromConfig(const config::Config& config);
};

// What a sensor hands over at once (a second of capture, or a thousand records).
struct SensorBatch {
  std::vector<model::Observation> observations;
  std::vector<model::Finding> findings;
  std::vector<model::FlowRecord> flows;
};

// A registered device the sensor has not seen lately.
struct RegisteredNotSeen {
  store::DeviceRecord device;
  std::string observed_id;  // The observed device it matches; empty if none.
  // The later of its last heartbeat and its observed device's last sighting; 0: never.
  std::int64_t last_seen_unix_nanos = 0;
};

// One address a device talked to, summed over a window of its flow history.
struct InventoryPeer {
  IpAddress ip;
  std::string device_id;              // The observed device with that address; empty if none.
  std::vector<std::string> services;  // Sorted, distinct: "tcp/2575 hl7", "udp/53", "icmp".
  std::uint64_t flows = 0;
  std::uint64_t bytes = 0;                  // Both directions.
  std::int64_t last_bucket_unix_nanos = 0;  // Start of the latest 5-minute bucket with traffic.
};

// "tcp/2575 hl7": protocol, "/port" unless 0, " application" unless empty.
std::string ServiceName(std::uint8_t ip_protocol, std::uint16_t port, std::string_view application);

struct InventoryComparison {
  std::vector<model::ObservedDevice> unregistered;  // Observed, matching no registered device.
  std::vector<RegisteredNotSeen> not_seen;          // Registered, not seen since the cut-off.
};

class InventoryService {
 public:
  static Result<std::unique_ptr<InventoryService>> Create(Runtime& runtime,
                                                          InventoryOptions options);
  ~InventoryService();

  // --- Sensors ----------------------------------------------------------------------------------
  // Merges the batch into the inventory and commits the devices that changed, the findings and
  // the flow history in one transaction (Durability::kFull); `done` runs after the commit (on
  // the store's writer thread) or at once with an error. `source` names the sensor. The merge
  // runs on the caller's thread (the first one also loads the stored devices); `done` must only
  // hand the answer over and never call this service.
  void IngestAsync(std::string source, SensorBatch batch, std::function<void(Status)> done);
  Status Ingest(std::string source, SensorBatch batch);  // Blocking form.
  // Waits until every accepted ingest has had its `done` called.
  void WaitForIngests();

  // --- Queries ----------------------------------------------------------------------------------
  Result<store::ObservedDevicePage> ListDevices(const store::ObservedDeviceFilter& filter) const;
  // The device with its identification and evidence.
  Result<model::ObservedDevice> GetDevice(std::string_view id) const;
  // Flow history of every address the device has, buckets with from <= start < to.
  Result<std::vector<model::FlowAggregate>> DeviceFlows(std::string_view id,
                                                        std::int64_t from_unix_nanos,
                                                        std::int64_t to_unix_nanos,
                                                        std::size_t limit) const;
  // Findings about the device (resolved to it, or naming one of its addresses), newest first.
  Result<std::vector<store::StoredFinding>> DeviceFindings(std::string_view id,
                                                           std::string_view kind,
                                                           std::int64_t from_unix_nanos,
                                                           std::int64_t to_unix_nanos,
                                                           std::size_t limit) const;
  Result<std::vector<store::StoredFinding>> Findings(const store::FindingFilter& filter) const;
  // Observed but not registered; registered but not seen for `not_seen_days` days.
  Result<InventoryComparison> Compare(int not_seen_days) const;

  // The registered device `device` is (the rule above); nullopt when none is. When several
  // match, the first by name, then id.
  Result<std::optional<store::DeviceRecord>> RegisteredMatch(
      const model::ObservedDevice& device) const;
  // The addresses the device exchanged traffic with in the flow history, buckets with
  // from <= start < to, by bytes descending (then address). Each peer names the observed device
  // that has its address (inventory_peers.cc).
  Result<std::vector<InventoryPeer>> DevicePeers(std::string_view id, std::int64_t from_unix_nanos,
                                                 std::int64_t to_unix_nanos) const;
  // The observed device with `address` among its addresses (the one that had it last, if it
  // moved); kNotFound if none has it.
  Result<std::string> DeviceIdAt(const IpAddress& address) const;

  // --- Upkeep (the server calls it every few seconds) ------------------------------------------
  // Deletes flow history past retention (at most once a minute).
  Status Tick();
  // Deletes flow history with buckets before `before`; returns how many rows went.
  Result<std::int64_t> ExpireFlows(std::int64_t before_unix_nanos);

  std::size_t oui_entries() const { return oui_.size(); }
  std::size_t rule_count() const { return rules_.rules().size(); }

 private:
  InventoryService(Runtime& runtime, InventoryOptions options);
  Status LoadRules();
  void LoadRegistry();
  // Loads the registry (once) and the stored devices into inventory_ unless it is loaded.
  Status EnsureLoaded();
  // Merges the batch into inventory_ (mu_ held) and returns the write that stores the changes.
  Result<store::WriteFn> Merge(const std::string& source, SensorBatch batch);

  Runtime& rt_;
  InventoryOptions options_;
  inventory::OuiRegistry oui_;
  inventory::RuleSet rules_;

  std::mutex mu_;  // Guards the members below and orders ingests.
  bool registry_loaded_ = false;
  std::unique_ptr<inventory::Inventory> inventory_;
  std::int64_t last_retention_unix_ = 0;
  std::atomic<bool> stale_{false};  // A commit failed: reload before the next merge.

  std::mutex ingest_mu_;
  std::condition_variable ingest_cv_;
  int ingests_in_flight_ = 0;  // Guarded by ingest_mu_.
};

}  // namespace vigil::server
