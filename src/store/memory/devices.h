#pragma once

// The in-memory fake's DeviceRepo (store/device_repo.h): the device rows of one MemoryStore
// state, and the repository over them. It refuses and answers as the SQLite tables do: the same
// checks (store/device_checks.h), the same compaction and roll-up arithmetic
// (store/telemetry_series.h) and really encoded blocks (store/telemetry_block.h), so
// TelemetryStatistics() counts the same bytes.
//
// Thread safety: as MemoryStore's states: a DeviceState is changed only by the one Write() that
// owns its copy, and read by any number of Read()s once published.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "store/device_repo.h"

namespace vigil::store::memory {

struct TelemetryBlockRow {
  std::int64_t count = 0;
  std::vector<std::uint8_t> data;  // EncodeBlock() of the hour's sorted samples.
};

// One device's metric: what DeviceMetrics() lists and its samples.
struct SeriesRows {
  MetricInfo info;
  std::vector<TelemetrySample> recent;               // Arrival order.
  std::map<std::int64_t, TelemetryBlockRow> blocks;  // By hour start.
  std::map<std::int64_t, TelemetryRollup> rollups;   // By window start.
};

struct DeviceState {
  std::map<std::string, DeviceRecord, std::less<>> devices;  // By id.
  std::map<std::vector<std::uint8_t>, EnrollmentTokenRecord> tokens;
  std::map<std::string, DeviceCertificateRecord, std::less<>> certificates;  // By serial.
  // Immutable once appended and shared between states, like the audit rows.
  std::vector<std::shared_ptr<const StoredDeviceEvent>> events;  // Ascending by seq.
  std::int64_t next_event_seq = 1;
  // By device id, then metric name. Copy on write: a write copies only the series it changes.
  std::map<std::string, std::map<std::string, std::shared_ptr<const SeriesRows>, std::less<>>,
           std::less<>>
      series;
};

// Reads `state` and, in a write transaction, changes it through `mut` (the same object); `mut`
// is null in a read transaction.
class Devices final : public DeviceRepo {
 public:
  Devices(const DeviceState& state, DeviceState* mut) : state_(state), mut_(mut) {}

  Result<DeviceRecord> GetDevice(std::string_view id) const override;
  Result<std::vector<DeviceRecord>> ListDevices() const override;
  Result<EnrollmentTokenRecord> FindEnrollmentToken(
      std::span<const std::uint8_t> token_hash) const override;
  Result<DeviceCertificateRecord> GetCertificate(std::string_view serial) const override;
  Result<std::vector<DeviceCertificateRecord>> DeviceCertificates(
      std::string_view device_id) const override;
  Result<std::vector<DeviceCertificateRecord>> RevokedCertificates() const override;
  Result<std::vector<StoredDeviceEvent>> DeviceEvents(std::string_view device_id,
                                                      std::int64_t after_seq,
                                                      std::size_t limit) const override;
  Result<std::int64_t> CountEvents() const override;
  Result<std::vector<MetricInfo>> DeviceMetrics(std::string_view device_id) const override;
  Result<std::vector<TelemetrySample>> Telemetry(std::string_view device_id,
                                                 std::string_view metric,
                                                 std::int64_t from_unix_nanos,
                                                 std::int64_t to_unix_nanos) const override;
  Result<std::vector<TelemetryRollup>> TelemetryRollups(std::string_view device_id,
                                                        std::string_view metric,
                                                        std::int64_t from_unix_nanos,
                                                        std::int64_t to_unix_nanos) const override;
  Result<TelemetryStats> TelemetryStatistics() const override;

  Status AddDevice(const DeviceRecord& device) override;
  Status UpdateDevice(const DeviceRecord& device) override;
  Status RecordHeartbeat(std::string_view device_id, const model::Heartbeat& heartbeat,
                         std::int64_t received_unix_nanos) override;
  Status AddEnrollmentToken(const EnrollmentTokenRecord& token) override;
  Status UseEnrollmentToken(std::span<const std::uint8_t> token_hash,
                            std::int64_t now_unix) override;
  Status AddCertificate(const DeviceCertificateRecord& certificate) override;
  Status RevokeCertificate(std::string_view serial, std::int64_t now_unix,
                           std::string_view reason) override;
  Result<std::vector<std::int64_t>> AppendEvents(std::string_view device_id,
                                                 std::span<const model::DeviceEvent> events,
                                                 std::int64_t received_unix_nanos,
                                                 bool flagged) override;
  Status AppendTelemetry(std::string_view device_id,
                         std::span<const model::MetricPoint> points) override;
  Result<std::int64_t> CompactTelemetry(std::int64_t before_unix_nanos) override;
  Result<std::int64_t> ExpireTelemetry(std::int64_t raw_before_unix_nanos,
                                       std::int64_t rollup_before_unix_nanos) override;

 private:
  Status NeedDevice(std::string_view id, std::string_view context) const;
  // The series of a known device's metric, or null.
  const SeriesRows* FindSeries(std::string_view device_id, std::string_view metric) const;

  const DeviceState& state_;
  DeviceState* mut_;
};

}  // namespace vigil::store::memory
