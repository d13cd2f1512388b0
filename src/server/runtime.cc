#include "server/runtime.h"

#include <sys/stat.h>

namespace vigil::server {
namespace fs = std::filesystem;

Runtime::Runtime(config::Config config, DataDirLock lock)
    : config_(std::move(config)),
      lock_(std::move(lock)),
      checkpoints_(config::CheckpointFilePath(config_)) {}

Runtime::~Runtime() {
  inventory_.reset();  // Waits for its ingests to commit.
  devices_.reset();
  identity_.reset();  // Flushes what it keeps in memory to the store.
  if (store_ && audit_) (void)CheckpointAudit();
  if (store_) (void)store_->Close();
}

Result<std::unique_ptr<Runtime>> Runtime::Open(const config::Config& config, OpenOptions options) {
  const fs::path data_dir = config.storage.data_dir;
  auto lock = DataDirLock::Acquire(data_dir, options.create);
  if (!lock) return tl::unexpected(lock.error());
  std::unique_ptr<Runtime> rt(new Runtime(config, std::move(*lock)));
  rt->key_file_ = config::KeyFilePath(config, config::ProcessEnvironment());

  const fs::path db_path = data_dir / "vigil.db";
  std::error_code ec;
  const bool db_exists = fs::exists(db_path, ec);
  auto kek = (options.create && !db_exists) ? crypto::LoadOrCreateKekFile(rt->key_file_)
                                            : crypto::LoadKekFile(rt->key_file_);
  if (!kek) return tl::unexpected(Annotate(kek.error(), "key file"));
  if (!db_exists && !options.create) {
    return MakeError(ErrorCode::kNotFound, "no Vigil database at " + db_path.string());
  }
  // The checkpoint file lives in the key folder; make sure it exists with tight modes.
  fs::create_directories(rt->checkpoints_.path().parent_path(), ec);

  auto store = store::sqlite::SqliteStore::Open(db_path);
  if (!store) return tl::unexpected(Annotate(store.error(), "store"));
  rt->store_ = std::move(*store);
  auto ring =
      crypto::KeyRing::Open(std::move(*kek), rt->store_->dek_store(), rt->clock_.NowUnixSeconds());
  if (!ring) {
    return MakeError(ring.error().code, "key ring: " + ring.error().message + " (is " +
                                            rt->key_file_.string() +
                                            " the key file of this data directory?)");
  }
  rt->ring_ = std::move(*ring);
  rt->store_->AttachKeyRing(*rt->ring_);
  rt->audit_ = std::make_unique<audit::AuditLog>(
      *rt->ring_, rt->clock_,
      audit::AuditOptions{.checkpoint_interval = config.audit.checkpoint_interval});
  auto identity = IdentityService::Create(*rt, IdentityOptions::FromConfig(config.identity));
  if (!identity) return tl::unexpected(std::move(identity).error());
  rt->identity_ = std::move(*identity);
  auto devices = DeviceService::Create(*rt, DeviceOptions::FromConfig(config.devices));
  if (!devices) return tl::unexpected(std::move(devices).error());
  rt->devices_ = std::move(*devices);
  auto inventory = InventoryService::Create(*rt, InventoryOptions::FromConfig(config));
  if (!inventory) return tl::unexpected(std::move(inventory).error());
  rt->inventory_ = std::move(*inventory);
  return rt;
}

Status Runtime::Record(const audit::Event& event) {
  return store_->Write(
      [&](store::Transaction& tx) -> Status {
        auto seq = audit_->Append(tx, event);
        if (!seq) return tl::unexpected(seq.error());
        return OkStatus();
      },
      store::Durability::kFull);
}

Result<std::vector<store::AuditCheckpoint>> Runtime::CheckpointAudit() {
  VIGIL_RETURN_IF_ERROR(store_->Write(
      [&](store::Transaction& tx) { return audit_->Checkpoint(tx); }, store::Durability::kFull));
  return audit_->PublishCheckpoints(*store_, checkpoints_);
}

}  // namespace vigil::server
