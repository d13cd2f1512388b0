// DeviceService: what devices do through the gateway (enrol, renew, report). The caller's
// identity is the verified certificate the gateway passes in, never the request body.

#include <spdlog/spdlog.h>

#include "core/hex.h"
#include "crypto/hash.h"
#include "model/device_type.h"
#include "server/device_service.h"
#include "server/runtime.h"

namespace vigil::server {
namespace {

audit::Actor DeviceActor(std::string_view device_id) {
  return {.kind = audit::ActorKind::kDevice, .id = std::string(device_id)};
}

IssuedDeviceCertificate ToIssued(const store::DeviceCertificateRecord& cert,
                                 const std::string& chain) {
  return {.device_id = cert.device_id,
          .certificate_pem = cert.pem,
          .ca_chain_pem = chain,
          .not_after_unix = cert.not_after_unix};
}

}  // namespace

Result<store::DeviceCertificateRecord> DeviceService::Issue(store::Transaction& tx,
                                                            std::string_view device_id,
                                                            std::string_view csr_pem,
                                                            std::int64_t now_unix) {
  auto device = tx.devices().GetDevice(device_id);
  if (!device) return tl::unexpected(std::move(device).error());
  // The record's type decides the certificate's name, so a sensor can never pass for a device.
  auto issued =
      device->type == model::Name(model::DeviceType::kSensor)
          ? ca_->IssueSensorCertificate(csr_pem, device_id, now_unix, options_.certificate_seconds)
          : ca_->IssueDeviceCertificate(csr_pem, device_id, now_unix, options_.certificate_seconds);
  if (!issued) return tl::unexpected(std::move(issued).error());
  store::DeviceCertificateRecord record{.serial = issued->serial_hex,
                                        .device_id = std::string(device_id),
                                        .fingerprint_sha256 = issued->fingerprint_sha256,
                                        .pem = std::move(issued->pem),
                                        .not_before_unix = issued->not_before_unix,
                                        .not_after_unix = issued->not_after_unix,
                                        .issued_unix = now_unix};
  VIGIL_RETURN_IF_ERROR(tx.devices().AddCertificate(record));
  return record;
}

Result<IssuedDeviceCertificate> DeviceService::Enroll(std::string_view token,
                                                      std::string_view csr_pem,
                                                      std::string_view remote_address) {
  const std::int64_t now = rt_.clock().NowUnixSeconds();
  const auto digest = crypto::Sha256(token);
  std::optional<store::DeviceCertificateRecord> issued;
  std::vector<std::string> superseded;
  std::string refusal;  // Set when the token is refused: audited in its own transaction.
  std::string refused_device;
  Status written = rt_.store().Write([&](store::Transaction& tx) -> Status {
    superseded.clear();
    auto found = tx.devices().FindEnrollmentToken(digest);
    if (!found) {
      if (found.error().code != ErrorCode::kNotFound) return tl::unexpected(found.error());
      refusal = "unknown enrolment token";
      return OkStatus();
    }
    refused_device = found->device_id;
    if (found->used_unix != 0) {
      refusal = "enrolment token was used already";
      return OkStatus();
    }
    if (now >= found->expires_unix) {
      refusal = "enrolment token expired";
      return OkStatus();
    }
    auto record = Issue(tx, found->device_id, csr_pem, now);
    if (!record) return tl::unexpected(std::move(record).error());
    VIGIL_RETURN_IF_ERROR(tx.devices().UseEnrollmentToken(digest, now));
    // A device holds one key at a time: enrolling again replaces what it had.
    auto certs = tx.devices().DeviceCertificates(found->device_id);
    if (!certs) return tl::unexpected(std::move(certs).error());
    for (const auto& c : *certs) {
      if (c.serial == record->serial || c.revoked_unix != 0 || c.not_after_unix <= now) continue;
      VIGIL_RETURN_IF_ERROR(tx.devices().RevokeCertificate(c.serial, now, "superseded"));
      superseded.push_back(c.serial);
    }
    VIGIL_RETURN_IF_ERROR(Audit(tx, DeviceActor(found->device_id), "device.enroll",
                                "device:" + found->device_id,
                                {{"serial", record->serial},
                                 {"not_after_unix", record->not_after_unix},
                                 {"address", remote_address},
                                 {"superseded", superseded}}));
    if (!superseded.empty()) VIGIL_RETURN_IF_ERROR(IssueCrl(tx, now));
    issued = std::move(*record);
    return OkStatus();
  });
  if (!written) return tl::unexpected(std::move(written).error());
  if (!refusal.empty()) {
    (void)rt_.store().Write([&](store::Transaction& tx) {
      return Audit(tx, {.kind = audit::ActorKind::kSystem, .id = "gateway"},
                   "device.enroll.refused",
                   refused_device.empty() ? "" : "device:" + refused_device,
                   {{"reason", refusal}, {"address", remote_address}});
    });
    return MakeError(ErrorCode::kUnauthenticated, refusal);
  }
  for (const auto& s : superseded) revoked_->Add(s);
  return ToIssued(*issued, ca_->chain_pem());
}

Result<IssuedDeviceCertificate> DeviceService::Renew(const GatewayCaller& caller,
                                                     std::string_view csr_pem) {
  VIGIL_RETURN_IF_ERROR(Admit(caller));
  const std::int64_t now = rt_.clock().NowUnixSeconds();
  const double lifetime = static_cast<double>(caller.not_after_unix - caller.not_before_unix);
  const double left = static_cast<double>(caller.not_after_unix - now);
  if (left >= lifetime * options_.device_config.renew_when_remaining) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "renewal is not due yet: it opens once less than a third of the "
                     "certificate's lifetime is left");
  }
  std::optional<store::DeviceCertificateRecord> issued;
  VIGIL_RETURN_IF_ERROR(rt_.store().Write([&](store::Transaction& tx) -> Status {
    auto current = tx.devices().GetCertificate(caller.serial);
    if (!current) {
      if (current.error().code == ErrorCode::kNotFound) {
        return MakeError(ErrorCode::kUnauthenticated, "this certificate was not issued here");
      }
      return tl::unexpected(std::move(current).error());
    }
    if (current->device_id != caller.device_id) {
      return MakeError(ErrorCode::kUnauthenticated, "certificate and device do not match");
    }
    auto record = Issue(tx, caller.device_id, csr_pem, now);
    if (!record) return tl::unexpected(std::move(record).error());
    VIGIL_RETURN_IF_ERROR(Audit(tx, DeviceActor(caller.device_id), "device.renew",
                                "device:" + caller.device_id,
                                {{"serial", record->serial},
                                 {"previous_serial", caller.serial},
                                 {"not_after_unix", record->not_after_unix},
                                 {"address", caller.remote_address}}));
    issued = std::move(*record);
    return OkStatus();
  }));
  // The previous certificate stays valid until it expires: if this answer is lost on the way,
  // the device can still connect and renew again.
  return ToIssued(*issued, ca_->chain_pem());
}

// A quarantined device may still report (it must stay visible while contained); each of its
// reports is flagged in the audit log, in the same transaction as the report.
Status DeviceService::FlagQuarantined(store::Transaction& tx, const GatewayCaller& caller,
                                      std::string_view kind, std::size_t count) {
  return Audit(tx, DeviceActor(caller.device_id), "device.quarantined.report",
               "device:" + caller.device_id,
               {{"kind", kind}, {"count", count}, {"address", caller.remote_address}});
}

Result<bool> DeviceService::Admit(const GatewayCaller& caller) const {
  if (caller.device_id.empty()) {
    return MakeError(ErrorCode::kUnauthenticated, "the certificate names no device");
  }
  if (revoked_->IsRevoked(caller.serial)) {
    return MakeError(ErrorCode::kPermissionDenied, "this device's certificate was revoked");
  }
  std::shared_lock lock(mu_);
  const auto it = quarantined_.find(caller.device_id);
  if (it == quarantined_.end()) {
    return MakeError(ErrorCode::kNotFound, "no device record for this certificate");
  }
  return it->second;
}

void DeviceService::WriteReport(store::WriteFn fn, Done<Status> done) {
  {
    std::lock_guard lock(reports_mu_);
    ++reports_in_flight_;
  }
  rt_.store().WriteAsync(std::move(fn), store::Durability::kFull,
                         [this, done = std::move(done)](Status status) {
                           done(std::move(status));
                           std::lock_guard lock(reports_mu_);
                           if (--reports_in_flight_ == 0) reports_cv_.notify_all();
                         });
}

void DeviceService::WaitForReports() {
  std::unique_lock lock(reports_mu_);
  reports_cv_.wait(lock, [this] { return reports_in_flight_ == 0; });
}

void DeviceService::Heartbeat(const GatewayCaller& caller, const model::Heartbeat& beat,
                              Done<Result<HeartbeatResult>> done) {
  auto quarantined = Admit(caller);
  if (!quarantined) return done(tl::unexpected(std::move(quarantined).error()));
  const std::int64_t now_nanos = rt_.clock().NowUnixNanos();
  const std::int64_t now = now_nanos / 1'000'000'000;
  const double lifetime = static_cast<double>(caller.not_after_unix - caller.not_before_unix);
  const double left = static_cast<double>(caller.not_after_unix - now);
  const HeartbeatResult answer{
      .renew = left < lifetime * options_.device_config.renew_when_remaining,
      .quarantined = *quarantined};
  WriteReport(
      [this, caller, beat, now_nanos, flagged = *quarantined](store::Transaction& tx) -> Status {
        VIGIL_RETURN_IF_ERROR(tx.devices().RecordHeartbeat(caller.device_id, beat, now_nanos));
        return flagged ? FlagQuarantined(tx, caller, "heartbeat", 1) : OkStatus();
      },
      [answer, done = std::move(done)](Status status) {
        if (!status) return done(tl::unexpected(std::move(status).error()));
        done(answer);
      });
}

void DeviceService::Telemetry(const GatewayCaller& caller, std::vector<model::MetricPoint> points,
                              Done<Status> done) {
  auto quarantined = Admit(caller);
  if (!quarantined) return done(tl::unexpected(std::move(quarantined).error()));
  if (points.empty()) return done(OkStatus());
  WriteReport(
      [this, caller, points = std::move(points),
       flagged = *quarantined](store::Transaction& tx) -> Status {
        VIGIL_RETURN_IF_ERROR(tx.devices().AppendTelemetry(caller.device_id, points));
        return flagged ? FlagQuarantined(tx, caller, "telemetry", points.size()) : OkStatus();
      },
      std::move(done));
}

void DeviceService::Events(const GatewayCaller& caller, std::vector<model::DeviceEvent> events,
                           Done<Status> done) {
  auto quarantined = Admit(caller);
  if (!quarantined) return done(tl::unexpected(std::move(quarantined).error()));
  if (events.empty()) return done(OkStatus());
  const std::int64_t now_nanos = rt_.clock().NowUnixNanos();
  WriteReport(
      [this, caller, events = std::move(events), now_nanos,
       flagged = *quarantined](store::Transaction& tx) -> Status {
        auto seqs = tx.devices().AppendEvents(caller.device_id, events, now_nanos, flagged);
        if (!seqs) return tl::unexpected(std::move(seqs).error());
        return flagged ? FlagQuarantined(tx, caller, "events", events.size()) : OkStatus();
      },
      std::move(done));
}

}  // namespace vigil::server
