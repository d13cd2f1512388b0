#include "store/sqlite/migrations.h"

#include <string>

namespace vigil::store::sqlite {
namespace {

// Append new migrations at the end; never edit one that has shipped.
//
// audit_log is append-only from Vigil's side but deliberately has no trigger forbidding UPDATE
// or DELETE: tamper evidence comes from the audit module's keyed hash chain, and tests play the
// attacker with raw SQL. secrets uses AUTOINCREMENT so a row id (bound into each sealed value's
// associated data) is never reused by a later secret.
//
// Migration 2 (identity): api_tokens.scopes holds the sorted permission names separated by
// single spaces (names never contain one; the repository refuses any that would). Recovery
// codes keep their insertion order through their INTEGER PRIMARY KEY.
//
// Migration 3 (devices): each device and metric is a series (device_metrics.series), so the
// telemetry tables repeat a small integer, not a device id and a metric name, per row.
// telemetry_recent is the gateway's hot path: one row and one index entry per point, its
// INTEGER PRIMARY KEY giving arrival order. Values are kept as their IEEE 754 bits (value_bits,
// min_bits...): SQLite stores NaN as NULL and a REAL -0.0 as integer 0, and telemetry must
// read back exactly. device_events.seq is AUTOINCREMENT so a seq is never reused, even if
// events are expired one day, and after_seq paging stays correct. Event attributes are a blob
// of length-prefixed key and value strings (device_table.cc). Roll-ups and blocks have an
// index on their start time for ExpireTelemetry; the partial index on revoked certificates
// serves the CRL without scanning the rest.
//
// Migration 4 (observed inventory): an observed device is a JSON body (inventory_json.h) plus
// the columns its filters read: its identified type, its manufacturer lowercased, its last
// sighting and search_text (store/inventory_checks.h SearchText). Findings keep their body as
// JSON too, with the device and both addresses as columns. Addresses are 17-byte keys
// (inventory_checks.h KeyOf) whose BLOB order is IpAddress's, so flow_history's primary key
// orders rows exactly as the in-memory fake does. sensor_findings.device_id is not a foreign
// key: an observed device merged into another goes, its findings stay.
constexpr Migration kMigrations[] = {
    {.version = 1, .sql = R"sql(
CREATE TABLE key_ring (
  version INTEGER PRIMARY KEY,
  wrapped BLOB NOT NULL,
  created_unix INTEGER NOT NULL
);
CREATE TABLE secrets (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  value BLOB NOT NULL,
  key_version INTEGER NOT NULL
);
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  time_unix_ns INTEGER NOT NULL,
  actor_kind TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  details TEXT NOT NULL,
  prev_hash BLOB NOT NULL,
  hash BLOB NOT NULL,
  key_version INTEGER NOT NULL
);
CREATE INDEX audit_log_time ON audit_log (time_unix_ns);
CREATE TABLE audit_checkpoints (
  seq INTEGER PRIMARY KEY,
  hash BLOB NOT NULL,
  time_unix_ns INTEGER NOT NULL,
  signature BLOB NOT NULL
);
PRAGMA application_id = 1449748332;
)sql"},
    {.version = 2, .sql = R"sql(
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  must_change_password INTEGER NOT NULL,
  disabled INTEGER NOT NULL,
  emergency INTEGER NOT NULL,
  mfa_enrolled INTEGER NOT NULL,
  totp_last_step INTEGER NOT NULL,
  failed_logins INTEGER NOT NULL,
  locked_until_unix INTEGER NOT NULL,
  created_unix INTEGER NOT NULL,
  password_changed_unix INTEGER NOT NULL,
  last_login_unix INTEGER NOT NULL
);
CREATE TABLE recovery_codes (
  id INTEGER PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  code_hash BLOB NOT NULL,
  used_unix INTEGER NOT NULL
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);
CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  name TEXT NOT NULL,
  token_hash BLOB NOT NULL UNIQUE,
  scopes TEXT NOT NULL,
  created_unix INTEGER NOT NULL,
  expires_unix INTEGER NOT NULL,
  last_used_unix INTEGER NOT NULL,
  revoked_unix INTEGER NOT NULL
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
)sql"},
    {.version = 3, .sql = R"sql(
CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  manufacturer TEXT NOT NULL,
  model TEXT NOT NULL,
  firmware TEXT NOT NULL,
  criticality TEXT NOT NULL,
  serial TEXT NOT NULL,
  location TEXT NOT NULL,
  quarantined INTEGER NOT NULL,
  created_unix INTEGER NOT NULL,
  last_seen_unix_nanos INTEGER NOT NULL,
  heartbeat_time_unix_nanos INTEGER NOT NULL,
  heartbeat_firmware_version TEXT NOT NULL,
  heartbeat_agent_version TEXT NOT NULL,
  heartbeat_uptime_seconds INTEGER NOT NULL,
  heartbeat_state TEXT NOT NULL,
  heartbeat_spool_dropped INTEGER NOT NULL
);
CREATE INDEX devices_name ON devices (name, id);
CREATE TABLE enrollment_tokens (
  token_hash BLOB PRIMARY KEY,
  device_id TEXT NOT NULL REFERENCES devices (id),
  created_by TEXT NOT NULL,
  created_unix INTEGER NOT NULL,
  expires_unix INTEGER NOT NULL,
  used_unix INTEGER NOT NULL
);
CREATE INDEX enrollment_tokens_device ON enrollment_tokens (device_id);
CREATE TABLE device_certificates (
  serial TEXT PRIMARY KEY,
  device_id TEXT NOT NULL REFERENCES devices (id),
  fingerprint_sha256 TEXT NOT NULL,
  pem TEXT NOT NULL,
  not_before_unix INTEGER NOT NULL,
  not_after_unix INTEGER NOT NULL,
  issued_unix INTEGER NOT NULL,
  revoked_unix INTEGER NOT NULL,
  revocation_reason TEXT NOT NULL
);
CREATE INDEX device_certificates_device ON device_certificates (device_id, issued_unix);
CREATE INDEX device_certificates_revoked ON device_certificates (revoked_unix, serial)
  WHERE revoked_unix != 0;
CREATE TABLE device_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  device_id TEXT NOT NULL REFERENCES devices (id),
  received_unix_nanos INTEGER NOT NULL,
  flagged INTEGER NOT NULL,
  time_unix_nanos INTEGER NOT NULL,
  kind TEXT NOT NULL,
  severity INTEGER NOT NULL,
  message TEXT NOT NULL,
  attributes BLOB NOT NULL
);
CREATE INDEX device_events_device ON device_events (device_id, seq);
CREATE TABLE device_metrics (
  series INTEGER PRIMARY KEY,
  device_id TEXT NOT NULL REFERENCES devices (id),
  name TEXT NOT NULL,
  unit TEXT NOT NULL,
  first_unix_nanos INTEGER NOT NULL,
  last_unix_nanos INTEGER NOT NULL,
  UNIQUE (device_id, name)
);
CREATE TABLE telemetry_recent (
  arrival INTEGER PRIMARY KEY,
  series INTEGER NOT NULL REFERENCES device_metrics (series),
  time_unix_nanos INTEGER NOT NULL,
  value_bits INTEGER NOT NULL
);
CREATE INDEX telemetry_recent_series ON telemetry_recent (series, time_unix_nanos);
CREATE TABLE telemetry_blocks (
  series INTEGER NOT NULL REFERENCES device_metrics (series),
  hour_start_unix_nanos INTEGER NOT NULL,
  count INTEGER NOT NULL,
  first_unix_nanos INTEGER NOT NULL,
  last_unix_nanos INTEGER NOT NULL,
  data BLOB NOT NULL,
  UNIQUE (series, hour_start_unix_nanos)
);
CREATE INDEX telemetry_blocks_hour ON telemetry_blocks (hour_start_unix_nanos);
CREATE TABLE telemetry_rollups (
  series INTEGER NOT NULL REFERENCES device_metrics (series),
  start_unix_nanos INTEGER NOT NULL,
  count INTEGER NOT NULL,
  min_bits INTEGER NOT NULL,
  max_bits INTEGER NOT NULL,
  sum_bits INTEGER NOT NULL,
  PRIMARY KEY (series, start_unix_nanos)
) WITHOUT ROWID;
CREATE INDEX telemetry_rollups_start ON telemetry_rollups (start_unix_nanos);
)sql"},
    {.version = 4, .sql = R"sql(
CREATE TABLE observed_devices (
  id TEXT PRIMARY KEY,
  device_type TEXT NOT NULL,
  manufacturer_lower TEXT NOT NULL,
  last_seen_unix_nanos INTEGER NOT NULL,
  search_text TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX observed_devices_last_seen ON observed_devices (last_seen_unix_nanos, id);
CREATE TABLE sensor_findings (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  device_id TEXT NOT NULL,
  source TEXT NOT NULL,
  time_unix_nanos INTEGER NOT NULL,
  kind TEXT NOT NULL,
  subject_ip BLOB,
  peer_ip BLOB,
  body TEXT NOT NULL
);
CREATE INDEX sensor_findings_time ON sensor_findings (time_unix_nanos);
CREATE INDEX sensor_findings_device ON sensor_findings (device_id, time_unix_nanos);
CREATE INDEX sensor_findings_subject ON sensor_findings (subject_ip, time_unix_nanos);
CREATE INDEX sensor_findings_peer ON sensor_findings (peer_ip, time_unix_nanos);
CREATE TABLE flow_history (
  bucket_unix_nanos INTEGER NOT NULL,
  client BLOB NOT NULL,
  server BLOB NOT NULL,
  server_port INTEGER NOT NULL,
  ip_protocol INTEGER NOT NULL,
  application TEXT NOT NULL,
  flows INTEGER NOT NULL,
  packets INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  PRIMARY KEY (bucket_unix_nanos, client, server, server_port, ip_protocol, application)
) WITHOUT ROWID;
CREATE INDEX flow_history_client ON flow_history (client, bucket_unix_nanos);
CREATE INDEX flow_history_server ON flow_history (server, bucket_unix_nanos);
)sql"},
};

static_assert(kApplicationId == 1449748332, "migration 1 writes kApplicationId in decimal");

constexpr std::string_view kCreateSchemaVersion =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    "version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)";

Error Foreign(const Database& db, std::string_view why) {
  return Error{ErrorCode::kFailedPrecondition, "store: " + db.path().string() +
                                                   " is not a Vigil database (" + std::string(why) +
                                                   "); refusing to modify it"};
}

// Ends the open transaction, if SQLite has not already rolled it back, and passes `error` on.
Error Rollback(Database& db, Error error) {
  if (db.in_transaction()) (void)db.Exec("ROLLBACK");
  return error;
}

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

int LatestSchemaVersion() { return std::span<const Migration>(kMigrations).back().version; }

Result<int> CheckSchema(Database& db, int latest_version) {
  // Reading the header and sqlite_master is the first access to the file: a file that is not
  // an SQLite database fails here with kDataLoss, before anything could be written to it.
  auto app_id = db.QueryInt64("PRAGMA application_id");
  if (!app_id) return tl::unexpected(Annotate(std::move(app_id).error(), "store: check schema"));
  auto has_version_table = db.QueryInt64(
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'");
  if (!has_version_table) {
    return tl::unexpected(Annotate(std::move(has_version_table).error(), "store: check schema"));
  }
  auto objects = db.QueryInt64("SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'");
  if (!objects) return tl::unexpected(Annotate(std::move(objects).error(), "store: check schema"));

  if (app_id->value_or(0) != 0 && app_id->value_or(0) != kApplicationId) {
    return tl::unexpected(Foreign(db, "application_id " + std::to_string(app_id->value_or(0))));
  }
  if (has_version_table->value_or(0) == 0) {
    if (objects->value_or(0) != 0) return tl::unexpected(Foreign(db, "no schema_version table"));
    return 0;
  }
  auto version = db.QueryInt64("SELECT max(version) FROM schema_version");
  if (!version) return tl::unexpected(Annotate(std::move(version).error(), "store: check schema"));
  const std::int64_t current = version->value_or(0);
  if (current > latest_version) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "store: " + db.path().string() + " has schema version " +
                         std::to_string(current) + ", newer than this Vigil knows (" +
                         std::to_string(latest_version) + "); run a newer Vigil");
  }
  return static_cast<int>(current);
}

Result<int> Migrate(Database& db, std::int64_t now_unix) {
  return Migrate(db, now_unix, Migrations());
}

Result<int> Migrate(Database& db, std::int64_t now_unix, std::span<const Migration> migrations) {
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  auto checked = CheckSchema(db, latest);
  if (!checked) return checked;
  int current = *checked;

  for (const Migration& migration : migrations) {
    if (migration.version <= current) continue;
    const std::string context = "store: migration " + std::to_string(migration.version);
    if (auto begun = db.Exec("BEGIN IMMEDIATE"); !begun) {
      return tl::unexpected(Annotate(std::move(begun).error(), context));
    }
    // Another process may have migrated between our check and our lock: check again.
    auto again = CheckSchema(db, latest);
    if (!again) return tl::unexpected(Rollback(db, std::move(again).error()));
    if (*again >= migration.version) {
      current = *again;
      (void)db.Exec("ROLLBACK");
      continue;
    }
    Status applied = db.Exec(kCreateSchemaVersion);
    if (applied) applied = db.Exec(migration.sql);
    if (applied) {
      auto stmt = db.Prepare("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)");
      if (!stmt) {
        applied = tl::unexpected(std::move(stmt).error());
      } else {
        stmt->BindInt64(1, migration.version);
        stmt->BindInt64(2, now_unix);
        applied = stmt->Run();
      }
    }
    if (applied) applied = db.Exec("COMMIT");
    if (!applied)
      return tl::unexpected(Rollback(db, Annotate(std::move(applied).error(), context)));
    current = migration.version;
  }
  return current;
}

}  // namespace vigil::store::sqlite
