#include "store/sqlite/audit_table.h"

#include <limits>
#include <string>
#include <utility>

namespace vigil::store::sqlite {
namespace {

// Whole statements as constants: the connection caches prepared statements by their text, so
// building the text per call would cost an allocation on every append.
#define VIGIL_AUDIT_COLUMNS \
  "seq, time_unix_ns, actor_kind, actor, action, target, details, prev_hash, hash, key_version"
constexpr std::string_view kHeadSql = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
constexpr std::string_view kScanSql =
    "SELECT " VIGIL_AUDIT_COLUMNS " FROM audit_log WHERE seq >= ? AND seq <= ? ORDER BY seq";
constexpr std::string_view kScanSinceSql =
    "SELECT " VIGIL_AUDIT_COLUMNS " FROM audit_log WHERE time_unix_ns >= ? ORDER BY seq";
constexpr std::string_view kInsertSql =
    "INSERT INTO audit_log (" VIGIL_AUDIT_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
#undef VIGIL_AUDIT_COLUMNS

Result<AuditRow> ReadRow(const Statement& stmt) {
  AuditRow row{
      .seq = stmt.ColumnInt64(0),
      .time_unix_ns = stmt.ColumnInt64(1),
      .actor_kind = stmt.ColumnText(2),
      .actor = stmt.ColumnText(3),
      .action = stmt.ColumnText(4),
      .target = stmt.ColumnText(5),
      .details_json = stmt.ColumnText(6),
      .prev_hash = stmt.ColumnBlob(7),
      .hash = stmt.ColumnBlob(8),
  };
  const std::int64_t key_version = stmt.ColumnInt64(9);
  if (key_version < 0 || key_version > std::numeric_limits<std::uint32_t>::max()) {
    return MakeError(ErrorCode::kDataLoss, "audit log: seq " + std::to_string(row.seq) +
                                               ": key_version " + std::to_string(key_version) +
                                               " out of range");
  }
  row.key_version = static_cast<std::uint32_t>(key_version);
  return row;
}

AuditCheckpoint ReadCheckpoint(const Statement& stmt) {
  return AuditCheckpoint{.seq = stmt.ColumnInt64(0),
                         .hash = stmt.ColumnBlob(1),
                         .time_unix_ns = stmt.ColumnInt64(2),
                         .signature = stmt.ColumnBlob(3)};
}

// Steps `stmt` and hands each row to `visit` until it returns false.
Status VisitRows(Statement& stmt, const std::function<bool(const AuditRow&)>& visit,
                 std::string_view context) {
  while (true) {
    auto has_row = stmt.Step();
    if (!has_row) return tl::unexpected(Annotate(std::move(has_row).error(), context));
    if (!*has_row) return OkStatus();
    auto row = ReadRow(stmt);
    if (!row) return tl::unexpected(std::move(row).error());
    if (!visit(*row)) return OkStatus();
  }
}

Error Context(Error error, std::string_view context) { return Annotate(std::move(error), context); }

}  // namespace

Result<std::optional<AuditHead>> AuditTable::Head() const {
  auto stmt = db_.Prepare(kHeadSql);
  if (!stmt) return tl::unexpected(Context(std::move(stmt).error(), "audit head"));
  auto has_row = stmt->Step();
  if (!has_row) return tl::unexpected(Context(std::move(has_row).error(), "audit head"));
  if (!*has_row) return std::optional<AuditHead>();
  return std::optional<AuditHead>(
      AuditHead{.seq = stmt->ColumnInt64(0), .hash = stmt->ColumnBlob(1)});
}

Status AuditTable::Scan(std::int64_t first, std::int64_t last,
                        const std::function<bool(const AuditRow&)>& visit) const {
  auto stmt = db_.Prepare(kScanSql);
  if (!stmt) return tl::unexpected(Context(std::move(stmt).error(), "audit scan"));
  stmt->BindInt64(1, first);
  stmt->BindInt64(2, last < 0 ? std::numeric_limits<std::int64_t>::max() : last);
  return VisitRows(*stmt, visit, "audit scan");
}

Status AuditTable::ScanSince(std::int64_t since_unix_ns,
                             const std::function<bool(const AuditRow&)>& visit) const {
  auto stmt = db_.Prepare(kScanSinceSql);
  if (!stmt) return tl::unexpected(Context(std::move(stmt).error(), "audit scan since"));
  stmt->BindInt64(1, since_unix_ns);
  return VisitRows(*stmt, visit, "audit scan since");
}

Result<std::int64_t> AuditTable::Count() const {
  auto count = db_.QueryInt64("SELECT count(*) FROM audit_log");
  if (!count) return tl::unexpected(Context(std::move(count).error(), "audit count"));
  return count->value_or(0);
}

Result<std::optional<AuditCheckpoint>> AuditTable::LastCheckpoint() const {
  auto stmt = db_.Prepare(
      "SELECT seq, hash, time_unix_ns, signature FROM audit_checkpoints "
      "ORDER BY seq DESC LIMIT 1");
  if (!stmt) return tl::unexpected(Context(std::move(stmt).error(), "audit last checkpoint"));
  auto has_row = stmt->Step();
  if (!has_row) {
    return tl::unexpected(Context(std::move(has_row).error(), "audit last checkpoint"));
  }
  if (!*has_row) return std::optional<AuditCheckpoint>();
  return std::optional<AuditCheckpoint>(ReadCheckpoint(*stmt));
}

Result<std::vector<AuditCheckpoint>> AuditTable::Checkpoints() const {
  auto stmt =
      db_.Prepare("SELECT seq, hash, time_unix_ns, signature FROM audit_checkpoints ORDER BY seq");
  if (!stmt) return tl::unexpected(Context(std::move(stmt).error(), "audit checkpoints"));
  std::vector<AuditCheckpoint> result;
  while (true) {
    auto has_row = stmt->Step();
    if (!has_row) return tl::unexpected(Context(std::move(has_row).error(), "audit checkpoints"));
    if (!*has_row) return result;
    result.push_back(ReadCheckpoint(*stmt));
  }
}

Status AuditTable::Append(const AuditRow& row) {
  // The context is built only on failure: this runs once per audit entry.
  const auto context = [&] { return "audit append seq " + std::to_string(row.seq); };
  auto stmt = db_.Prepare(kInsertSql);
  if (!stmt) return tl::unexpected(Context(std::move(stmt).error(), context()));
  stmt->BindInt64(1, row.seq);
  stmt->BindInt64(2, row.time_unix_ns);
  stmt->BindText(3, row.actor_kind);
  stmt->BindText(4, row.actor);
  stmt->BindText(5, row.action);
  stmt->BindText(6, row.target);
  stmt->BindText(7, row.details_json);
  stmt->BindBlob(8, row.prev_hash);
  stmt->BindBlob(9, row.hash);
  stmt->BindInt64(10, row.key_version);
  if (auto done = stmt->Run(); !done)
    return tl::unexpected(Context(std::move(done).error(), context()));
  return OkStatus();
}

Status AuditTable::AddCheckpoint(const AuditCheckpoint& checkpoint) {
  const std::string context = "audit checkpoint seq " + std::to_string(checkpoint.seq);
  auto stmt = db_.Prepare(
      "INSERT INTO audit_checkpoints (seq, hash, time_unix_ns, signature) VALUES (?, ?, ?, ?)");
  if (!stmt) return tl::unexpected(Context(std::move(stmt).error(), context));
  stmt->BindInt64(1, checkpoint.seq);
  stmt->BindBlob(2, checkpoint.hash);
  stmt->BindInt64(3, checkpoint.time_unix_ns);
  stmt->BindBlob(4, checkpoint.signature);
  if (auto done = stmt->Run(); !done)
    return tl::unexpected(Context(std::move(done).error(), context));
  return OkStatus();
}

}  // namespace vigil::store::sqlite
