#pragma once

// DeviceService: device records, Vigil's device CA, enrolment, renewal, revocation, and what
// enrolled devices report through the gateway (heartbeats, telemetry, events). Every change an
// operator or a device makes is audited in the same transaction; what a device reports is
// committed durably (Durability::kFull) before the call returns, so the gateway acknowledges
// only what is stored.
//
// Where things are kept: device rows, enrolment-token hashes, issued certificates, events and
// telemetry in the store (store/device_repo.h); the CA's root and intermediate keys and
// certificates sealed in the store's secrets ("pki/root.key", "pki/root.crt",
// "pki/intermediate.key", "pki/intermediate.crt"), created on first start; the CRL number in
// "pki/crl-number". The revoked serials and the devices' quarantine flags are also held in
// memory (read on every device request); every change goes through this service.
//
// Identity of a device comes only from its verified certificate (GatewayCaller), never from a
// request body. Errors: kInvalidArgument (bad input, with a message for the person or device),
// kNotFound (unknown device), kUnauthenticated (bad, used or expired enrolment token; a
// certificate this CA does not know), kPermissionDenied (a revoked certificate or device),
// kFailedPrecondition (renewal not due yet), store errors passed on.
//
// Thread safety: every member may be called from any thread.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "audit/event.h"
#include "config/config.h"
#include "model/device_report.h"
#include "pki/device_ca.h"
#include "pki/revocation_list.h"
#include "store/device_repo.h"
#include "store/store.h"

namespace vigil::server {

class Runtime;

struct DeviceOptions {
  std::int64_t certificate_seconds = std::int64_t{90} * 86400;
  std::int64_t enrollment_token_seconds = std::int64_t{24} * 3600;
  std::int64_t crl_seconds = std::int64_t{24} * 3600;
  std::int64_t telemetry_raw_seconds = std::int64_t{7} * 86400;
  std::int64_t telemetry_rollup_seconds = std::int64_t{90} * 86400;
  model::DeviceConfig device_config;  // What GET /v1/config answers.
  std::string organization = "Vigil";

  static DeviceOptions FromConfig(const config::DevicesConfig& config);
};

// A new device record, as an operator describes it (names from model/device_type.h).
struct NewDevice {
  std::string name;
  std::string type;
  std::string manufacturer;
  std::string model;
  std::string firmware;
  std::string criticality;
  std::string serial;
  std::string location;
};

// A device record with its certificate state, for lists and pages.
struct DeviceView {
  store::DeviceRecord device;
  // The newest certificate, if any was issued.
  std::optional<store::DeviceCertificateRecord> certificate;
  // "none", "valid", "renew_due", "expired", "revoked".
  std::string certificate_status;
};

struct IssuedEnrollmentToken {
  std::string token;  // "vgle_...", shown once.
  std::string device_id;
  std::int64_t expires_unix = 0;
  std::string ca_fingerprint_sha256;  // What `vigil-agent enroll --ca-fingerprint` takes.
};

struct IssuedDeviceCertificate {
  std::string device_id;
  std::string certificate_pem;
  std::string ca_chain_pem;  // Intermediate then root.
  std::int64_t not_after_unix = 0;
};

// Who is calling the gateway, from its verified client certificate.
struct GatewayCaller {
  std::string device_id;  // For a sensor, the id of its device record.
  bool sensor = false;    // The certificate names a sensor (urn:vigil:sensor:<id>).
  std::string serial;
  std::int64_t not_before_unix = 0;
  std::int64_t not_after_unix = 0;
  std::string remote_address;
};

struct HeartbeatResult {
  bool renew = false;  // Less than the renewal share of the certificate's lifetime is left.
  bool quarantined = false;
};

// TLS material for the gateway's listener (pki/mutual_tls.h takes it).
struct GatewayTlsMaterial {
  std::string cert_chain_pem;  // Leaf, intermediate, root.
  std::string key_pem;
  std::string client_ca_pem;  // Root and intermediate.
  std::shared_ptr<const pki::RevocationList> revoked;
};

class DeviceService {
 public:
  static Result<std::unique_ptr<DeviceService>> Create(Runtime& runtime, DeviceOptions options);
  ~DeviceService();

  // --- Operators (the caller checked the permission) -----------------------------------------
  Result<store::DeviceRecord> AddDevice(const audit::Actor& actor, const NewDevice& device);
  Result<std::vector<DeviceView>> ListDevices() const;
  Result<DeviceView> GetDevice(std::string_view device_id) const;
  // A one-time token bound to the device. Any earlier unused token stays valid until it expires.
  Result<IssuedEnrollmentToken> CreateEnrollmentToken(const audit::Actor& actor,
                                                      std::string_view device_id);
  // Revokes every certificate of the device that is not revoked yet: the gateway refuses its
  // next request and handshake; the CRL is re-issued. Returns the serials revoked now.
  Result<std::vector<std::string>> Revoke(const audit::Actor& actor, std::string_view device_id,
                                          std::string_view reason);
  // Marks the device quarantined or not (its requests are then flagged).
  Result<store::DeviceRecord> SetQuarantined(const audit::Actor& actor, std::string_view device_id,
                                             bool quarantined);
  Result<std::vector<store::StoredDeviceEvent>> Events(std::string_view device_id,
                                                       std::int64_t after_seq,
                                                       std::size_t limit) const;
  Result<std::vector<store::MetricInfo>> Metrics(std::string_view device_id) const;
  // Raw samples when the range is at most `raw_limit_seconds` long, else 5-minute roll-ups
  // (mean per window) so a long range stays a few thousand points.
  struct Series {
    std::string resolution;  // "raw" or "5m"
    std::vector<store::TelemetrySample> samples;
    std::vector<store::TelemetryRollup> rollups;
  };
  Result<Series> Telemetry(std::string_view device_id, std::string_view metric,
                           std::int64_t from_unix_nanos, std::int64_t to_unix_nanos) const;

  // --- Sensors ---------------------------------------------------------------------------------
  // A sensor is a device record of type "sensor" (docs/adr/0009-sensor-identity.md): it is
  // enrolled, revoked and listed like a device, and the CA names it urn:vigil:sensor:<id>.
  Result<store::DeviceRecord> AddSensor(const audit::Actor& actor, std::string_view name);
  Result<std::vector<DeviceView>> ListSensors() const;

  // --- The CA ---------------------------------------------------------------------------------
  std::string RootCertificatePem() const;
  std::string RootFingerprint() const;
  // The current CRL (PEM), re-issued first if it is past half its validity.
  Result<std::string> CurrentCrl();
  // A fresh server certificate for the gateway (names and addresses for its SANs).
  Result<GatewayTlsMaterial> GatewayTls(std::span<const std::string> dns_names,
                                        std::span<const std::string> ip_addresses);
  std::shared_ptr<const pki::RevocationList> revocations() const { return revoked_; }
  // Where devices reach the gateway: the bound ADDR:PORT once serve has started it (so port 0
  // shows the real port), else gateway.listen from the configuration.
  void SetGatewayAddress(std::string address);
  std::string GatewayAddress() const;

  // --- Devices, through the gateway -----------------------------------------------------------
  // Anonymous TLS: the token proves which device record the new key belongs to.
  Result<IssuedDeviceCertificate> Enroll(std::string_view token, std::string_view csr_pem,
                                         std::string_view remote_address);
  Result<IssuedDeviceCertificate> Renew(const GatewayCaller& caller, std::string_view csr_pem);
  // kPermissionDenied if the caller's certificate or device was revoked, kNotFound if the
  // device record is gone; else whether the device is quarantined (its records are flagged).
  Result<bool> Admit(const GatewayCaller& caller) const;
  // The reports: each is admitted at once, then committed by the store's writer without the
  // caller waiting (Store::WriteAsync); `done` gets the outcome on the writer's thread (or at
  // once on the caller's when refused), so it must only hand the answer over, e.g. to a
  // connection's executor. kUnavailable when the store is busy or closing.
  template <typename T>
  using Done = std::function<void(T)>;
  void Heartbeat(const GatewayCaller& caller, const model::Heartbeat& beat,
                 Done<Result<HeartbeatResult>> done);
  void Telemetry(const GatewayCaller& caller, std::vector<model::MetricPoint> points,
                 Done<Status> done);
  void Events(const GatewayCaller& caller, std::vector<model::DeviceEvent> events,
              Done<Status> done);
  // Waits until every report accepted above has had its `done` called (the gateway calls it
  // before it tears down the connections' executors; the destructor too).
  void WaitForReports();
  const model::DeviceConfig& device_config() const { return options_.device_config; }

  // --- Upkeep (the server calls it every few seconds) ------------------------------------------
  // Re-issues the CRL when due; compacts telemetry older than the current hour and expires
  // what is past retention (at most once a minute).
  Status Tick();

 private:
  DeviceService(Runtime& runtime, DeviceOptions options);
  Status LoadOrCreateCa();
  Status LoadCaches();
  // Issues a CRL over every revoked certificate and keeps it (its number in "pki/crl-number").
  Status IssueCrl(store::Transaction& tx, std::int64_t now_unix);
  Result<store::DeviceCertificateRecord> Issue(store::Transaction& tx, std::string_view device_id,
                                               std::string_view csr_pem, std::int64_t now_unix);
  Status Audit(store::Transaction& tx, const audit::Actor& actor, std::string action,
               std::string target, nlohmann::json details = nlohmann::json::object());
  Result<DeviceView> ViewOf(const store::DeviceReader& reader, store::DeviceRecord device) const;
  std::string CertificateStatus(const store::DeviceCertificateRecord& cert) const;
  Status CompactTelemetry(std::int64_t now_unix);
  Status FlagQuarantined(store::Transaction& tx, const GatewayCaller& caller, std::string_view kind,
                         std::size_t count);
  // Queues `fn` with Store::WriteAsync, counted in reports_in_flight_ until `done` has run.
  void WriteReport(store::WriteFn fn, Done<Status> done);

  Runtime& rt_;
  DeviceOptions options_;
  std::optional<pki::DeviceCa> ca_;
  std::shared_ptr<pki::RevocationList> revoked_;

  mutable std::shared_mutex mu_;                       // Guards the members below.
  std::unordered_map<std::string, bool> quarantined_;  // Device id -> quarantined.
  std::string crl_pem_;
  std::string gateway_address_;
  std::int64_t crl_issued_unix_ = 0;
  std::int64_t last_compaction_unix_ = 0;

  std::mutex reports_mu_;
  std::condition_variable reports_cv_;
  int reports_in_flight_ = 0;  // Guarded by reports_mu_.
};

}  // namespace vigil::server
