#pragma once

// Devices kept in the store: the device records operators create, the one-time enrolment tokens
// bound to them, the certificates Vigil's CA issued them, their latest heartbeat, the events
// they send and their telemetry. The rules (who may enrol, when a certificate is valid, what a
// heartbeat means) live in pki/ and server/device_service.h; these repositories only keep rows.
//
// Telemetry is kept compactly: points arrive in a "recent" area (one row per point, so a 2xx
// can be committed at once), and CompactTelemetry moves closed windows into encoded blocks per
// device, metric and hour (store/telemetry_block.h) plus 5-minute roll-ups; reads merge both.
// The CA's own keys and certificates are sealed secrets ("pki/..."), not rows here.
//
// Errors: kNotFound for an unknown device id, token hash or certificate serial (every call that
// names a device, reads included; a metric the device never reported is empty, not an error);
// kAlreadyExists for a duplicate device id, token hash or certificate serial; kInvalidArgument
// for an empty id, name, metric name, token hash or serial, and for a time <= 0 where 0 means
// "not yet" (UseEnrollmentToken, RevokeCertificate); a token or certificate whose device does
// not exist is kNotFound; kDataLoss for a stored block that does not decode. A call that fails
// changes nothing. Argument checks are shared by the implementations (device_checks.h).
//
// Telemetry values and times are kept exactly (NaN payloads, infinities, -0.0, any int64 time);
// the window arithmetic and roll-up rules are store/telemetry_series.h's.
//
// Thread safety: as the Transaction or ReadTransaction they come from.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "model/device_report.h"

namespace vigil::store {

struct DeviceRecord {
  std::string id;    // 32 hex digits (vigil::Id).
  std::string name;  // Operator's label ("ICU-3 pump 12"); not unique.
  std::string type;  // model::DeviceType name ("infusion_pump").
  std::string manufacturer;
  std::string model;
  std::string firmware;      // As the operator recorded it.
  std::string criticality;   // model::Criticality name ("life_sustaining").
  std::string serial;        // May be empty.
  std::string location;      // May be empty.
  bool quarantined = false;  // In the quarantine zone: it may report, each request is flagged.
  std::int64_t created_unix = 0;
  // The latest heartbeat (zeros and empty strings before the first).
  std::int64_t last_seen_unix_nanos = 0;  // When the gateway received it.
  model::Heartbeat last_heartbeat;
  friend bool operator==(const DeviceRecord&, const DeviceRecord&) = default;
};

struct EnrollmentTokenRecord {
  std::vector<std::uint8_t> token_hash;  // SHA-256 of the token text; unique.
  std::string device_id;
  std::string created_by;  // User id of the operator.
  std::int64_t created_unix = 0;
  std::int64_t expires_unix = 0;
  std::int64_t used_unix = 0;  // 0: unused.
  friend bool operator==(const EnrollmentTokenRecord&, const EnrollmentTokenRecord&) = default;
};

struct DeviceCertificateRecord {
  std::string serial;  // Lowercase hex of the certificate's serial number; unique.
  std::string device_id;
  std::string fingerprint_sha256;  // Lowercase hex of SHA-256 over the DER.
  std::string pem;                 // The leaf certificate.
  std::int64_t not_before_unix = 0;
  std::int64_t not_after_unix = 0;
  std::int64_t issued_unix = 0;
  std::int64_t revoked_unix = 0;  // 0: not revoked.
  std::string revocation_reason;  // RFC 5280 reason name ("key_compromise", "superseded"...).
  friend bool operator==(const DeviceCertificateRecord&, const DeviceCertificateRecord&) = default;
};

struct StoredDeviceEvent {
  std::int64_t seq = 0;  // Assigned by the store, ascending per store.
  std::string device_id;
  std::int64_t received_unix_nanos = 0;
  bool flagged = false;  // Sent while the device was quarantined.
  model::DeviceEvent event;
  friend bool operator==(const StoredDeviceEvent&, const StoredDeviceEvent&) = default;
};

struct MetricInfo {
  std::string name;
  std::string unit;  // The latest unit reported.
  std::int64_t first_unix_nanos = 0;
  std::int64_t last_unix_nanos = 0;
  friend bool operator==(const MetricInfo&, const MetricInfo&) = default;
};

struct TelemetrySample {
  std::int64_t time_unix_nanos = 0;
  double value = 0;
  friend bool operator==(const TelemetrySample&, const TelemetrySample&) = default;
};

struct TelemetryRollup {
  std::int64_t start_unix_nanos = 0;  // The 5-minute window's start.
  std::int64_t count = 0;
  double min = 0;
  double max = 0;
  double sum = 0;
  friend bool operator==(const TelemetryRollup&, const TelemetryRollup&) = default;
};

struct TelemetryStats {
  std::int64_t recent_points = 0;  // Rows not compacted yet.
  std::int64_t block_points = 0;   // Points inside encoded blocks.
  std::int64_t blocks = 0;
  std::int64_t block_bytes = 0;  // Encoded bytes in blocks.
  std::int64_t rollups = 0;
};

class DeviceReader {
 public:
  virtual ~DeviceReader() = default;
  virtual Result<DeviceRecord> GetDevice(std::string_view id) const = 0;
  // Ascending by name, then id.
  virtual Result<std::vector<DeviceRecord>> ListDevices() const = 0;
  virtual Result<EnrollmentTokenRecord> FindEnrollmentToken(
      std::span<const std::uint8_t> token_hash) const = 0;
  virtual Result<DeviceCertificateRecord> GetCertificate(std::string_view serial) const = 0;
  // The device's certificates, newest issue first (equal issue times by serial).
  virtual Result<std::vector<DeviceCertificateRecord>> DeviceCertificates(
      std::string_view device_id) const = 0;
  // Every revoked certificate, ascending by revocation time then serial (for the CRL).
  virtual Result<std::vector<DeviceCertificateRecord>> RevokedCertificates() const = 0;
  // The device's events with seq > after_seq, ascending, at most `limit`.
  virtual Result<std::vector<StoredDeviceEvent>> DeviceEvents(std::string_view device_id,
                                                              std::int64_t after_seq,
                                                              std::size_t limit) const = 0;
  virtual Result<std::int64_t> CountEvents() const = 0;
  // The metrics a device has reported, ascending by name: the unit of the last point appended,
  // the least and greatest time of any point appended (expiry does not change them).
  virtual Result<std::vector<MetricInfo>> DeviceMetrics(std::string_view device_id) const = 0;
  // Raw samples of one metric with from <= time < to, ascending by time (blocks and recent
  // rows merged; equal times keep arrival order).
  virtual Result<std::vector<TelemetrySample>> Telemetry(std::string_view device_id,
                                                         std::string_view metric,
                                                         std::int64_t from_unix_nanos,
                                                         std::int64_t to_unix_nanos) const = 0;
  // 5-minute roll-ups with from <= start < to, ascending. Windows not compacted yet are
  // computed from recent rows, and merged with the stored roll-up of a window compacted in
  // part (so the answer does not change when CompactTelemetry runs). Count, sum, and min/max
  // by fmin/fmax (a NaN sample counts and makes the sum NaN).
  virtual Result<std::vector<TelemetryRollup>> TelemetryRollups(
      std::string_view device_id, std::string_view metric, std::int64_t from_unix_nanos,
      std::int64_t to_unix_nanos) const = 0;
  virtual Result<TelemetryStats> TelemetryStatistics() const = 0;
};

class DeviceRepo : public virtual DeviceReader {
 public:
  virtual Status AddDevice(const DeviceRecord& device) = 0;
  // Replaces every field of the device with id `device.id`.
  virtual Status UpdateDevice(const DeviceRecord& device) = 0;
  // Stores the heartbeat as the device's latest.
  virtual Status RecordHeartbeat(std::string_view device_id, const model::Heartbeat& heartbeat,
                                 std::int64_t received_unix_nanos) = 0;

  virtual Status AddEnrollmentToken(const EnrollmentTokenRecord& token) = 0;
  // Marks an unused token used; kNotFound if there is none with that hash, kFailedPrecondition
  // if it was used already.
  virtual Status UseEnrollmentToken(std::span<const std::uint8_t> token_hash,
                                    std::int64_t now_unix) = 0;

  virtual Status AddCertificate(const DeviceCertificateRecord& certificate) = 0;
  // Sets revoked_unix and the reason; a certificate revoked already keeps its first revocation
  // (ok, no change).
  virtual Status RevokeCertificate(std::string_view serial, std::int64_t now_unix,
                                   std::string_view reason) = 0;

  // Appends events; returns the seq of each, in order.
  virtual Result<std::vector<std::int64_t>> AppendEvents(std::string_view device_id,
                                                         std::span<const model::DeviceEvent> events,
                                                         std::int64_t received_unix_nanos,
                                                         bool flagged) = 0;
  // Appends points to the recent area and updates the device's metric list (unit, first and
  // last time). kInvalidArgument for an empty metric name.
  virtual Status AppendTelemetry(std::string_view device_id,
                                 std::span<const model::MetricPoint> points) = 0;
  // Moves recent points with time < before into encoded blocks (one per device, metric and
  // hour; merging with an existing block of that hour) and writes their 5-minute roll-ups
  // (merging with a stored roll-up of that window). Returns the number of points moved.
  // kResourceExhausted if an hour would hold more than kMaxBlockSamples (telemetry_block.h).
  virtual Result<std::int64_t> CompactTelemetry(std::int64_t before_unix_nanos) = 0;
  // Deletes raw samples (recent rows and blocks) with time < raw_before (a block straddling it
  // is trimmed), and roll-ups whose window starts before rollup_before. Returns the number of
  // raw samples deleted.
  virtual Result<std::int64_t> ExpireTelemetry(std::int64_t raw_before_unix_nanos,
                                               std::int64_t rollup_before_unix_nanos) = 0;
};

}  // namespace vigil::store
