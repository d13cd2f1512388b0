#pragma once

// The observed inventory kept in the store: devices the passive sensor saw
// (model::ObservedDevice, as inventory/ merged and identified them), the sensor's findings, and
// flow history in 5-minute buckets (model::FlowAggregate). Which device a record is about and
// what it is are inventory/'s rules; these repositories only keep rows.
//
// Devices are replaced whole (upsert by id). Lists of devices are ordered by last seen,
// newest first, then id; a filter's conditions all apply; `search` is a case-insensitive
// substring of the id, a name, an address, a MAC ("00:1b:2c:3d:4e:5f"), the manufacturer or
// the model. Flow rows are keyed by (bucket, client, server, server port, IP protocol,
// application); adding a row with an existing key adds its counters to the stored row.
//
// Errors: kNotFound for an unknown device id (GetObservedDevice, DeleteObservedDevice);
// kInvalidArgument for an empty device id, a finding without kind, a flow bucket that is not a
// multiple of kFlowBucketNanos, a limit of 0 or above kMaxListLimit, or a time window whose end
// is before its start. A call that fails changes nothing. Argument checks are shared by the
// implementations (inventory_checks.h).
//
// Thread safety: as the Transaction or ReadTransaction they come from.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/net_address.h"
#include "core/result.h"
#include "model/inventory.h"
#include "model/observation.h"

namespace vigil::store {

inline constexpr std::int64_t kFlowBucketNanos = std::int64_t{300} * 1'000'000'000;
inline constexpr std::size_t kMaxListLimit = 10'000;

struct ObservedDeviceFilter {
  std::string device_type;   // Identified type name (model/device_type.h); empty: any.
  std::string manufacturer;  // Identified manufacturer, case-insensitive equal; empty: any.
  std::optional<std::int64_t> last_seen_after_unix_nanos;   // last_seen >= this.
  std::optional<std::int64_t> last_seen_before_unix_nanos;  // last_seen < this.
  std::string search;  // Case-insensitive substring (see above); empty: any.
  std::size_t offset = 0;
  std::size_t limit = 100;  // 1..kMaxListLimit.
};

struct ObservedDevicePage {
  std::vector<model::ObservedDevice> devices;
  std::int64_t total = 0;  // Devices matching the filter, ignoring offset and limit.
};

struct StoredFinding {
  std::int64_t seq = 0;   // Assigned by the store, ascending per store.
  std::string device_id;  // The observed device the subject resolved to; empty if none.
  std::string source;     // The sensor that reported it ("pcap:ward3.pcap", a sensor's name).
  model::Finding finding;
  friend bool operator==(const StoredFinding&, const StoredFinding&) = default;
};

struct FindingFilter {
  std::string device_id;             // Empty: any device.
  std::optional<IpAddress> address;  // Subject or peer IP; unset: any.
  std::string kind;                  // Empty: any.
  std::int64_t from_unix_nanos = std::numeric_limits<std::int64_t>::min();  // time >= from
  std::int64_t to_unix_nanos = std::numeric_limits<std::int64_t>::max();    // time < to
  std::size_t limit = 100;                                                  // 1..kMaxListLimit.
};

struct FlowFilter {
  std::optional<IpAddress> address;  // Client or server; unset: any.
  std::int64_t from_unix_nanos = std::numeric_limits<std::int64_t>::min();  // bucket >= from
  std::int64_t to_unix_nanos = std::numeric_limits<std::int64_t>::max();    // bucket < to
  std::size_t limit = 1000;                                                 // 1..kMaxListLimit.
};

class InventoryReader {
 public:
  virtual ~InventoryReader() = default;
  virtual Result<model::ObservedDevice> GetObservedDevice(std::string_view id) const = 0;
  virtual Result<ObservedDevicePage> ListObservedDevices(
      const ObservedDeviceFilter& filter) const = 0;
  // Every observed device, ascending by id (the inventory loads them at start).
  virtual Result<std::vector<model::ObservedDevice>> AllObservedDevices() const = 0;
  // Newest first (time descending, then seq descending), at most `limit`.
  virtual Result<std::vector<StoredFinding>> ListFindings(const FindingFilter& filter) const = 0;
  // Ascending by bucket, then client, server, port, IP protocol, application; at most `limit`.
  virtual Result<std::vector<model::FlowAggregate>> ListFlows(const FlowFilter& filter) const = 0;
};

class InventoryRepo : public virtual InventoryReader {
 public:
  // Inserts the device or replaces the one with its id.
  virtual Status UpsertObservedDevice(const model::ObservedDevice& device) = 0;
  virtual Status DeleteObservedDevice(std::string_view id) = 0;
  // Appends findings (their seq is ignored); returns the seq of each, in order.
  virtual Result<std::vector<std::int64_t>> AddFindings(
      std::span<const StoredFinding> findings) = 0;
  // Adds each row, or its counters to the stored row with the same key.
  virtual Status AddFlows(std::span<const model::FlowAggregate> flows) = 0;
  // Deletes flow rows whose bucket starts before `before`; returns how many.
  virtual Result<std::int64_t> DeleteFlowsBefore(std::int64_t before_unix_nanos) = 0;
};

}  // namespace vigil::store
