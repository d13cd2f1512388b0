#include "store/memory/devices.h"

#include <algorithm>
#include <string>
#include <utility>

#include "store/device_checks.h"
#include "store/identity_checks.h"

namespace vigil::store::memory {
namespace {

std::string Quoted(std::string_view what, std::string_view name) {
  return std::string(what) + " '" + std::string(name) + "'";
}

tl::unexpected<Error> In(tl::unexpected<Error> error, std::string_view context) {
  return tl::unexpected(Annotate(std::move(error).value(), context));
}

}  // namespace

// Every method checks all it needs before changing anything, so a failed call changes nothing.

Status Devices::NeedDevice(std::string_view id, std::string_view context) const {
  VIGIL_RETURN_IF_ERROR(CheckNotEmpty(id, "device id", context));
  if (!state_.devices.contains(id)) return In(DeviceNotFound(id), context);
  return OkStatus();
}

Result<DeviceRecord> Devices::GetDevice(std::string_view id) const {
  VIGIL_RETURN_IF_ERROR(CheckNotEmpty(id, "device id", Quoted("devices get", id)));
  auto it = state_.devices.find(id);
  if (it == state_.devices.end()) return DeviceNotFound(id);
  return it->second;
}

Result<std::vector<DeviceRecord>> Devices::ListDevices() const {
  std::vector<DeviceRecord> devices;
  for (const auto& [id, device] : state_.devices) devices.push_back(device);
  // Stable: equal names stay in id order, as the map holds them.
  std::stable_sort(devices.begin(), devices.end(),
                   [](const DeviceRecord& a, const DeviceRecord& b) { return a.name < b.name; });
  return devices;
}

Status Devices::AddDevice(const DeviceRecord& device) {
  const std::string context = Quoted("devices add", device.id);
  VIGIL_RETURN_IF_ERROR(CheckDevice(device, context));
  if (state_.devices.contains(device.id)) return AlreadyExists(context, "device id");
  mut_->devices.emplace(device.id, device);
  return OkStatus();
}

Status Devices::UpdateDevice(const DeviceRecord& device) {
  const std::string context = Quoted("devices update", device.id);
  VIGIL_RETURN_IF_ERROR(CheckDevice(device, context));
  auto it = mut_->devices.find(device.id);
  if (it == mut_->devices.end()) return In(DeviceNotFound(device.id), context);
  it->second = device;
  return OkStatus();
}

Status Devices::RecordHeartbeat(std::string_view device_id, const model::Heartbeat& heartbeat,
                                std::int64_t received_unix_nanos) {
  const std::string context = Quoted("devices record heartbeat of", device_id);
  VIGIL_RETURN_IF_ERROR(NeedDevice(device_id, context));
  DeviceRecord& device = mut_->devices.find(device_id)->second;
  device.last_seen_unix_nanos = received_unix_nanos;
  device.last_heartbeat = heartbeat;
  return OkStatus();
}

Result<EnrollmentTokenRecord> Devices::FindEnrollmentToken(
    std::span<const std::uint8_t> token_hash) const {
  auto it = state_.tokens.find(std::vector<std::uint8_t>(token_hash.begin(), token_hash.end()));
  if (it == state_.tokens.end()) return EnrollmentTokenNotFound();
  return it->second;
}

Status Devices::AddEnrollmentToken(const EnrollmentTokenRecord& token) {
  const std::string context = Quoted("devices add enrolment token for", token.device_id);
  VIGIL_RETURN_IF_ERROR(CheckEnrollmentToken(token, context));
  VIGIL_RETURN_IF_ERROR(NeedDevice(token.device_id, context));
  if (state_.tokens.contains(token.token_hash)) return AlreadyExists(context, "token hash");
  mut_->tokens.emplace(token.token_hash, token);
  return OkStatus();
}

Status Devices::UseEnrollmentToken(std::span<const std::uint8_t> token_hash,
                                   std::int64_t now_unix) {
  const std::string context = "devices use enrolment token";
  VIGIL_RETURN_IF_ERROR(CheckTimeSet(now_unix, context));
  auto it = mut_->tokens.find(std::vector<std::uint8_t>(token_hash.begin(), token_hash.end()));
  if (it == mut_->tokens.end()) return In(EnrollmentTokenNotFound(), context);
  if (it->second.used_unix != 0) return In(EnrollmentTokenUsed(it->second.used_unix), context);
  it->second.used_unix = now_unix;
  return OkStatus();
}

Result<DeviceCertificateRecord> Devices::GetCertificate(std::string_view serial) const {
  VIGIL_RETURN_IF_ERROR(
      CheckNotEmpty(serial, "certificate serial", Quoted("devices get certificate", serial)));
  auto it = state_.certificates.find(serial);
  if (it == state_.certificates.end()) return CertificateNotFound(serial);
  return it->second;
}

Result<std::vector<DeviceCertificateRecord>> Devices::DeviceCertificates(
    std::string_view device_id) const {
  VIGIL_RETURN_IF_ERROR(NeedDevice(device_id, Quoted("devices certificates of", device_id)));
  std::vector<DeviceCertificateRecord> certificates;
  for (const auto& [serial, certificate] : state_.certificates) {
    if (certificate.device_id == device_id) certificates.push_back(certificate);
  }
  // Stable: equal issue times stay in serial order.
  std::stable_sort(certificates.begin(), certificates.end(),
                   [](const DeviceCertificateRecord& a, const DeviceCertificateRecord& b) {
                     return a.issued_unix > b.issued_unix;
                   });
  return certificates;
}

Result<std::vector<DeviceCertificateRecord>> Devices::RevokedCertificates() const {
  std::vector<DeviceCertificateRecord> revoked;
  for (const auto& [serial, certificate] : state_.certificates) {
    if (certificate.revoked_unix != 0) revoked.push_back(certificate);
  }
  std::stable_sort(revoked.begin(), revoked.end(),
                   [](const DeviceCertificateRecord& a, const DeviceCertificateRecord& b) {
                     return a.revoked_unix < b.revoked_unix;
                   });
  return revoked;
}

Status Devices::AddCertificate(const DeviceCertificateRecord& certificate) {
  const std::string context = Quoted("devices add certificate", certificate.serial);
  VIGIL_RETURN_IF_ERROR(CheckCertificate(certificate, context));
  VIGIL_RETURN_IF_ERROR(NeedDevice(certificate.device_id, context));
  if (state_.certificates.contains(certificate.serial)) {
    return AlreadyExists(context, "certificate serial");
  }
  mut_->certificates.emplace(certificate.serial, certificate);
  return OkStatus();
}

Status Devices::RevokeCertificate(std::string_view serial, std::int64_t now_unix,
                                  std::string_view reason) {
  const std::string context = Quoted("devices revoke certificate", serial);
  VIGIL_RETURN_IF_ERROR(CheckTimeSet(now_unix, context));
  VIGIL_RETURN_IF_ERROR(CheckNotEmpty(serial, "certificate serial", context));
  auto it = mut_->certificates.find(serial);
  if (it == mut_->certificates.end()) return CertificateNotFound(serial);
  if (it->second.revoked_unix != 0) return OkStatus();  // The first revocation stands.
  it->second.revoked_unix = now_unix;
  it->second.revocation_reason = std::string(reason);
  return OkStatus();
}

Result<std::vector<std::int64_t>> Devices::AppendEvents(std::string_view device_id,
                                                        std::span<const model::DeviceEvent> events,
                                                        std::int64_t received_unix_nanos,
                                                        bool flagged) {
  VIGIL_RETURN_IF_ERROR(NeedDevice(device_id, Quoted("devices append events of", device_id)));
  std::vector<std::int64_t> seqs;
  for (const model::DeviceEvent& event : events) {
    const std::int64_t seq = mut_->next_event_seq++;
    mut_->events.push_back(std::make_shared<const StoredDeviceEvent>(
        StoredDeviceEvent{.seq = seq,
                          .device_id = std::string(device_id),
                          .received_unix_nanos = received_unix_nanos,
                          .flagged = flagged,
                          .event = event}));
    seqs.push_back(seq);
  }
  return seqs;
}

Result<std::vector<StoredDeviceEvent>> Devices::DeviceEvents(std::string_view device_id,
                                                             std::int64_t after_seq,
                                                             std::size_t limit) const {
  VIGIL_RETURN_IF_ERROR(NeedDevice(device_id, Quoted("devices events of", device_id)));
  std::vector<StoredDeviceEvent> events;
  auto first =
      std::upper_bound(state_.events.begin(), state_.events.end(), after_seq,
                       [](std::int64_t seq, const auto& event) { return seq < event->seq; });
  for (; first != state_.events.end() && events.size() < limit; ++first) {
    if ((*first)->device_id == device_id) events.push_back(**first);
  }
  return events;
}

Result<std::int64_t> Devices::CountEvents() const {
  return static_cast<std::int64_t>(state_.events.size());
}

}  // namespace vigil::store::memory
