// DeviceService: creation, the CA's keys, and what operators do with device records.
// What devices do through the gateway is in device_gateway_calls.cc.

#include "server/device_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

#include "core/hex.h"
#include "core/id.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "model/device_type.h"
#include "server/runtime.h"

namespace vigil::server {
namespace {

constexpr std::string_view kRootKey = "pki/root.key";
constexpr std::string_view kRootCert = "pki/root.crt";
constexpr std::string_view kIntermediateKey = "pki/intermediate.key";
constexpr std::string_view kIntermediateCert = "pki/intermediate.crt";
constexpr std::string_view kCrlNumber = "pki/crl-number";
constexpr std::int64_t kNanos = 1'000'000'000;

Result<std::string> SecretText(store::Transaction& tx, std::string_view name) {
  auto value = tx.secrets().Get(name);
  if (!value) return tl::unexpected(std::move(value).error());
  return std::string(AsChars(value->span()));
}

Status CheckText(std::string_view field, std::string_view value, std::size_t max, bool required) {
  if (required && value.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, std::string(field) + ": must not be empty");
  }
  if (value.size() > max) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string(field) + ": at most " + std::to_string(max) + " characters");
  }
  for (const char c : value) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return MakeError(ErrorCode::kInvalidArgument,
                       std::string(field) + ": control characters are not allowed");
    }
  }
  return OkStatus();
}

}  // namespace

DeviceOptions DeviceOptions::FromConfig(const config::DevicesConfig& config) {
  DeviceOptions options;
  options.certificate_seconds = std::int64_t{config.certificate_days} * 86400;
  options.enrollment_token_seconds = std::int64_t{config.enrollment_token_hours} * 3600;
  options.crl_seconds = std::int64_t{config.crl_hours} * 3600;
  options.telemetry_raw_seconds = std::int64_t{config.telemetry_raw_days} * 86400;
  options.telemetry_rollup_seconds = std::int64_t{config.telemetry_rollup_days} * 86400;
  options.device_config.heartbeat_seconds = config.heartbeat_seconds;
  options.device_config.telemetry_seconds = config.telemetry_seconds;
  options.device_config.metrics = {"cpu", "memory", "disk", "network", "uptime", "load"};
  return options;
}

Result<std::unique_ptr<DeviceService>> DeviceService::Create(Runtime& runtime,
                                                             DeviceOptions options) {
  std::unique_ptr<DeviceService> service(new DeviceService(runtime, std::move(options)));
  VIGIL_RETURN_IF_ERROR(service->LoadOrCreateCa());
  VIGIL_RETURN_IF_ERROR(service->LoadCaches());
  return service;
}

DeviceService::DeviceService(Runtime& runtime, DeviceOptions options)
    : rt_(runtime),
      options_(std::move(options)),
      revoked_(std::make_shared<pki::RevocationList>()) {}

DeviceService::~DeviceService() { WaitForReports(); }

Status DeviceService::Audit(store::Transaction& tx, const audit::Actor& actor, std::string action,
                            std::string target, nlohmann::json details) {
  auto seq = rt_.audit().Append(tx, {.actor = actor,
                                     .action = std::move(action),
                                     .target = std::move(target),
                                     .details = std::move(details)});
  if (!seq) return tl::unexpected(std::move(seq).error());
  return OkStatus();
}

// The CA is created once, on the first start that finds no root key, in the same transaction
// as its audit entry; its keys never leave the sealed secrets except into this process.
Status DeviceService::LoadOrCreateCa() {
  const std::int64_t now = rt_.clock().NowUnixSeconds();
  pki::CaMaterial material;
  VIGIL_RETURN_IF_ERROR(rt_.store().Write([&](store::Transaction& tx) -> Status {
    auto existing = tx.secrets().Get(kRootKey);
    if (existing) {
      auto root_key = SecretText(tx, kRootKey);
      auto root_cert = SecretText(tx, kRootCert);
      auto mid_key = SecretText(tx, kIntermediateKey);
      auto mid_cert = SecretText(tx, kIntermediateCert);
      for (const auto* r : {&root_key, &root_cert, &mid_key, &mid_cert}) {
        if (!*r) return tl::unexpected(Annotate(r->error(), "device ca"));
      }
      material = {.root_cert_pem = std::move(*root_cert),
                  .root_key_pem = std::move(*root_key),
                  .intermediate_cert_pem = std::move(*mid_cert),
                  .intermediate_key_pem = std::move(*mid_key)};
      return OkStatus();
    }
    if (existing.error().code != ErrorCode::kNotFound) {
      return tl::unexpected(std::move(existing).error());
    }
    auto created = pki::CreateDeviceCa({.organization = options_.organization}, now);
    if (!created) return tl::unexpected(Annotate(std::move(created).error(), "device ca"));
    material = std::move(*created);
    VIGIL_RETURN_IF_ERROR(tx.secrets().Put(kRootKey, AsBytes(material.root_key_pem)));
    VIGIL_RETURN_IF_ERROR(tx.secrets().Put(kRootCert, AsBytes(material.root_cert_pem)));
    VIGIL_RETURN_IF_ERROR(
        tx.secrets().Put(kIntermediateKey, AsBytes(material.intermediate_key_pem)));
    VIGIL_RETURN_IF_ERROR(
        tx.secrets().Put(kIntermediateCert, AsBytes(material.intermediate_cert_pem)));
    return Audit(tx, {.kind = audit::ActorKind::kSystem, .id = "pki"}, "pki.ca.create", "ca:device",
                 {{"organization", options_.organization}});
  }));
  auto ca = pki::DeviceCa::Load(material, now);
  if (!ca) return tl::unexpected(Annotate(std::move(ca).error(), "device ca"));
  ca_ = std::move(*ca);
  return OkStatus();
}

Status DeviceService::LoadCaches() {
  std::unordered_map<std::string, bool> quarantined;
  std::vector<std::string> revoked;
  VIGIL_RETURN_IF_ERROR(rt_.store().Read([&](store::ReadTransaction& tx) -> Status {
    auto devices = tx.devices().ListDevices();
    if (!devices) return tl::unexpected(std::move(devices).error());
    for (const auto& d : *devices) quarantined[d.id] = d.quarantined;
    auto certs = tx.devices().RevokedCertificates();
    if (!certs) return tl::unexpected(std::move(certs).error());
    for (const auto& c : *certs) revoked.push_back(c.serial);
    return OkStatus();
  }));
  revoked_->Replace(std::move(revoked));
  {
    std::unique_lock lock(mu_);
    quarantined_ = std::move(quarantined);
  }
  const std::int64_t now = rt_.clock().NowUnixSeconds();
  return rt_.store().Write([&](store::Transaction& tx) { return IssueCrl(tx, now); });
}

Status DeviceService::IssueCrl(store::Transaction& tx, std::int64_t now_unix) {
  std::int64_t number = 1;
  if (auto stored = tx.secrets().Get(kCrlNumber)) {
    const std::string_view text = AsChars(stored->span());
    std::int64_t previous = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), previous);
    if (ec != std::errc() || end != text.data() + text.size() || previous < 0) {
      return MakeError(ErrorCode::kDataLoss, "crl: the stored crl number is not a number");
    }
    number = previous + 1;
  }
  auto certs = tx.devices().RevokedCertificates();
  if (!certs) return tl::unexpected(std::move(certs).error());
  std::vector<pki::RevokedEntry> entries;
  entries.reserve(certs->size());
  for (const auto& c : *certs) {
    entries.push_back(
        {.serial_hex = c.serial, .revoked_unix = c.revoked_unix, .reason = c.revocation_reason});
  }
  auto crl = ca_->MakeCrlPem(entries, now_unix, now_unix + options_.crl_seconds, number);
  if (!crl) return tl::unexpected(Annotate(std::move(crl).error(), "crl"));
  VIGIL_RETURN_IF_ERROR(tx.secrets().Put(kCrlNumber, AsBytes(std::to_string(number))));
  std::unique_lock lock(mu_);
  crl_pem_ = std::move(*crl);
  crl_issued_unix_ = now_unix;
  return OkStatus();
}

Result<store::DeviceRecord> DeviceService::AddDevice(const audit::Actor& actor,
                                                     const NewDevice& input) {
  auto type = model::ParseDeviceType(input.type);
  if (!type) return tl::unexpected(Annotate(std::move(type).error(), "type"));
  auto criticality = model::ParseCriticality(input.criticality);
  if (!criticality) return tl::unexpected(Annotate(std::move(criticality).error(), "criticality"));
  VIGIL_RETURN_IF_ERROR(CheckText("name", input.name, 128, true));
  VIGIL_RETURN_IF_ERROR(CheckText("manufacturer", input.manufacturer, 128, true));
  VIGIL_RETURN_IF_ERROR(CheckText("model", input.model, 128, true));
  VIGIL_RETURN_IF_ERROR(CheckText("firmware", input.firmware, 64, false));
  VIGIL_RETURN_IF_ERROR(CheckText("serial", input.serial, 128, false));
  VIGIL_RETURN_IF_ERROR(CheckText("location", input.location, 128, false));
  store::DeviceRecord device{.id = Id::Random().ToString(),
                             .name = input.name,
                             .type = std::string(model::Name(*type)),
                             .manufacturer = input.manufacturer,
                             .model = input.model,
                             .firmware = input.firmware,
                             .criticality = std::string(model::Name(*criticality)),
                             .serial = input.serial,
                             .location = input.location,
                             .created_unix = rt_.clock().NowUnixSeconds()};
  VIGIL_RETURN_IF_ERROR(rt_.store().Write([&](store::Transaction& tx) -> Status {
    VIGIL_RETURN_IF_ERROR(tx.devices().AddDevice(device));
    return Audit(tx, actor, "device.add", "device:" + device.id,
                 {{"name", device.name},
                  {"type", device.type},
                  {"manufacturer", device.manufacturer},
                  {"model", device.model},
                  {"criticality", device.criticality}});
  }));
  std::unique_lock lock(mu_);
  quarantined_[device.id] = false;
  return device;
}

Result<store::DeviceRecord> DeviceService::AddSensor(const audit::Actor& actor,
                                                     std::string_view name) {
  return AddDevice(actor,
                   {.name = std::string(name),
                    .type = std::string(model::Name(model::DeviceType::kSensor)),
                    .manufacturer = "Vigil",
                    .model = "vigil sensor",
                    .criticality = std::string(model::Name(model::Criticality::kNonClinical))});
}

Result<std::vector<DeviceView>> DeviceService::ListSensors() const {
  auto devices = ListDevices();
  if (!devices) return tl::unexpected(std::move(devices).error());
  std::erase_if(*devices, [](const DeviceView& view) {
    return view.device.type != model::Name(model::DeviceType::kSensor);
  });
  return devices;
}

std::string DeviceService::CertificateStatus(const store::DeviceCertificateRecord& cert) const {
  const std::int64_t now = rt_.clock().NowUnixSeconds();
  if (cert.revoked_unix != 0) return "revoked";
  if (now >= cert.not_after_unix) return "expired";
  const double lifetime = static_cast<double>(cert.not_after_unix - cert.not_before_unix);
  const double left = static_cast<double>(cert.not_after_unix - now);
  if (left < lifetime * options_.device_config.renew_when_remaining) return "renew_due";
  return "valid";
}

Result<DeviceView> DeviceService::ViewOf(const store::DeviceReader& reader,
                                         store::DeviceRecord device) const {
  DeviceView view{.device = std::move(device), .certificate_status = "none"};
  auto certs = reader.DeviceCertificates(view.device.id);
  if (!certs) return tl::unexpected(std::move(certs).error());
  if (!certs->empty()) {
    view.certificate = certs->front();
    view.certificate_status = CertificateStatus(*view.certificate);
  }
  return view;
}

Result<std::vector<DeviceView>> DeviceService::ListDevices() const {
  std::vector<DeviceView> views;
  VIGIL_RETURN_IF_ERROR(rt_.store().Read([&](store::ReadTransaction& tx) -> Status {
    auto devices = tx.devices().ListDevices();
    if (!devices) return tl::unexpected(std::move(devices).error());
    views.reserve(devices->size());
    for (auto& d : *devices) {
      auto view = ViewOf(tx.devices(), std::move(d));
      if (!view) return tl::unexpected(std::move(view).error());
      views.push_back(std::move(*view));
    }
    return OkStatus();
  }));
  return views;
}

Result<DeviceView> DeviceService::GetDevice(std::string_view device_id) const {
  std::optional<DeviceView> view;
  VIGIL_RETURN_IF_ERROR(rt_.store().Read([&](store::ReadTransaction& tx) -> Status {
    auto device = tx.devices().GetDevice(device_id);
    if (!device) return tl::unexpected(std::move(device).error());
    auto v = ViewOf(tx.devices(), std::move(*device));
    if (!v) return tl::unexpected(std::move(v).error());
    view = std::move(*v);
    return OkStatus();
  }));
  return std::move(*view);
}

Result<IssuedEnrollmentToken> DeviceService::CreateEnrollmentToken(const audit::Actor& actor,
                                                                   std::string_view device_id) {
  auto random = crypto::RandomBytes(32);
  if (!random) return tl::unexpected(std::move(random).error());
  IssuedEnrollmentToken issued{.token = "vgle_" + HexEncode(*random),
                               .device_id = std::string(device_id),
                               .ca_fingerprint_sha256 = RootFingerprint()};
  const std::int64_t now = rt_.clock().NowUnixSeconds();
  issued.expires_unix = now + options_.enrollment_token_seconds;
  const auto digest = crypto::Sha256(issued.token);
  VIGIL_RETURN_IF_ERROR(rt_.store().Write([&](store::Transaction& tx) -> Status {
    auto device = tx.devices().GetDevice(device_id);
    if (!device) return tl::unexpected(std::move(device).error());
    VIGIL_RETURN_IF_ERROR(tx.devices().AddEnrollmentToken(
        {.token_hash = std::vector<std::uint8_t>(digest.begin(), digest.end()),
         .device_id = device->id,
         .created_by = actor.id,
         .created_unix = now,
         .expires_unix = issued.expires_unix}));
    return Audit(tx, actor, "device.enrollment_token.create", "device:" + device->id,
                 {{"expires_unix", issued.expires_unix}});
  }));
  return issued;
}

Result<std::vector<std::string>> DeviceService::Revoke(const audit::Actor& actor,
                                                       std::string_view device_id,
                                                       std::string_view reason) {
  const std::string why = reason.empty() ? "unspecified" : std::string(reason);
  static constexpr std::string_view kReasons[] = {"unspecified", "key_compromise",
                                                  "affiliation_changed", "superseded",
                                                  "cessation_of_operation"};
  if (std::find(std::begin(kReasons), std::end(kReasons), why) == std::end(kReasons)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "reason: one of unspecified, key_compromise, affiliation_changed, "
                     "superseded, cessation_of_operation");
  }
  const std::int64_t now = rt_.clock().NowUnixSeconds();
  std::vector<std::string> serials;
  VIGIL_RETURN_IF_ERROR(rt_.store().Write([&](store::Transaction& tx) -> Status {
    serials.clear();
    auto device = tx.devices().GetDevice(device_id);
    if (!device) return tl::unexpected(std::move(device).error());
    auto certs = tx.devices().DeviceCertificates(device->id);
    if (!certs) return tl::unexpected(std::move(certs).error());
    for (const auto& c : *certs) {
      if (c.revoked_unix != 0) continue;
      VIGIL_RETURN_IF_ERROR(tx.devices().RevokeCertificate(c.serial, now, why));
      serials.push_back(c.serial);
    }
    VIGIL_RETURN_IF_ERROR(Audit(tx, actor, "device.revoke", "device:" + device->id,
                                {{"reason", why}, {"serials", serials}}));
    return IssueCrl(tx, now);
  }));
  for (const auto& s : serials) revoked_->Add(s);
  return serials;
}

Result<store::DeviceRecord> DeviceService::SetQuarantined(const audit::Actor& actor,
                                                          std::string_view device_id,
                                                          bool quarantined) {
  store::DeviceRecord updated;
  VIGIL_RETURN_IF_ERROR(rt_.store().Write([&](store::Transaction& tx) -> Status {
    auto device = tx.devices().GetDevice(device_id);
    if (!device) return tl::unexpected(std::move(device).error());
    device->quarantined = quarantined;
    VIGIL_RETURN_IF_ERROR(tx.devices().UpdateDevice(*device));
    updated = *device;
    return Audit(tx, actor, quarantined ? "device.quarantine" : "device.release",
                 "device:" + device->id);
  }));
  std::unique_lock lock(mu_);
  quarantined_[updated.id] = quarantined;
  return updated;
}

Result<std::vector<store::StoredDeviceEvent>> DeviceService::Events(std::string_view device_id,
                                                                    std::int64_t after_seq,
                                                                    std::size_t limit) const {
  std::vector<store::StoredDeviceEvent> events;
  VIGIL_RETURN_IF_ERROR(rt_.store().Read([&](store::ReadTransaction& tx) -> Status {
    VIGIL_RETURN_IF_ERROR(tx.devices().GetDevice(device_id));
    auto found = tx.devices().DeviceEvents(device_id, after_seq, limit);
    if (!found) return tl::unexpected(std::move(found).error());
    events = std::move(*found);
    return OkStatus();
  }));
  return events;
}

Result<std::vector<store::MetricInfo>> DeviceService::Metrics(std::string_view device_id) const {
  std::vector<store::MetricInfo> metrics;
  VIGIL_RETURN_IF_ERROR(rt_.store().Read([&](store::ReadTransaction& tx) -> Status {
    VIGIL_RETURN_IF_ERROR(tx.devices().GetDevice(device_id));
    auto found = tx.devices().DeviceMetrics(device_id);
    if (!found) return tl::unexpected(std::move(found).error());
    metrics = std::move(*found);
    return OkStatus();
  }));
  return metrics;
}

Result<DeviceService::Series> DeviceService::Telemetry(std::string_view device_id,
                                                       std::string_view metric,
                                                       std::int64_t from_unix_nanos,
                                                       std::int64_t to_unix_nanos) const {
  if (to_unix_nanos <= from_unix_nanos) {
    return MakeError(ErrorCode::kInvalidArgument, "the range must end after it starts");
  }
  // Up to six hours: raw points (a point every 10 s is 2,160); beyond: 5-minute roll-ups.
  constexpr std::int64_t kRawLimit = std::int64_t{6} * 3600 * kNanos;
  Series series;
  // A few minutes of slack: "the last 6 hours" asks up to a minute past now.
  constexpr std::int64_t kSlack = std::int64_t{5} * 60 * kNanos;
  series.resolution = to_unix_nanos - from_unix_nanos <= kRawLimit + kSlack ? "raw" : "5m";
  VIGIL_RETURN_IF_ERROR(rt_.store().Read([&](store::ReadTransaction& tx) -> Status {
    VIGIL_RETURN_IF_ERROR(tx.devices().GetDevice(device_id));
    if (series.resolution == "raw") {
      auto samples = tx.devices().Telemetry(device_id, metric, from_unix_nanos, to_unix_nanos);
      if (!samples) return tl::unexpected(std::move(samples).error());
      series.samples = std::move(*samples);
    } else {
      auto rollups =
          tx.devices().TelemetryRollups(device_id, metric, from_unix_nanos, to_unix_nanos);
      if (!rollups) return tl::unexpected(std::move(rollups).error());
      series.rollups = std::move(*rollups);
    }
    return OkStatus();
  }));
  return series;
}

void DeviceService::SetGatewayAddress(std::string address) {
  std::unique_lock lock(mu_);
  gateway_address_ = std::move(address);
}

std::string DeviceService::GatewayAddress() const {
  std::shared_lock lock(mu_);
  return gateway_address_.empty() ? rt_.config().gateway.listen : gateway_address_;
}

std::string DeviceService::RootCertificatePem() const { return ca_->root_pem(); }
std::string DeviceService::RootFingerprint() const { return ca_->root_fingerprint_sha256(); }

Result<std::string> DeviceService::CurrentCrl() {
  const std::int64_t now = rt_.clock().NowUnixSeconds();
  {
    std::shared_lock lock(mu_);
    if (now - crl_issued_unix_ < options_.crl_seconds / 2) return crl_pem_;
  }
  VIGIL_RETURN_IF_ERROR(
      rt_.store().Write([&](store::Transaction& tx) { return IssueCrl(tx, now); }));
  std::shared_lock lock(mu_);
  return crl_pem_;
}

Result<GatewayTlsMaterial> DeviceService::GatewayTls(std::span<const std::string> dns_names,
                                                     std::span<const std::string> ip_addresses) {
  // 397 days: the longest lifetime browsers and most TLS clients accept for a server leaf. The
  // gateway gets a fresh one at each start, so it never nears expiry in practice.
  constexpr std::int64_t kLifetime = std::int64_t{397} * 86400;
  auto issued =
      ca_->IssueServerCertificate(dns_names, ip_addresses, rt_.clock().NowUnixSeconds(), kLifetime);
  if (!issued) return tl::unexpected(Annotate(std::move(issued).error(), "gateway certificate"));
  return GatewayTlsMaterial{.cert_chain_pem = issued->certificate.pem + ca_->chain_pem(),
                            .key_pem = std::move(issued->key_pem),
                            .client_ca_pem = ca_->chain_pem(),
                            .revoked = revoked_};
}

Status DeviceService::Tick() {
  const std::int64_t now = rt_.clock().NowUnixSeconds();
  bool crl_due = false;
  bool compaction_due = false;
  {
    std::shared_lock lock(mu_);
    crl_due = now - crl_issued_unix_ >= options_.crl_seconds / 2;
    compaction_due = now - last_compaction_unix_ >= 60;
  }
  if (crl_due) {
    VIGIL_RETURN_IF_ERROR(
        rt_.store().Write([&](store::Transaction& tx) { return IssueCrl(tx, now); }));
  }
  if (compaction_due) VIGIL_RETURN_IF_ERROR(CompactTelemetry(now));
  return OkStatus();
}

Status DeviceService::CompactTelemetry(std::int64_t now_unix) {
  {
    std::unique_lock lock(mu_);
    last_compaction_unix_ = now_unix;
  }
  // Points of hours that have ended (a late point for a compacted hour is merged later).
  const std::int64_t hour_start = now_unix - now_unix % 3600;
  const std::int64_t raw_before = (now_unix - options_.telemetry_raw_seconds) * kNanos;
  const std::int64_t rollup_before = (now_unix - options_.telemetry_rollup_seconds) * kNanos;
  std::int64_t moved = 0;
  std::int64_t expired = 0;
  VIGIL_RETURN_IF_ERROR(rt_.store().Write(
      [&](store::Transaction& tx) -> Status {
        auto m = tx.devices().CompactTelemetry(hour_start * kNanos);
        if (!m) return tl::unexpected(std::move(m).error());
        auto e = tx.devices().ExpireTelemetry(raw_before, rollup_before);
        if (!e) return tl::unexpected(std::move(e).error());
        moved = *m;
        expired = *e;
        return OkStatus();
      },
      store::Durability::kFull));
  if (moved > 0 || expired > 0) {
    spdlog::info("devices: telemetry compacted {} points into blocks, expired {}", moved, expired);
  }
  return OkStatus();
}

}  // namespace vigil::server
