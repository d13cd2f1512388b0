#include "store/sqlite/device_table.h"

#include <algorithm>
#include <limits>
#include <string>
#include <utility>

#include "store/device_checks.h"
#include "store/identity_checks.h"
#include "store/sqlite/query.h"

namespace vigil::store::sqlite {
namespace {

std::string SelectDevices(std::string_view rest) {
  return "SELECT id, name, type, manufacturer, model, firmware, criticality, serial, location, "
         "quarantined, created_unix, last_seen_unix_nanos, heartbeat_time_unix_nanos, "
         "heartbeat_firmware_version, heartbeat_agent_version, heartbeat_uptime_seconds, "
         "heartbeat_state, heartbeat_spool_dropped FROM devices " +
         std::string(rest);
}

std::string SelectCertificates(std::string_view rest) {
  return "SELECT serial, device_id, fingerprint_sha256, pem, not_before_unix, not_after_unix, "
         "issued_unix, revoked_unix, revocation_reason FROM device_certificates " +
         std::string(rest);
}

// Columns in SelectDevices() order; parameters ?1..?18 of the device statements likewise.
DeviceRecord ReadDevice(const Statement& stmt) {
  return DeviceRecord{.id = stmt.ColumnText(0),
                      .name = stmt.ColumnText(1),
                      .type = stmt.ColumnText(2),
                      .manufacturer = stmt.ColumnText(3),
                      .model = stmt.ColumnText(4),
                      .firmware = stmt.ColumnText(5),
                      .criticality = stmt.ColumnText(6),
                      .serial = stmt.ColumnText(7),
                      .location = stmt.ColumnText(8),
                      .quarantined = stmt.ColumnInt64(9) != 0,
                      .created_unix = stmt.ColumnInt64(10),
                      .last_seen_unix_nanos = stmt.ColumnInt64(11),
                      .last_heartbeat = model::Heartbeat{.time_unix_nanos = stmt.ColumnInt64(12),
                                                         .firmware_version = stmt.ColumnText(13),
                                                         .agent_version = stmt.ColumnText(14),
                                                         .uptime_seconds = stmt.ColumnInt64(15),
                                                         .state = stmt.ColumnText(16),
                                                         .spool_dropped = stmt.ColumnInt64(17)}};
}

// Parameters ?1 (last seen) and ?2..?7 of the heartbeat columns, starting at `first`.
void BindHeartbeat(Statement& stmt, int first, std::int64_t last_seen,
                   const model::Heartbeat& heartbeat) {
  stmt.BindInt64(first, last_seen);
  stmt.BindInt64(first + 1, heartbeat.time_unix_nanos);
  stmt.BindText(first + 2, heartbeat.firmware_version);
  stmt.BindText(first + 3, heartbeat.agent_version);
  stmt.BindInt64(first + 4, heartbeat.uptime_seconds);
  stmt.BindText(first + 5, heartbeat.state);
  stmt.BindInt64(first + 6, heartbeat.spool_dropped);
}

void BindDevice(Statement& stmt, const DeviceRecord& device) {
  stmt.BindText(1, device.id);
  stmt.BindText(2, device.name);
  stmt.BindText(3, device.type);
  stmt.BindText(4, device.manufacturer);
  stmt.BindText(5, device.model);
  stmt.BindText(6, device.firmware);
  stmt.BindText(7, device.criticality);
  stmt.BindText(8, device.serial);
  stmt.BindText(9, device.location);
  stmt.BindInt64(10, device.quarantined ? 1 : 0);
  stmt.BindInt64(11, device.created_unix);
  BindHeartbeat(stmt, 12, device.last_seen_unix_nanos, device.last_heartbeat);
}

EnrollmentTokenRecord ReadToken(const Statement& stmt) {
  return EnrollmentTokenRecord{.token_hash = stmt.ColumnBlob(0),
                               .device_id = stmt.ColumnText(1),
                               .created_by = stmt.ColumnText(2),
                               .created_unix = stmt.ColumnInt64(3),
                               .expires_unix = stmt.ColumnInt64(4),
                               .used_unix = stmt.ColumnInt64(5)};
}

DeviceCertificateRecord ReadCertificate(const Statement& stmt) {
  return DeviceCertificateRecord{.serial = stmt.ColumnText(0),
                                 .device_id = stmt.ColumnText(1),
                                 .fingerprint_sha256 = stmt.ColumnText(2),
                                 .pem = stmt.ColumnText(3),
                                 .not_before_unix = stmt.ColumnInt64(4),
                                 .not_after_unix = stmt.ColumnInt64(5),
                                 .issued_unix = stmt.ColumnInt64(6),
                                 .revoked_unix = stmt.ColumnInt64(7),
                                 .revocation_reason = stmt.ColumnText(8)};
}

// Event attributes as stored: for each pair, in key order, a varint length and the key's bytes,
// then a varint length and the value's bytes.
void PutString(std::vector<std::uint8_t>& out, std::string_view text) {
  std::size_t size = text.size();
  while (size >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(size | 0x80));
    size >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(size));
  out.insert(out.end(), text.begin(), text.end());
}

std::optional<std::string> TakeString(std::span<const std::uint8_t>& in) {
  std::uint64_t size = 0;
  for (int shift = 0;; shift += 7) {
    if (in.empty() || shift > 56) return std::nullopt;
    const std::uint8_t byte = in.front();
    in = in.subspan(1);
    size |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) break;
  }
  if (size > in.size()) return std::nullopt;
  std::string text(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(size));
  in = in.subspan(static_cast<std::size_t>(size));
  return text;
}

std::vector<std::uint8_t> EncodeAttributes(const std::map<std::string, std::string>& attributes) {
  std::vector<std::uint8_t> out;
  for (const auto& [key, value] : attributes) {
    PutString(out, key);
    PutString(out, value);
  }
  return out;
}

Result<std::map<std::string, std::string>> DecodeAttributes(std::span<const std::uint8_t> in) {
  std::map<std::string, std::string> attributes;
  while (!in.empty()) {
    auto key = TakeString(in);
    auto value = key ? TakeString(in) : std::nullopt;
    if (!value) return MakeError(ErrorCode::kDataLoss, "event attributes are corrupt");
    attributes.emplace(std::move(*key), std::move(*value));
  }
  return attributes;
}

Result<StoredDeviceEvent> ReadEvent(const Statement& stmt) {
  const std::int64_t severity = stmt.ColumnInt64(6);
  if (severity < 0 || severity > static_cast<std::int64_t>(model::EventSeverity::kCritical)) {
    return MakeError(ErrorCode::kDataLoss,
                     "event severity " + std::to_string(severity) + " is out of range");
  }
  auto attributes = DecodeAttributes(stmt.ColumnBlob(8));
  if (!attributes) return tl::unexpected(std::move(attributes).error());
  return StoredDeviceEvent{
      .seq = stmt.ColumnInt64(0),
      .device_id = stmt.ColumnText(1),
      .received_unix_nanos = stmt.ColumnInt64(2),
      .flagged = stmt.ColumnInt64(3) != 0,
      .event = model::DeviceEvent{.time_unix_nanos = stmt.ColumnInt64(4),
                                  .kind = stmt.ColumnText(5),
                                  .severity = static_cast<model::EventSeverity>(severity),
                                  .message = stmt.ColumnText(7),
                                  .attributes = std::move(*attributes)}};
}

void BindNothing(Statement& /*stmt*/) {}

std::string Quoted(std::string_view what, std::string_view name) {
  return std::string(what) + " '" + std::string(name) + "'";
}

// The single row `rows` should hold, or `missing` when it is empty.
template <typename T>
Result<T> Single(Result<std::vector<T>> rows, tl::unexpected<Error> missing) {
  if (!rows) return tl::unexpected(std::move(rows).error());
  if (rows->empty()) return missing;
  return std::move(rows->front());
}

}  // namespace

Status DeviceTable::NeedDevice(std::string_view id, std::string_view context) const {
  VIGIL_RETURN_IF_ERROR(CheckNotEmpty(id, "device id", context));
  auto found = QueryRows<std::int64_t>(
      db_, "SELECT 1 FROM devices WHERE id = ?", [&](Statement& s) { s.BindText(1, id); },
      [](const Statement& s) { return s.ColumnInt64(0); }, context);
  if (!found) return tl::unexpected(std::move(found).error());
  if (found->empty()) return tl::unexpected(Annotate(DeviceNotFound(id).value(), context));
  return OkStatus();
}

Result<DeviceRecord> DeviceTable::GetDevice(std::string_view id) const {
  const std::string context = Quoted("devices get", id);
  VIGIL_RETURN_IF_ERROR(CheckNotEmpty(id, "device id", context));
  return Single(QueryRows<DeviceRecord>(
                    db_, SelectDevices("WHERE id = ?"), [&](Statement& s) { s.BindText(1, id); },
                    ReadDevice, context),
                DeviceNotFound(id));
}

Result<std::vector<DeviceRecord>> DeviceTable::ListDevices() const {
  return QueryRows<DeviceRecord>(db_, SelectDevices("ORDER BY name, id"), BindNothing, ReadDevice,
                                 "devices list");
}

Status DeviceTable::AddDevice(const DeviceRecord& device) {
  const std::string context = Quoted("devices add", device.id);
  VIGIL_RETURN_IF_ERROR(CheckDevice(device, context));
  Status added = RunStatement(
      db_,
      "INSERT INTO devices (id, name, type, manufacturer, model, firmware, criticality, serial, "
      "location, quarantined, created_unix, last_seen_unix_nanos, heartbeat_time_unix_nanos, "
      "heartbeat_firmware_version, heartbeat_agent_version, heartbeat_uptime_seconds, "
      "heartbeat_state, heartbeat_spool_dropped) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
      "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
      [&](Statement& s) { BindDevice(s, device); }, context);
  if (IsDuplicate(added)) return AlreadyExists(context, "device id");
  return added;
}

Status DeviceTable::UpdateDevice(const DeviceRecord& device) {
  const std::string context = Quoted("devices update", device.id);
  VIGIL_RETURN_IF_ERROR(CheckDevice(device, context));
  VIGIL_RETURN_IF_ERROR(RunStatement(
      db_,
      "UPDATE devices SET name = ?2, type = ?3, manufacturer = ?4, model = ?5, firmware = ?6, "
      "criticality = ?7, serial = ?8, location = ?9, quarantined = ?10, created_unix = ?11, "
      "last_seen_unix_nanos = ?12, heartbeat_time_unix_nanos = ?13, "
      "heartbeat_firmware_version = ?14, heartbeat_agent_version = ?15, "
      "heartbeat_uptime_seconds = ?16, heartbeat_state = ?17, heartbeat_spool_dropped = ?18 "
      "WHERE id = ?1",
      [&](Statement& s) { BindDevice(s, device); }, context));
  if (db_.changes() == 0)
    return tl::unexpected(Annotate(DeviceNotFound(device.id).value(), context));
  return OkStatus();
}

Status DeviceTable::RecordHeartbeat(std::string_view device_id, const model::Heartbeat& heartbeat,
                                    std::int64_t received_unix_nanos) {
  const std::string context = Quoted("devices record heartbeat of", device_id);
  VIGIL_RETURN_IF_ERROR(CheckNotEmpty(device_id, "device id", context));
  VIGIL_RETURN_IF_ERROR(RunStatement(
      db_,
      "UPDATE devices SET last_seen_unix_nanos = ?2, heartbeat_time_unix_nanos = ?3, "
      "heartbeat_firmware_version = ?4, heartbeat_agent_version = ?5, "
      "heartbeat_uptime_seconds = ?6, heartbeat_state = ?7, heartbeat_spool_dropped = ?8 "
      "WHERE id = ?1",
      [&](Statement& s) {
        s.BindText(1, device_id);
        BindHeartbeat(s, 2, received_unix_nanos, heartbeat);
      },
      context));
  if (db_.changes() == 0)
    return tl::unexpected(Annotate(DeviceNotFound(device_id).value(), context));
  return OkStatus();
}

Result<EnrollmentTokenRecord> DeviceTable::FindEnrollmentToken(
    std::span<const std::uint8_t> token_hash) const {
  return Single(QueryRows<EnrollmentTokenRecord>(
                    db_,
                    "SELECT token_hash, device_id, created_by, created_unix, expires_unix, "
                    "used_unix FROM enrollment_tokens WHERE token_hash = ?",
                    [&](Statement& s) { s.BindBlob(1, token_hash); }, ReadToken,
                    "devices find enrolment token"),
                EnrollmentTokenNotFound());
}

Status DeviceTable::AddEnrollmentToken(const EnrollmentTokenRecord& token) {
  const std::string context = Quoted("devices add enrolment token for", token.device_id);
  VIGIL_RETURN_IF_ERROR(CheckEnrollmentToken(token, context));
  VIGIL_RETURN_IF_ERROR(NeedDevice(token.device_id, context));
  Status added = RunStatement(
      db_,
      "INSERT INTO enrollment_tokens (token_hash, device_id, created_by, created_unix, "
      "expires_unix, used_unix) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
      [&](Statement& s) {
        s.BindBlob(1, token.token_hash);
        s.BindText(2, token.device_id);
        s.BindText(3, token.created_by);
        s.BindInt64(4, token.created_unix);
        s.BindInt64(5, token.expires_unix);
        s.BindInt64(6, token.used_unix);
      },
      context);
  if (IsDuplicate(added)) return AlreadyExists(context, "token hash");
  return added;
}

Status DeviceTable::UseEnrollmentToken(std::span<const std::uint8_t> token_hash,
                                       std::int64_t now_unix) {
  const std::string context = "devices use enrolment token";
  VIGIL_RETURN_IF_ERROR(CheckTimeSet(now_unix, context));
  auto token = FindEnrollmentToken(token_hash);
  if (!token) return tl::unexpected(Annotate(std::move(token).error(), context));
  if (token->used_unix != 0) {
    return tl::unexpected(Annotate(EnrollmentTokenUsed(token->used_unix).value(), context));
  }
  return RunStatement(
      db_, "UPDATE enrollment_tokens SET used_unix = ?2 WHERE token_hash = ?1 AND used_unix = 0",
      [&](Statement& s) {
        s.BindBlob(1, token_hash);
        s.BindInt64(2, now_unix);
      },
      context);
}

Result<DeviceCertificateRecord> DeviceTable::GetCertificate(std::string_view serial) const {
  const std::string context = Quoted("devices get certificate", serial);
  VIGIL_RETURN_IF_ERROR(CheckNotEmpty(serial, "certificate serial", context));
  return Single(QueryRows<DeviceCertificateRecord>(
                    db_, SelectCertificates("WHERE serial = ?"),
                    [&](Statement& s) { s.BindText(1, serial); }, ReadCertificate, context),
                CertificateNotFound(serial));
}

Result<std::vector<DeviceCertificateRecord>> DeviceTable::DeviceCertificates(
    std::string_view device_id) const {
  const std::string context = Quoted("devices certificates of", device_id);
  VIGIL_RETURN_IF_ERROR(NeedDevice(device_id, context));
  return QueryRows<DeviceCertificateRecord>(
      db_, SelectCertificates("WHERE device_id = ? ORDER BY issued_unix DESC, serial"),
      [&](Statement& s) { s.BindText(1, device_id); }, ReadCertificate, context);
}

Result<std::vector<DeviceCertificateRecord>> DeviceTable::RevokedCertificates() const {
  // The WHERE term matches the partial index device_certificates_revoked exactly.
  return QueryRows<DeviceCertificateRecord>(
      db_, SelectCertificates("WHERE revoked_unix != 0 ORDER BY revoked_unix, serial"), BindNothing,
      ReadCertificate, "devices revoked certificates");
}

Status DeviceTable::AddCertificate(const DeviceCertificateRecord& certificate) {
  const std::string context = Quoted("devices add certificate", certificate.serial);
  VIGIL_RETURN_IF_ERROR(CheckCertificate(certificate, context));
  VIGIL_RETURN_IF_ERROR(NeedDevice(certificate.device_id, context));
  Status added = RunStatement(
      db_,
      "INSERT INTO device_certificates (serial, device_id, fingerprint_sha256, pem, "
      "not_before_unix, not_after_unix, issued_unix, revoked_unix, revocation_reason) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
      [&](Statement& s) {
        s.BindText(1, certificate.serial);
        s.BindText(2, certificate.device_id);
        s.BindText(3, certificate.fingerprint_sha256);
        s.BindText(4, certificate.pem);
        s.BindInt64(5, certificate.not_before_unix);
        s.BindInt64(6, certificate.not_after_unix);
        s.BindInt64(7, certificate.issued_unix);
        s.BindInt64(8, certificate.revoked_unix);
        s.BindText(9, certificate.revocation_reason);
      },
      context);
  if (IsDuplicate(added)) return AlreadyExists(context, "certificate serial");
  return added;
}

Status DeviceTable::RevokeCertificate(std::string_view serial, std::int64_t now_unix,
                                      std::string_view reason) {
  const std::string context = Quoted("devices revoke certificate", serial);
  VIGIL_RETURN_IF_ERROR(CheckTimeSet(now_unix, context));
  auto certificate = GetCertificate(serial);
  if (!certificate) return tl::unexpected(std::move(certificate).error());
  if (certificate->revoked_unix != 0) return OkStatus();  // The first revocation stands.
  return RunStatement(
      db_,
      "UPDATE device_certificates SET revoked_unix = ?2, revocation_reason = ?3 "
      "WHERE serial = ?1 AND revoked_unix = 0",
      [&](Statement& s) {
        s.BindText(1, serial);
        s.BindInt64(2, now_unix);
        s.BindText(3, reason);
      },
      context);
}

Result<std::vector<std::int64_t>> DeviceTable::AppendEvents(
    std::string_view device_id, std::span<const model::DeviceEvent> events,
    std::int64_t received_unix_nanos, bool flagged) {
  const std::string context = Quoted("devices append events of", device_id);
  VIGIL_RETURN_IF_ERROR(NeedDevice(device_id, context));
  return InSavepoint(db_, "device_events", [&]() -> Result<std::vector<std::int64_t>> {
    std::vector<std::int64_t> seqs;
    seqs.reserve(events.size());
    for (const model::DeviceEvent& event : events) {
      VIGIL_RETURN_IF_ERROR(RunStatement(
          db_,
          "INSERT INTO device_events (device_id, received_unix_nanos, flagged, "
          "time_unix_nanos, kind, severity, message, attributes) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
          [&](Statement& s) {
            s.BindText(1, device_id);
            s.BindInt64(2, received_unix_nanos);
            s.BindInt64(3, flagged ? 1 : 0);
            s.BindInt64(4, event.time_unix_nanos);
            s.BindText(5, event.kind);
            s.BindInt64(6, static_cast<std::int64_t>(event.severity));
            s.BindText(7, event.message);
            s.BindBlob(8, EncodeAttributes(event.attributes));
          },
          context));
      seqs.push_back(db_.last_insert_rowid());
    }
    return seqs;
  });
}

Result<std::vector<StoredDeviceEvent>> DeviceTable::DeviceEvents(std::string_view device_id,
                                                                 std::int64_t after_seq,
                                                                 std::size_t limit) const {
  const std::string context = Quoted("devices events of", device_id);
  VIGIL_RETURN_IF_ERROR(NeedDevice(device_id, context));
  const auto max = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
  auto rows = QueryRows<Result<StoredDeviceEvent>>(
      db_,
      "SELECT seq, device_id, received_unix_nanos, flagged, time_unix_nanos, kind, severity, "
      "message, attributes FROM device_events WHERE device_id = ?1 AND seq > ?2 ORDER BY seq "
      "LIMIT ?3",
      [&](Statement& s) {
        s.BindText(1, device_id);
        s.BindInt64(2, after_seq);
        s.BindInt64(3, static_cast<std::int64_t>(std::min(limit, max)));
      },
      ReadEvent, context);
  if (!rows) return tl::unexpected(std::move(rows).error());
  std::vector<StoredDeviceEvent> events;
  events.reserve(rows->size());
  for (auto& row : *rows) {
    if (!row) return tl::unexpected(Annotate(std::move(row).error(), context));
    events.push_back(std::move(*row));
  }
  return events;
}

Result<std::int64_t> DeviceTable::CountEvents() const {
  auto count = db_.QueryInt64("SELECT count(*) FROM device_events");
  if (!count) return tl::unexpected(Annotate(std::move(count).error(), "devices count events"));
  return count->value_or(0);
}

}  // namespace vigil::store::sqlite
