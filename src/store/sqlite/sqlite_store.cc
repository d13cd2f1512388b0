#include "store/sqlite/sqlite_store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <future>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

#include "store/run_callback.h"
#include "store/sqlite/audit_table.h"
#include "store/sqlite/database.h"
#include "store/sqlite/device_table.h"
#include "store/sqlite/identity_table.h"
#include "store/sqlite/inventory_table.h"
#include "store/sqlite/key_ring_table.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/secrets_table.h"

namespace vigil::store::sqlite {
namespace {

namespace fs = std::filesystem;

class WriteTx final : public Transaction {
 public:
  WriteTx(Database& db, const crypto::KeyRing* ring)
      : audit_(db), keys_(db), secrets_(db, ring), identity_(db), devices_(db), inventory_(db) {}
  AuditRepo& audit() override { return audit_; }
  KeyRepo& keys() override { return keys_; }
  SecretRepo& secrets() override { return secrets_; }
  IdentityRepo& identity() override { return identity_; }
  DeviceRepo& devices() override { return devices_; }
  InventoryRepo& inventory() override { return inventory_; }

 private:
  AuditTable audit_;
  KeyRingTable keys_;
  SecretsTable secrets_;
  IdentityTable identity_;
  DeviceTable devices_;
  InventoryTable inventory_;
};

class ReadTx final : public ReadTransaction {
 public:
  ReadTx(Database& db, const crypto::KeyRing* ring)
      : audit_(db), keys_(db), secrets_(db, ring), identity_(db), devices_(db), inventory_(db) {}
  const AuditReader& audit() override { return audit_; }
  const KeyReader& keys() override { return keys_; }
  const SecretReader& secrets() override { return secrets_; }
  const IdentityReader& identity() override { return identity_; }
  const DeviceReader& devices() override { return devices_; }
  const InventoryReader& inventory() override { return inventory_; }

 private:
  AuditTable audit_;
  KeyRingTable keys_;
  SecretsTable secrets_;
  IdentityTable identity_;
  DeviceTable devices_;
  InventoryTable inventory_;
};

std::int64_t SystemNowUnix() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Error Errno(std::string_view context, const fs::path& path, int err) {
  const ErrorCode code = err == EEXIST                   ? ErrorCode::kAlreadyExists
                         : err == EACCES || err == EPERM ? ErrorCode::kPermissionDenied
                         : err == ENOSPC                 ? ErrorCode::kResourceExhausted
                         : err == ENOENT                 ? ErrorCode::kNotFound
                                                         : ErrorCode::kUnavailable;
  return Error{code, std::string(context) + ": " + path.string() + ": " + std::strerror(err)};
}

// Creates `path` empty with mode 0600 if it does not exist; SQLite gives its -wal and -shm
// files the same mode. An existing file is left alone.
Status CreatePrivateFile(const fs::path& path, bool must_be_new) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
    return OkStatus();
  }
  if (errno == EEXIST && !must_be_new) return OkStatus();
  return tl::unexpected(Errno("store: create", path, errno));
}

// Runs `sql`, a PRAGMA that answers with one text value, and returns that value.
Result<std::string> PragmaText(Database& db, std::string_view sql) {
  auto stmt = db.Prepare(sql);
  if (!stmt) return tl::unexpected(std::move(stmt).error());
  auto has_row = stmt->Step();
  if (!has_row) return tl::unexpected(std::move(has_row).error());
  return *has_row ? stmt->ColumnText(0) : std::string();
}

Status ConfigureWriter(Database& db, const Options& options) {
  // journal_mode=WAL is the first statement that may write to the file; CheckSchema() has
  // already refused files that are not ours.
  auto mode = PragmaText(db, "PRAGMA journal_mode = WAL");
  if (!mode) return tl::unexpected(Annotate(std::move(mode).error(), "store: enable wal"));
  if (*mode != "wal") {
    return MakeError(
        ErrorCode::kFailedPrecondition,
        "store: " + db.path().string() + ": cannot enable WAL (journal mode " + *mode + ")");
  }
  VIGIL_RETURN_IF_ERROR(db.Exec("PRAGMA synchronous = FULL"));
  VIGIL_RETURN_IF_ERROR(db.Exec("PRAGMA foreign_keys = ON"));
  // Keeps the WAL from staying large after a burst once it has been checkpointed.
  VIGIL_RETURN_IF_ERROR(db.Exec("PRAGMA journal_size_limit = 67108864"));
  if (options.max_page_count > 0) {
    auto cap = db.QueryInt64("PRAGMA max_page_count = " + std::to_string(options.max_page_count));
    if (!cap) return tl::unexpected(std::move(cap).error());
  }
  return OkStatus();
}

Result<std::unique_ptr<Database>> OpenReader(const fs::path& path, const Options& options) {
  auto db = Database::Open(path, OpenMode::kReadOnly);
  if (!db) return db;
  VIGIL_RETURN_IF_ERROR(
      (*db)->Exec("PRAGMA busy_timeout = " + std::to_string(options.busy_timeout.count())));
  VIGIL_RETURN_IF_ERROR((*db)->Exec("PRAGMA query_only = ON"));
  return db;
}

}  // namespace

// A queued write. Write() keeps it on its stack and waits on `done`; WriteAsync() allocates it,
// owns the callback in `owned_fn`, and the writer calls `on_done` and deletes it.
struct SqliteStore::Request {
  const WriteFn* fn = nullptr;
  Durability durability = Durability::kFull;
  std::promise<Status> done;
  WriteFn owned_fn;
  WriteDone on_done;
};

// A reader connection taken from the pool for one Read() or Backup(), given back when destroyed.
class SqliteStore::ReaderLease {
 public:
  ReaderLease(const SqliteStore& store, Database* db) : store_(store), db_(db) {}
  ReaderLease(const ReaderLease&) = delete;
  ReaderLease& operator=(const ReaderLease&) = delete;
  ~ReaderLease() { store_.ReturnReader(db_); }
  Database& db() { return *db_; }

 private:
  const SqliteStore& store_;
  Database* db_;
};

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const fs::path& path, Options options) {
  if (options.readers < 1 || options.max_queued_writes == 0 || options.max_batch == 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "store: readers, max_queued_writes and max_batch must be at least 1");
  }
  VIGIL_RETURN_IF_ERROR(CreatePrivateFile(path, /*must_be_new=*/false));
  auto db = Database::Open(path, OpenMode::kReadWriteCreate);
  if (!db) return tl::unexpected(std::move(db).error());
  VIGIL_RETURN_IF_ERROR(
      (*db)->Exec("PRAGMA busy_timeout = " + std::to_string(options.busy_timeout.count())));
  // Refuse foreign, corrupt and newer files before anything (even WAL mode) touches them.
  if (auto checked = CheckSchema(**db); !checked) return tl::unexpected(std::move(checked).error());
  VIGIL_RETURN_IF_ERROR(ConfigureWriter(**db, options));
  const std::int64_t now = options.now_unix ? options.now_unix() : SystemNowUnix();
  auto version = Migrate(**db, now);
  if (!version) return tl::unexpected(std::move(version).error());

  std::vector<std::unique_ptr<Database>> readers;
  for (int i = 0; i < options.readers; ++i) {
    auto reader = OpenReader(path, options);
    if (!reader) return tl::unexpected(Annotate(std::move(reader).error(), "store: open reader"));
    readers.push_back(std::move(*reader));
  }

  std::unique_ptr<SqliteStore> store(
      new SqliteStore(path, std::move(options), *version, std::move(*db), std::move(readers)));
  try {
    store->writer_ = std::thread([s = store.get()] { s->WriterLoop(); });
  } catch (const std::system_error& e) {
    return MakeError(ErrorCode::kResourceExhausted,
                     std::string("store: cannot start the writer thread: ") + e.what());
  }
  store->writer_id_.store(store->writer_.get_id());
  return store;
}

SqliteStore::SqliteStore(fs::path path, Options options, int schema_version,
                         std::unique_ptr<Database> writer,
                         std::vector<std::unique_ptr<Database>> readers)
    : path_(std::move(path)),
      options_(std::move(options)),
      schema_version_(schema_version),
      db_(std::move(writer)),
      readers_(std::move(readers)) {
  for (const auto& reader : readers_) idle_.push_back(reader.get());
}

SqliteStore::~SqliteStore() { (void)Close(); }

Status SqliteStore::Close() {
  if (std::this_thread::get_id() == writer_id_.load()) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "store close: called from inside a write callback");
  }
  std::lock_guard close_lock(close_mu_);
  if (closed_) return OkStatus();
  closed_ = true;
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  work_cv_.notify_all();
  space_cv_.notify_all();
  if (writer_.joinable()) writer_.join();
  writer_id_.store(std::thread::id());  // Thread ids are reused once a thread has ended.
  {
    std::unique_lock lock(pool_mu_);
    readers_closed_ = true;
    pool_cv_.notify_all();
    pool_cv_.wait(lock, [&] { return idle_.size() == readers_.size(); });
    idle_.clear();
  }
  readers_.clear();
  // The writer is now the last connection: fold the WAL into the database file, so the file
  // alone is the whole store (SQLite then removes the -wal and -shm files on close).
  Status status;
  if (db_ != nullptr) {
    status = db_->Exec("PRAGMA wal_checkpoint(TRUNCATE)");
    db_.reset();
  }
  if (!status) return tl::unexpected(Annotate(std::move(status).error(), "store close"));
  return OkStatus();
}

Stats SqliteStore::stats() const {
  Stats stats{.writes = writes_.load(),
              .failed_writes = failed_writes_.load(),
              .commits = commits_.load(),
              .full_commits = full_commits_.load()};
  std::lock_guard lock(mu_);
  stats.queued = static_cast<std::int64_t>(queue_.size());
  return stats;
}

// --- Writes ---

Status SqliteStore::Write(const WriteFn& fn, Durability durability) {
  if (std::this_thread::get_id() == writer_id_.load()) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "store write: called from inside a write callback (it would wait for itself)");
  }
  Request request{.fn = &fn, .durability = durability};
  std::future<Status> done = request.done.get_future();
  bool wake = false;
  {
    std::unique_lock lock(mu_);
    space_cv_.wait(lock, [&] { return closing_ || queue_.size() < options_.max_queued_writes; });
    if (closing_) return MakeError(ErrorCode::kUnavailable, "store write: the store is closing");
    queue_.push_back(&request);
    wake = writer_idle_;
  }
  if (wake) work_cv_.notify_one();
  return done.get();
}

void SqliteStore::WriteAsync(WriteFn fn, Durability durability, WriteDone done) {
  auto request = std::make_unique<Request>();
  request->owned_fn = std::move(fn);
  request->fn = &request->owned_fn;
  request->durability = durability;
  request->on_done = std::move(done);
  bool closing = false;
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    closing = closing_;
    if (!closing && queue_.size() < options_.max_queued_writes) {
      queue_.push_back(request.get());
      request.release();  // The writer deletes it once answered.
      wake = writer_idle_;
    }
  }
  if (request == nullptr) {
    if (wake) work_cv_.notify_one();
    return;
  }
  request->on_done(
      closing ? MakeError(ErrorCode::kUnavailable, "store write: the store is closing")
              : MakeError(ErrorCode::kUnavailable, "store write: busy, too many writes queued"));
}

void SqliteStore::WriterLoop() {
  std::vector<Request*> batch;
  std::size_t last_batch = 0;
  while (true) {
    {
      std::unique_lock lock(mu_);
      writer_idle_ = true;
      work_cv_.wait(lock, [&] { return closing_ || !queue_.empty(); });
      writer_idle_ = false;
      if (queue_.empty()) return;  // Closing, and every queued write has run.
      if (last_batch > 1 && options_.commit_delay.count() > 0 && !closing_ &&
          queue_.size() < options_.max_batch) {
        // Others are writing: let more of them join this commit. Nobody notifies the writer
        // meanwhile (writer_idle_ is false), so this is one wake-up, not one per request.
        lock.unlock();
        std::this_thread::sleep_for(options_.commit_delay);
        lock.lock();
      }
      const auto n = static_cast<std::ptrdiff_t>(std::min(queue_.size(), options_.max_batch));
      batch.assign(queue_.begin(), queue_.begin() + n);
      queue_.erase(queue_.begin(), queue_.begin() + n);
    }
    space_cv_.notify_all();
    last_batch = batch.size();
    RunBatch(batch);
  }
}

void SqliteStore::RunBatch(std::span<Request* const> batch) {
  std::vector<Status> results(batch.size());
  const bool full = std::any_of(batch.begin(), batch.end(), [](const Request* r) {
    return r->durability == Durability::kFull;
  });
  // synchronous cannot change inside a transaction: set it before BEGIN.
  Status ready;
  if (full != sync_full_) {
    ready = db_->Exec(full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
    if (ready) sync_full_ = full;
  }

  std::size_t next = 0;
  while (ready && next < batch.size()) {
    if (auto begun = db_->Exec("BEGIN IMMEDIATE"); !begun) {
      ready = std::move(begun);
      break;
    }
    std::vector<std::size_t> pending;  // Ran fine in this transaction; waiting for its COMMIT.
    bool aborted = false;
    for (; next < batch.size(); ++next) {
      Status status = RunOne(*batch[next]);
      if (!db_->in_transaction()) {
        // SQLite rolled the whole transaction back (I/O error, disk full...): the writes that
        // ran before in it are gone too. Fail them all; the rest start a new transaction.
        Error error = status ? Error{ErrorCode::kInternal, "transaction ended unexpectedly"}
                             : std::move(status).error();
        for (std::size_t i : pending) {
          results[i] = tl::unexpected(Annotate(error, "store write: rolled back with its batch"));
        }
        results[next] = tl::unexpected(std::move(error));
        ++next;
        aborted = true;
        break;
      }
      if (status) {
        pending.push_back(next);
      } else {
        results[next] = std::move(status);
      }
    }
    if (aborted) continue;
    if (pending.empty()) {
      (void)db_->Exec("ROLLBACK");
      continue;
    }
    Status committed = db_->Exec("COMMIT");
    if (!committed) {
      if (db_->in_transaction()) (void)db_->Exec("ROLLBACK");
      for (std::size_t i : pending) {
        results[i] = tl::unexpected(Annotate(committed.error(), "store write: commit"));
      }
      continue;
    }
    commits_.fetch_add(1);
    if (full) full_commits_.fetch_add(1);
  }
  // Requests never started (BEGIN or PRAGMA failed) get that error.
  for (; next < batch.size(); ++next) {
    results[next] = tl::unexpected(Annotate(ready.error(), "store write"));
  }

  for (std::size_t i = 0; i < batch.size(); ++i) {
    writes_.fetch_add(1);
    if (!results[i]) failed_writes_.fetch_add(1);
    if (batch[i]->on_done) {
      const std::unique_ptr<Request> owned(batch[i]);
      owned->on_done(std::move(results[i]));
    } else {
      batch[i]->done.set_value(std::move(results[i]));
    }
  }
}

Status SqliteStore::RunOne(const Request& request) {
  VIGIL_RETURN_IF_ERROR(db_->Exec("SAVEPOINT vigil_write"));
  WriteTx tx(*db_, ring_.load());
  Status status = RunCallback(*request.fn, tx, "store write");
  if (status) {
    status = db_->Exec("RELEASE vigil_write");
    if (status) return status;
  }
  if (db_->in_transaction()) {
    // Undo this request's work only. If even that fails, abort the whole transaction rather
    // than commit half of a write.
    if (!db_->Exec("ROLLBACK TO vigil_write") || !db_->Exec("RELEASE vigil_write")) {
      (void)db_->Exec("ROLLBACK");
    }
  }
  return status;
}

// --- Reads ---

Result<Database*> SqliteStore::LeaseReader() const {
  std::unique_lock lock(pool_mu_);
  pool_cv_.wait(lock, [&] { return readers_closed_ || !idle_.empty(); });
  if (readers_closed_) return MakeError(ErrorCode::kUnavailable, "store read: the store is closed");
  Database* db = idle_.back();
  idle_.pop_back();
  return db;
}

void SqliteStore::ReturnReader(Database* reader) const {
  {
    std::lock_guard lock(pool_mu_);
    idle_.push_back(reader);
  }
  pool_cv_.notify_all();
}

Status SqliteStore::Read(const ReadFn& fn) const {
  auto leased = LeaseReader();
  if (!leased) return tl::unexpected(std::move(leased).error());
  ReaderLease lease(*this, *leased);
  Database& db = lease.db();
  VIGIL_RETURN_IF_ERROR(db.Exec("BEGIN"));
  ReadTx tx(db, ring_.load());
  Status status = RunCallback(fn, tx, "store read");
  // Nothing to keep: ending the snapshot releases the WAL frames it pinned.
  if (db.in_transaction()) (void)db.Exec("ROLLBACK");
  return status;
}

Status SqliteStore::Backup(const fs::path& destination) const {
  VIGIL_RETURN_IF_ERROR(CreatePrivateFile(destination, /*must_be_new=*/true));
  auto fail = [&](Error error) -> Status {
    std::error_code ignored;
    fs::remove(destination, ignored);
    return tl::unexpected(Annotate(std::move(error), "store backup to " + destination.string()));
  };
  auto leased = LeaseReader();
  if (!leased) return fail(std::move(leased).error());
  ReaderLease lease(*this, *leased);
  auto target = Database::Open(destination, OpenMode::kReadWriteCreate);
  if (!target) return fail(std::move(target).error());

  // One step over all pages: the copy is taken in a single read transaction, so it is a
  // consistent snapshot even while the writer commits.
  sqlite3_backup* backup =
      sqlite3_backup_init((*target)->handle(), "main", lease.db().handle(), "main");
  if (backup == nullptr) {
    return fail((*target)->ErrorFor(sqlite3_extended_errcode((*target)->handle()), "init"));
  }
  const int step = sqlite3_backup_step(backup, -1);
  const int finish = sqlite3_backup_finish(backup);
  if (step != SQLITE_DONE) return fail((*target)->ErrorFor(step, "copy"));
  if (finish != SQLITE_OK) return fail((*target)->ErrorFor(finish, "finish"));
  target->reset();
  return OkStatus();
}

}  // namespace vigil::store::sqlite
