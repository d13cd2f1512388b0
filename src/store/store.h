#pragma once

// Store: Vigil's persistence as a unit of work. Domain code never sees SQL; it is handed a
// Transaction and uses the repositories on it. Every repository call made inside one Write()
// commits or rolls back together, so a state change and its audit entry are never split.
//
// Implementations: store/sqlite (the embedded default) and store/memory (the fake for tests).
//
// Durability: a Write() with Durability::kFull returns only after the commit is on stable
// storage (SQLite synchronous=FULL); kNormal may lose the last commits on power loss (never on
// a process crash) and is for data that can be re-derived. Paths that acknowledge outside data
// (the audit log, device ingest) use kFull.
//
// Thread safety: Store is thread-safe. A Transaction or ReadTransaction belongs to the thread
// running the callback and must not escape it. Callbacks must not call Write() on the same
// store (it returns kFailedPrecondition rather than wait for itself), nor anything that does,
// such as KeyRing::Rotate() over the store's DekStore.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/audit_repo.h"
#include "store/device_repo.h"
#include "store/identity_repo.h"
#include "store/inventory_repo.h"
#include "store/key_repo.h"
#include "store/secret_repo.h"

namespace vigil::store {

enum class Durability { kNormal, kFull };

// Read-only view of a consistent snapshot.
class ReadTransaction {
 public:
  virtual ~ReadTransaction() = default;
  virtual const AuditReader& audit() = 0;
  virtual const KeyReader& keys() = 0;
  virtual const SecretReader& secrets() = 0;
  virtual const IdentityReader& identity() = 0;
  virtual const DeviceReader& devices() = 0;
  virtual const InventoryReader& inventory() = 0;
};

// A read-write transaction. All work through it commits together or not at all.
class Transaction {
 public:
  virtual ~Transaction() = default;
  virtual AuditRepo& audit() = 0;
  virtual KeyRepo& keys() = 0;
  virtual SecretRepo& secrets() = 0;
  virtual IdentityRepo& identity() = 0;
  virtual DeviceRepo& devices() = 0;
  virtual InventoryRepo& inventory() = 0;
};

using WriteFn = std::function<Status(Transaction&)>;
using WriteDone = std::function<void(Status)>;
using ReadFn = std::function<Status(ReadTransaction&)>;

class Store {
 public:
  virtual ~Store() = default;

  // Runs `fn` in a read-write transaction and commits it if `fn` returns ok; rolls back and
  // returns fn's error otherwise. Writes from several threads may share one commit (group
  // commit); each keeps its own all-or-nothing outcome. kResourceExhausted on a full disk,
  // kUnavailable when the store is closing.
  virtual Status Write(const WriteFn& fn, Durability durability = Durability::kFull) = 0;

  // Write() without waiting: queues `fn` (which must own what it uses) and returns at once;
  // `done` receives the outcome after the commit (or the rollback), exactly once, on the store's
  // writer thread (or on the caller's, when the answer is immediate), so it must be short and
  // must not call Write(): post the real work elsewhere. It never waits for queue space: a full
  // queue is answered at once with kUnavailable ("busy"), as is a closing store. For network
  // threads, which must not block on a commit.
  virtual void WriteAsync(WriteFn fn, Durability durability, WriteDone done) = 0;

  // Runs `fn` on a consistent snapshot, concurrently with writes and other reads.
  virtual Status Read(const ReadFn& fn) const = 0;

  // Writes a consistent copy of the whole store to `destination` (a new file), while it runs.
  virtual Status Backup(const std::filesystem::path& destination) const = 0;

  // The schema version after migrations.
  virtual int schema_version() const = 0;
};

}  // namespace vigil::store
