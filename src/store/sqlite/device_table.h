#pragma once

// DeviceTable: store::DeviceRepo over the device tables of one connection (schema in
// migrations.cc, version 3): devices, enrollment_tokens, device_certificates and device_events
// in device_table.cc; device_metrics and the telemetry tables in telemetry_table.cc (reads and
// appends) and telemetry_compaction.cc (CompactTelemetry, ExpireTelemetry).
// Arguments are checked first with store/device_checks.h, and compaction, roll-ups and merges
// use store/telemetry_series.h, so the in-memory fake refuses and answers alike. Calls that
// write several rows run in a savepoint of their own: a call that fails changes nothing.
// Thread safety: as its Database (one thread at a time).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/device_repo.h"
#include "store/sqlite/database.h"

namespace vigil::store::sqlite {

class DeviceTable final : public DeviceRepo {
 public:
  explicit DeviceTable(Database& db) : db_(db) {}

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
  // kNotFound naming the device unless a device with `id` exists (kInvalidArgument if empty).
  Status NeedDevice(std::string_view id, std::string_view context) const;
  // The series of the device's metric, nothing if the device never reported it.
  Result<std::optional<std::int64_t>> FindSeries(std::string_view device_id,
                                                 std::string_view metric,
                                                 std::string_view context) const;
  // telemetry_compaction.cc: merges one series' sorted samples into its blocks and roll-ups.
  Status CompactSeries(std::int64_t series, std::span<const TelemetrySample> sorted,
                       std::string_view context);
  // Deletes or trims the blocks holding samples older than `raw_before`; returns how many
  // samples went.
  Result<std::int64_t> ExpireBlocks(std::int64_t raw_before, std::string_view context);

  Database& db_;
};

}  // namespace vigil::store::sqlite
