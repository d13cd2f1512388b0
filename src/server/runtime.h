#pragma once

// Runtime: everything a Vigil process holds once it owns a data directory: the lock, the store,
// the key ring, the audit log and its checkpoint file, and the identity, device and inventory
// services (whose caches, and the inventory's merged devices, must be the only ones for the data
// directory). `vigil serve` and the CLI commands that work on the store open one; closing it
// checkpoints and publishes the audit chain.
//
// Thread safety: the members are thread-safe as documented on each; the Runtime object itself is
// created and destroyed by one thread.

#include <memory>

#include "audit/audit_log.h"
#include "audit/checkpoint_file.h"
#include "config/config.h"
#include "core/clock.h"
#include "crypto/key_ring.h"
#include "server/data_dir.h"
#include "server/device_service.h"
#include "server/identity_service.h"
#include "server/inventory_service.h"
#include "store/sqlite/sqlite_store.h"

namespace vigil::server {

struct OpenOptions {
  bool create = false;  // Create the data directory, database and key file if missing.
};

class Runtime {
 public:
  // kNotFound: no data directory (or key file) and !create; kLocked: locked by another
  // process; kPermissionDenied: key file or directory modes; kDataLoss: the key file does not
  // open this database's keys, or the database is corrupt.
  static Result<std::unique_ptr<Runtime>> Open(const config::Config& config, OpenOptions options);
  ~Runtime();

  // Records `event` in its own durable transaction.
  Status Record(const audit::Event& event);
  // Writes a checkpoint of the chain head and copies new checkpoints to the checkpoint file;
  // returns the ones copied.
  Result<std::vector<store::AuditCheckpoint>> CheckpointAudit();

  const config::Config& config() const { return config_; }
  const Clock& clock() const { return clock_; }
  store::sqlite::SqliteStore& store() { return *store_; }
  crypto::KeyRing& ring() { return *ring_; }
  audit::AuditLog& audit() { return *audit_; }
  audit::CheckpointFile& checkpoint_file() { return checkpoints_; }
  const std::filesystem::path& key_file() const { return key_file_; }
  IdentityService& identity() { return *identity_; }
  DeviceService& devices() { return *devices_; }
  InventoryService& inventory() { return *inventory_; }

 private:
  Runtime(config::Config config, DataDirLock lock);

  config::Config config_;
  DataDirLock lock_;
  SystemClock clock_;
  std::filesystem::path key_file_;
  audit::CheckpointFile checkpoints_;
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  std::unique_ptr<crypto::KeyRing> ring_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<IdentityService> identity_;
  std::unique_ptr<DeviceService> devices_;
  std::unique_ptr<InventoryService> inventory_;
};

}  // namespace vigil::server
