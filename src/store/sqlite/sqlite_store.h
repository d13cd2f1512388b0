#pragma once

// SqliteStore: the embedded Store, one SQLite database file in WAL mode.
//
// Construction, with the key ring (whose DEKs live in this database):
//
//   auto store = store::sqlite::SqliteStore::Open(dir / "vigil.db");
//   if (!store) return ...;                            // kDataLoss, kFailedPrecondition, ...
//   auto ring = crypto::KeyRing::Open(std::move(kek), (*store)->dek_store(), now_unix);
//   if (!ring) return ...;
//   (*store)->AttachKeyRing(**ring);                   // secrets seal and open from now on
//
// Writes: one writer thread owns the read-write connection and takes Write() requests from a
// bounded queue (Write blocks while it is full). Requests that queue up while a commit is in
// flight are run together in one BEGIN IMMEDIATE ... COMMIT (group commit), each inside its own
// SAVEPOINT, so a failing callback rolls back only its own work and each caller gets its own
// status once its batch has committed. A batch containing a Durability::kFull request commits
// with synchronous=FULL, otherwise NORMAL (docs/durability.md). If SQLite itself aborts the
// transaction (an I/O error, say), every request of that transaction gets the error.
//
// Reads: a pool of read-only (query_only) connections; each Read() runs in its own deferred
// transaction, a consistent snapshot that does not wait for the writer.
//
// Errors from Open(): kDataLoss if the file is not an SQLite database or is corrupt;
// kFailedPrecondition if it is another program's database (left untouched) or has a schema
// newer than this binary; kUnavailable if it cannot be opened. From Write():
// kResourceExhausted on a full disk, kUnavailable once Close() has begun, kFailedPrecondition
// when called from inside a Write() callback (it would wait for itself), kInternal when the
// callback throws. The ring passed to AttachKeyRing() must outlive the store.
//
// Thread safety: every method may be called from any thread.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "core/result.h"
#include "crypto/key_ring.h"
#include "store/dek_store_adapter.h"
#include "store/store.h"

namespace vigil::store::sqlite {

class Database;

struct Options {
  int readers = 4;  // Read-only connections for Read() and Backup().
  std::size_t max_queued_writes =
      1024;                     // Write() waits, WriteAsync() refuses, while this many are.
  std::size_t max_batch = 256;  // Most writes sharing one commit.
  // Group commit under load: when the previous commit carried more than one write (others are
  // writing concurrently) and fewer than max_batch wait, the writer waits this long before it
  // takes the next batch, so that one commit (one fsync) carries more writes. Idle or
  // single-writer use never waits. Zero turns it off.
  std::chrono::microseconds commit_delay{1000};
  std::chrono::milliseconds busy_timeout{5000};  // Wait for another process's lock.
  // Test only: caps the database at this many pages (PRAGMA max_page_count) to play a full
  // disk. 0: no cap.
  std::int64_t max_page_count = 0;
  // Clock for schema_version.applied_at; the system clock when empty.
  std::function<std::int64_t()> now_unix;
};

struct Stats {
  std::int64_t writes = 0;         // Write() requests run by the writer thread.
  std::int64_t failed_writes = 0;  // ... of which returned an error.
  std::int64_t commits = 0;        // Transactions committed; < writes when writes were grouped.
  std::int64_t full_commits = 0;   // ... of which with synchronous=FULL.
  std::int64_t queued = 0;         // Write() requests waiting for the writer now.
};

class SqliteStore final : public Store {
 public:
  // Opens or creates the database at `path` (a new file gets mode 0600), applies migrations
  // and starts the writer thread.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::filesystem::path& path,
                                                   Options options = {});

  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;
  ~SqliteStore() override;  // Close().

  // The key_ring table as a crypto::DekStore for KeyRing::Open; each call is its own
  // Durability::kFull write (or a read).
  crypto::DekStore& dek_store() { return dek_store_; }

  // Lets secrets seal and open; until then their Get/Put/ResealAll fail with
  // kFailedPrecondition. `ring` must outlive the store.
  void AttachKeyRing(const crypto::KeyRing& ring) { ring_.store(&ring); }

  // Runs the writes already queued, stops the writer, waits for reads in progress, checkpoints
  // the WAL into the database file and closes every connection. Later calls return ok; later
  // Write(), Read() and Backup() return kUnavailable.
  Status Close();

  Stats stats() const;
  const std::filesystem::path& path() const { return path_; }

  Status Write(const WriteFn& fn, Durability durability = Durability::kFull) override;
  void WriteAsync(WriteFn fn, Durability durability, WriteDone done) override;
  Status Read(const ReadFn& fn) const override;
  // kAlreadyExists if `destination` exists; a failed backup leaves no file behind.
  Status Backup(const std::filesystem::path& destination) const override;
  int schema_version() const override { return schema_version_; }

 private:
  struct Request;
  class ReaderLease;

  SqliteStore(std::filesystem::path path, Options options, int schema_version,
              std::unique_ptr<Database> writer, std::vector<std::unique_ptr<Database>> readers);

  void WriterLoop();
  void RunBatch(std::span<Request* const> batch);
  Status RunOne(const Request& request);
  Result<Database*> LeaseReader() const;
  void ReturnReader(Database* reader) const;

  const std::filesystem::path path_;
  const Options options_;
  const int schema_version_;
  std::atomic<const crypto::KeyRing*> ring_{nullptr};
  StoreDekStore dek_store_{*this};

  // Writer side. db_ is used only by the writer thread (and by Close() after joining it).
  std::unique_ptr<Database> db_;
  bool sync_full_ = true;  // The writer connection's current synchronous level.
  std::thread writer_;
  std::atomic<std::thread::id> writer_id_{};
  mutable std::mutex mu_;             // Guards queue_, closing_ and writer_idle_.
  std::condition_variable work_cv_;   // The writer waits for requests.
  std::condition_variable space_cv_;  // Write() waits for room in the queue.
  std::deque<Request*> queue_;
  bool closing_ = false;
  bool writer_idle_ = false;  // The writer waits on work_cv_: a new request must wake it.

  // Reader side.
  std::vector<std::unique_ptr<Database>> readers_;
  mutable std::mutex pool_mu_;  // Guards idle_ and readers_closed_.
  mutable std::condition_variable pool_cv_;
  mutable std::vector<Database*> idle_;
  mutable bool readers_closed_ = false;

  std::mutex close_mu_;
  bool closed_ = false;

  std::atomic<std::int64_t> writes_{0};
  std::atomic<std::int64_t> failed_writes_{0};
  std::atomic<std::int64_t> commits_{0};
  std::atomic<std::int64_t> full_commits_{0};
};

}  // namespace vigil::store::sqlite
