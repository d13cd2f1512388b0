#pragma once

// Database and Statement: RAII wrappers over one SQLite connection and its prepared statements.
// Together with the backup code in sqlite_store.cc this is the only code that calls sqlite3_*.
//
// Every SQLite result code is turned into a vigil::Error here (SqliteError), once:
//   SQLITE_FULL                      -> kResourceExhausted ("... disk full ...")
//   SQLITE_CORRUPT, SQLITE_NOTADB    -> kDataLoss ("<path> is not a Vigil database or is corrupt")
//   SQLITE_BUSY, SQLITE_LOCKED       -> kUnavailable (another connection holds the lock)
//   PRIMARY KEY / UNIQUE violations  -> kAlreadyExists; other constraint violations
//   kInvalidArgument SQLITE_READONLY                  -> kFailedPrecondition; SQLITE_IOERR,
//   CANTOPEN -> kUnavailable
//
// Statements are cached per connection: Prepare() hands out a lease on a prepared statement and
// the lease resets it and gives it back when destroyed, so a statement never stays mid-step and
// never pins a read snapshot. Leases must not outlive their Database.
//
// Thread safety: none. A Database and its statements are used by one thread at a time (the store
// gives each connection to one thread: the writer thread, or the reader that leased it).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace vigil::store::sqlite {

class Database;

// The Error for SQLite result code `rc` on `db` (may be null), with `context` in front:
// "store write: disk full (database or disk is full)".
Error SqliteError(int rc, sqlite3* db, const std::filesystem::path& path, std::string_view context);

// A lease on one prepared statement of a Database. Bind errors are kept and reported by the next
// Step() or Run(). Column indexes start at 0, parameter indexes at 1 (as in SQLite).
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  void BindInt64(int index, std::int64_t value);
  void BindText(int index, std::string_view value);
  void BindBlob(int index, std::span<const std::uint8_t> value);
  void BindNull(int index);

  // Advances to the next row: true when a row is ready, false when the statement is done.
  Result<bool> Step();
  // Steps until done; for statements that return no rows.
  Status Run();

  bool ColumnIsNull(int column) const;
  std::int64_t ColumnInt64(int column) const;
  std::string ColumnText(int column) const;                // Empty for NULL.
  std::vector<std::uint8_t> ColumnBlob(int column) const;  // Empty for NULL.

 private:
  friend class Database;
  Statement(Database* db, std::vector<sqlite3_stmt*>* idle, sqlite3_stmt* stmt)
      : db_(db), idle_(idle), stmt_(stmt) {}
  void Release();

  Database* db_ = nullptr;
  std::vector<sqlite3_stmt*>* idle_ = nullptr;  // Where the statement goes back to.
  sqlite3_stmt* stmt_ = nullptr;
  int bind_rc_ = 0;  // First failed bind, reported by Step().
};

enum class OpenMode {
  kReadWriteCreate,  // Creates the file if it does not exist.
  kReadOnly,         // The file must exist; nothing is ever written through this connection.
};

class Database {
 public:
  // Opens a connection. SQLite reads the file lazily, so a file that is not a database is
  // reported by the first statement (kDataLoss), not here.
  static Result<std::unique_ptr<Database>> Open(const std::filesystem::path& path, OpenMode mode);

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs one or more statements that take no parameters, discarding any rows.
  Status Exec(std::string_view sql);

  // A lease on the prepared statement for `sql` (exactly one statement), cached by its text.
  Result<Statement> Prepare(std::string_view sql);

  // The single integer (or NULL as nullopt) returned by `sql`, or nullopt when it returns no row.
  Result<std::optional<std::int64_t>> QueryInt64(std::string_view sql);

  std::int64_t last_insert_rowid() const;
  std::int64_t changes() const;  // Rows changed by the last INSERT, UPDATE or DELETE.
  bool in_transaction() const;   // False once SQLite has rolled a transaction back by itself.
  const std::filesystem::path& path() const { return path_; }
  sqlite3* handle() const { return db_; }

  // SqliteError() for this connection.
  Error ErrorFor(int rc, std::string_view context) const;

 private:
  Database(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::filesystem::path path_;
  // Idle prepared statements by SQL text. Node-based, so a lease's pointer to its vector stays
  // valid while other entries are added.
  std::unordered_map<std::string, std::vector<sqlite3_stmt*>> idle_;
};

}  // namespace vigil::store::sqlite
