#include "store/sqlite/inventory_table.h"

#include <string>
#include <utility>

#include "store/inventory_checks.h"
#include "store/sqlite/inventory_json.h"
#include "store/sqlite/query.h"

namespace vigil::store::sqlite {
namespace {

// Rows whose body does not decode come back as kDataLoss from the whole call.
template <typename T>
Result<std::vector<T>> Unwrap(Result<std::vector<Result<T>>> rows) {
  if (!rows) return tl::unexpected(std::move(rows).error());
  std::vector<T> out;
  out.reserve(rows->size());
  for (Result<T>& row : *rows) {
    if (!row) return tl::unexpected(std::move(row).error());
    out.push_back(std::move(*row));
  }
  return out;
}

Result<model::ObservedDevice> ReadDevice(const Statement& stmt) {
  return ParseObservedDeviceBody(stmt.ColumnText(0));
}

Result<StoredFinding> ReadFinding(const Statement& stmt) {
  auto finding = ParseFindingBody(stmt.ColumnText(3));
  if (!finding) return tl::unexpected(std::move(finding).error());
  return StoredFinding{.seq = stmt.ColumnInt64(0),
                       .device_id = stmt.ColumnText(1),
                       .source = stmt.ColumnText(2),
                       .finding = std::move(*finding)};
}

model::FlowAggregate ReadFlow(const Statement& stmt) {
  return model::FlowAggregate{.bucket_start_unix_nanos = stmt.ColumnInt64(0),
                              .client = IpOfKey(stmt.ColumnBlob(1)),
                              .server = IpOfKey(stmt.ColumnBlob(2)),
                              .server_port = static_cast<std::uint16_t>(stmt.ColumnInt64(3)),
                              .ip_protocol = static_cast<std::uint8_t>(stmt.ColumnInt64(4)),
                              .application = stmt.ColumnText(5),
                              .flows = static_cast<std::uint64_t>(stmt.ColumnInt64(6)),
                              .packets = static_cast<std::uint64_t>(stmt.ColumnInt64(7)),
                              .bytes = static_cast<std::uint64_t>(stmt.ColumnInt64(8))};
}

std::int64_t Signed(std::uint64_t value) { return static_cast<std::int64_t>(value); }

// The WHERE clause of a device filter, with its parameters ?1.. bound by BindDeviceFilter.
std::string DeviceWhere(const ObservedDeviceFilter& filter) {
  std::string where = "WHERE 1";
  if (!filter.device_type.empty()) where += " AND device_type = ?1";
  if (!filter.manufacturer.empty()) where += " AND manufacturer_lower = ?2";
  if (filter.last_seen_after_unix_nanos) where += " AND last_seen_unix_nanos >= ?3";
  if (filter.last_seen_before_unix_nanos) where += " AND last_seen_unix_nanos < ?4";
  if (!filter.search.empty()) where += " AND instr(search_text, ?5) > 0";
  return where;
}

// Binds only the parameters DeviceWhere used: SQLite refuses an index above the highest one.
void BindDeviceFilter(Statement& stmt, const ObservedDeviceFilter& filter) {
  if (!filter.device_type.empty()) stmt.BindText(1, filter.device_type);
  if (!filter.manufacturer.empty()) stmt.BindText(2, AsciiLower(filter.manufacturer));
  if (filter.last_seen_after_unix_nanos) stmt.BindInt64(3, *filter.last_seen_after_unix_nanos);
  if (filter.last_seen_before_unix_nanos) stmt.BindInt64(4, *filter.last_seen_before_unix_nanos);
  if (!filter.search.empty()) stmt.BindText(5, AsciiLower(filter.search));
}

void BindKey(Statement& stmt, int index, const IpKey& key) { stmt.BindBlob(index, key); }

}  // namespace

Result<model::ObservedDevice> InventoryTable::GetObservedDevice(std::string_view id) const {
  auto rows = Unwrap(QueryRows<Result<model::ObservedDevice>>(
      db_, "SELECT body FROM observed_devices WHERE id = ?1",
      [&](Statement& s) { s.BindText(1, id); }, ReadDevice, "get observed device"));
  if (!rows) return tl::unexpected(std::move(rows).error());
  if (rows->empty()) return ObservedDeviceNotFound(id);
  return std::move(rows->front());
}

Result<ObservedDevicePage> InventoryTable::ListObservedDevices(
    const ObservedDeviceFilter& filter) const {
  constexpr std::string_view kContext = "list observed devices";
  VIGIL_RETURN_IF_ERROR(CheckDeviceFilter(filter, kContext));
  const std::string where = DeviceWhere(filter);
  auto total = QueryRows<std::int64_t>(
      db_, "SELECT count(*) FROM observed_devices " + where,
      [&](Statement& s) { BindDeviceFilter(s, filter); },
      [](const Statement& s) { return s.ColumnInt64(0); }, kContext);
  if (!total) return tl::unexpected(std::move(total).error());
  auto devices = Unwrap(QueryRows<Result<model::ObservedDevice>>(
      db_,
      "SELECT body FROM observed_devices " + where +
          " ORDER BY last_seen_unix_nanos DESC, id LIMIT ?6 OFFSET ?7",
      [&](Statement& s) {
        BindDeviceFilter(s, filter);
        s.BindInt64(6, static_cast<std::int64_t>(filter.limit));
        s.BindInt64(7, static_cast<std::int64_t>(filter.offset));
      },
      ReadDevice, kContext));
  if (!devices) return tl::unexpected(std::move(devices).error());
  return ObservedDevicePage{.devices = std::move(*devices), .total = total->front()};
}

Result<std::vector<model::ObservedDevice>> InventoryTable::AllObservedDevices() const {
  return Unwrap(QueryRows<Result<model::ObservedDevice>>(
      db_, "SELECT body FROM observed_devices ORDER BY id", [](Statement&) {}, ReadDevice,
      "all observed devices"));
}

Result<std::vector<StoredFinding>> InventoryTable::ListFindings(const FindingFilter& filter) const {
  constexpr std::string_view kContext = "list findings";
  VIGIL_RETURN_IF_ERROR(CheckFindingFilter(filter, kContext));
  std::string sql =
      "SELECT seq, device_id, source, body FROM sensor_findings "
      "WHERE time_unix_nanos >= ?1 AND time_unix_nanos < ?2";
  if (!filter.device_id.empty()) sql += " AND device_id = ?3";
  if (!filter.kind.empty()) sql += " AND kind = ?4";
  if (filter.address) sql += " AND (subject_ip = ?5 OR peer_ip = ?5)";
  sql += " ORDER BY time_unix_nanos DESC, seq DESC LIMIT ?6";
  return Unwrap(QueryRows<Result<StoredFinding>>(
      db_, sql,
      [&](Statement& s) {
        s.BindInt64(1, filter.from_unix_nanos);
        s.BindInt64(2, filter.to_unix_nanos);
        s.BindText(3, filter.device_id);
        s.BindText(4, filter.kind);
        if (filter.address) BindKey(s, 5, KeyOf(*filter.address));
        s.BindInt64(6, static_cast<std::int64_t>(filter.limit));
      },
      ReadFinding, kContext));
}

Result<std::vector<model::FlowAggregate>> InventoryTable::ListFlows(
    const FlowFilter& filter) const {
  constexpr std::string_view kContext = "list flows";
  VIGIL_RETURN_IF_ERROR(CheckFlowFilter(filter, kContext));
  std::string sql =
      "SELECT bucket_unix_nanos, client, server, server_port, ip_protocol, application, flows, "
      "packets, bytes FROM flow_history WHERE bucket_unix_nanos >= ?1 AND bucket_unix_nanos < ?2";
  if (filter.address) sql += " AND (client = ?3 OR server = ?3)";
  sql +=
      " ORDER BY bucket_unix_nanos, client, server, server_port, ip_protocol, application "
      "LIMIT ?4";
  return QueryRows<model::FlowAggregate>(
      db_, sql,
      [&](Statement& s) {
        s.BindInt64(1, filter.from_unix_nanos);
        s.BindInt64(2, filter.to_unix_nanos);
        if (filter.address) BindKey(s, 3, KeyOf(*filter.address));
        s.BindInt64(4, static_cast<std::int64_t>(filter.limit));
      },
      ReadFlow, kContext);
}

Status InventoryTable::UpsertObservedDevice(const model::ObservedDevice& device) {
  constexpr std::string_view kContext = "upsert observed device";
  VIGIL_RETURN_IF_ERROR(CheckObservedDevice(device, kContext));
  return RunStatement(
      db_,
      "INSERT INTO observed_devices (id, device_type, manufacturer_lower, last_seen_unix_nanos, "
      "search_text, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (id) DO UPDATE SET "
      "device_type = excluded.device_type, manufacturer_lower = excluded.manufacturer_lower, "
      "last_seen_unix_nanos = excluded.last_seen_unix_nanos, search_text = excluded.search_text, "
      "body = excluded.body",
      [&](Statement& s) {
        s.BindText(1, device.id);
        s.BindText(2, device.identity.device_type.value);
        s.BindText(3, AsciiLower(device.identity.manufacturer.value));
        s.BindInt64(4, device.last_seen_unix_nanos);
        s.BindText(5, SearchText(device));
        s.BindText(6, ObservedDeviceBody(device));
      },
      kContext);
}

Status InventoryTable::DeleteObservedDevice(std::string_view id) {
  VIGIL_RETURN_IF_ERROR(RunStatement(
      db_, "DELETE FROM observed_devices WHERE id = ?1", [&](Statement& s) { s.BindText(1, id); },
      "delete observed device"));
  if (db_.changes() == 0) return ObservedDeviceNotFound(id);
  return OkStatus();
}

Result<std::vector<std::int64_t>> InventoryTable::AddFindings(
    std::span<const StoredFinding> findings) {
  constexpr std::string_view kContext = "add findings";
  VIGIL_RETURN_IF_ERROR(CheckFindings(findings, kContext));
  return InSavepoint(db_, "sensor_findings", [&]() -> Result<std::vector<std::int64_t>> {
    std::vector<std::int64_t> seqs;
    for (const StoredFinding& row : findings) {
      const model::Finding& f = row.finding;
      VIGIL_RETURN_IF_ERROR(RunStatement(
          db_,
          "INSERT INTO sensor_findings (device_id, source, time_unix_nanos, kind, subject_ip, "
          "peer_ip, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
          [&](Statement& s) {
            s.BindText(1, row.device_id);
            s.BindText(2, row.source);
            s.BindInt64(3, f.time_unix_nanos);
            s.BindText(4, f.kind);
            if (f.subject.ip) {
              BindKey(s, 5, KeyOf(*f.subject.ip));
            } else {
              s.BindNull(5);
            }
            if (f.peer && f.peer->ip) {
              BindKey(s, 6, KeyOf(*f.peer->ip));
            } else {
              s.BindNull(6);
            }
            s.BindText(7, FindingBody(f));
          },
          kContext));
      seqs.push_back(db_.last_insert_rowid());
    }
    return seqs;
  });
}

Status InventoryTable::AddFlows(std::span<const model::FlowAggregate> flows) {
  constexpr std::string_view kContext = "add flows";
  VIGIL_RETURN_IF_ERROR(CheckFlows(flows, kContext));
  return InSavepoint(db_, "flow_history", [&]() -> Status {
    for (const model::FlowAggregate& flow : flows) {
      VIGIL_RETURN_IF_ERROR(RunStatement(
          db_,
          "INSERT INTO flow_history (bucket_unix_nanos, client, server, server_port, ip_protocol, "
          "application, flows, packets, bytes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
          "ON CONFLICT DO UPDATE SET flows = flows + excluded.flows, "
          "packets = packets + excluded.packets, bytes = bytes + excluded.bytes",
          [&](Statement& s) {
            s.BindInt64(1, flow.bucket_start_unix_nanos);
            BindKey(s, 2, KeyOf(flow.client));
            BindKey(s, 3, KeyOf(flow.server));
            s.BindInt64(4, flow.server_port);
            s.BindInt64(5, flow.ip_protocol);
            s.BindText(6, flow.application);
            s.BindInt64(7, Signed(flow.flows));
            s.BindInt64(8, Signed(flow.packets));
            s.BindInt64(9, Signed(flow.bytes));
          },
          kContext));
    }
    return OkStatus();
  });
}

Result<std::int64_t> InventoryTable::DeleteFlowsBefore(std::int64_t before_unix_nanos) {
  VIGIL_RETURN_IF_ERROR(RunStatement(
      db_, "DELETE FROM flow_history WHERE bucket_unix_nanos < ?1",
      [&](Statement& s) { s.BindInt64(1, before_unix_nanos); }, "delete old flows"));
  return db_.changes();
}

}  // namespace vigil::store::sqlite
