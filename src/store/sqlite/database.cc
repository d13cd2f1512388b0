#include "store/sqlite/database.h"

#include <sqlite3.h>

#include <cctype>
#include <utility>

namespace vigil::store::sqlite {
namespace {

std::string Detail(int rc, sqlite3* db) {
  // sqlite3_errmsg() describes the connection's last error, which is `rc` only if nothing has
  // run since; otherwise fall back to the generic text for the code.
  if (db != nullptr && sqlite3_extended_errcode(db) == rc) return sqlite3_errmsg(db);
  return sqlite3_errstr(rc);
}

bool IsBlank(const char* text) {
  for (; *text != '\0'; ++text) {
    if (std::isspace(static_cast<unsigned char>(*text)) == 0) return false;
  }
  return true;
}

}  // namespace

Error SqliteError(int rc, sqlite3* db, const std::filesystem::path& path,
                  std::string_view context) {
  const std::string detail = Detail(rc, db);
  const std::string prefix(context);
  switch (rc & 0xff) {
    case SQLITE_FULL:
      return Error{ErrorCode::kResourceExhausted, prefix + ": disk full (" + detail + ")"};
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Error{ErrorCode::kDataLoss, prefix + ": " + path.string() +
                                             " is not a Vigil database or is corrupt (" + detail +
                                             ")"};
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Error{ErrorCode::kUnavailable, prefix + ": database is busy (" + detail + ")"};
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE) {
        return Error{ErrorCode::kAlreadyExists, prefix + ": already exists (" + detail + ")"};
      }
      return Error{ErrorCode::kInvalidArgument, prefix + ": " + detail};
    case SQLITE_READONLY:
      return Error{ErrorCode::kFailedPrecondition, prefix + ": read-only (" + detail + ")"};
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return Error{ErrorCode::kPermissionDenied, prefix + ": " + detail};
    case SQLITE_CANTOPEN:
      return Error{ErrorCode::kUnavailable,
                   prefix + ": cannot open " + path.string() + " (" + detail + ")"};
    case SQLITE_IOERR:
    case SQLITE_INTERRUPT:
    case SQLITE_PROTOCOL:
      return Error{ErrorCode::kUnavailable, prefix + ": " + detail};
    case SQLITE_NOMEM:
    case SQLITE_TOOBIG:
      return Error{ErrorCode::kResourceExhausted, prefix + ": " + detail};
    default:
      return Error{ErrorCode::kInternal,
                   prefix + ": sqlite error " + std::to_string(rc) + " (" + detail + ")"};
  }
}

// --- Statement ---

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      idle_(std::exchange(other.idle_, nullptr)),
      stmt_(std::exchange(other.stmt_, nullptr)),
      bind_rc_(other.bind_rc_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    Release();
    db_ = std::exchange(other.db_, nullptr);
    idle_ = std::exchange(other.idle_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
    bind_rc_ = other.bind_rc_;
  }
  return *this;
}

Statement::~Statement() { Release(); }

void Statement::Release() {
  if (stmt_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    idle_->push_back(stmt_);
  }
  stmt_ = nullptr;
  idle_ = nullptr;
  db_ = nullptr;
  bind_rc_ = SQLITE_OK;
}

void Statement::BindInt64(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void Statement::BindText(int index, std::string_view value) {
  const int rc =
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void Statement::BindBlob(int index, std::span<const std::uint8_t> value) {
  // A null pointer would bind NULL; an empty value must stay an empty blob.
  static constexpr std::uint8_t kEmpty = 0;
  const void* data = value.empty() ? &kEmpty : value.data();
  const int rc = sqlite3_bind_blob64(stmt_, index, data, value.size(), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void Statement::BindNull(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

Result<bool> Statement::Step() {
  if (bind_rc_ != SQLITE_OK) return tl::unexpected(db_->ErrorFor(bind_rc_, "bind"));
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return tl::unexpected(db_->ErrorFor(rc, sqlite3_sql(stmt_)));
}

Status Statement::Run() {
  while (true) {
    auto row = Step();
    if (!row) return tl::unexpected(std::move(row).error());
    if (!*row) return OkStatus();
  }
}

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::ColumnInt64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string Statement::ColumnText(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (text == nullptr || size <= 0) return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

std::vector<std::uint8_t> Statement::ColumnBlob(int column) const {
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, column));
  const int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr || size <= 0) return {};
  return std::vector<std::uint8_t>(data, data + size);
}

// --- Database ---

Result<std::unique_ptr<Database>> Database::Open(const std::filesystem::path& path, OpenMode mode) {
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  flags |= mode == OpenMode::kReadOnly ? SQLITE_OPEN_READONLY
                                       : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error error = SqliteError(rc, db, path, "open " + path.string());
    sqlite3_close_v2(db);
    return tl::unexpected(std::move(error));
  }
  return std::unique_ptr<Database>(new Database(db, path));
}

Database::~Database() {
  for (auto& [sql, stmts] : idle_) {
    for (sqlite3_stmt* stmt : stmts) sqlite3_finalize(stmt);
  }
  sqlite3_close_v2(db_);
}

Status Database::Exec(std::string_view sql) {
  const std::string text(sql);
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return tl::unexpected(ErrorFor(rc, text));
  return OkStatus();
}

Result<Statement> Database::Prepare(std::string_view sql) {
  std::string key(sql);
  std::vector<sqlite3_stmt*>& idle = idle_[key];
  if (!idle.empty()) {
    sqlite3_stmt* stmt = idle.back();
    idle.pop_back();
    return Statement(this, &idle, stmt);
  }
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v3(db_, key.c_str(), static_cast<int>(key.size() + 1),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
  if (rc != SQLITE_OK) return tl::unexpected(ErrorFor(rc, "prepare " + key));
  if (stmt == nullptr || (tail != nullptr && !IsBlank(tail))) {
    sqlite3_finalize(stmt);
    return MakeError(ErrorCode::kInternal, "prepare: expected exactly one statement: " + key);
  }
  return Statement(this, &idle, stmt);
}

Result<std::optional<std::int64_t>> Database::QueryInt64(std::string_view sql) {
  auto stmt = Prepare(sql);
  if (!stmt) return tl::unexpected(std::move(stmt).error());
  auto row = stmt->Step();
  if (!row) return tl::unexpected(std::move(row).error());
  if (!*row || stmt->ColumnIsNull(0)) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(stmt->ColumnInt64(0));
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

std::int64_t Database::changes() const { return sqlite3_changes64(db_); }

bool Database::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

Error Database::ErrorFor(int rc, std::string_view context) const {
  return SqliteError(rc, db_, path_, context);
}

}  // namespace vigil::store::sqlite
