#pragma once

// MemoryStore: the in-memory Store for tests of code that uses a store (a fake, not a mock).
// It behaves like the SQLite store where a test can see it: a Write commits all or nothing,
// reads see committed data only, duplicate keys give kAlreadyExists, and secrets are really
// sealed with the attached key ring under the same associated data as in SQLite.
//
// Writes run one at a time on a private copy of the state, published only when the callback
// succeeds, so a failed or throwing callback leaves nothing behind. Reads take the current
// state without waiting for a write in progress. Durability is ignored: nothing survives the
// object. Backup() is not supported (kFailedPrecondition); schema_version() is 0.
//
// Thread safety: all methods may be called concurrently. Calling Write() (or the DekStore)
// from inside a Write() callback returns kFailedPrecondition.

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

#include "crypto/key_ring.h"
#include "store/dek_store_adapter.h"
#include "store/store.h"

namespace vigil::store::memory {

struct State;

class MemoryStore final : public Store {
 public:
  MemoryStore();
  ~MemoryStore() override;
  MemoryStore(const MemoryStore&) = delete;
  MemoryStore& operator=(const MemoryStore&) = delete;

  // Where KeyRing::Open keeps its DEKs: the key_ring table of this store.
  crypto::DekStore& dek_store() { return dek_store_; }
  // Lets secrets seal and open. `ring` must outlive every later Write() and Read().
  void AttachKeyRing(const crypto::KeyRing& ring) { ring_.store(&ring); }

  Status Write(const WriteFn& fn, Durability durability = Durability::kFull) override;
  // Runs the write at once, on the caller's thread, then calls `done`.
  void WriteAsync(WriteFn fn, Durability durability, WriteDone done) override {
    done(Write(fn, durability));
  }
  Status Read(const ReadFn& fn) const override;
  Status Backup(const std::filesystem::path& destination) const override;
  int schema_version() const override { return 0; }

 private:
  std::shared_ptr<const State> Current() const;

  std::mutex write_mu_;  // Held for a whole Write().
  std::atomic<std::thread::id> writer_{};
  mutable std::mutex state_mu_;  // Guards state_ (the pointer, not the state).
  std::shared_ptr<const State> state_;
  std::atomic<const crypto::KeyRing*> ring_{nullptr};
  StoreDekStore dek_store_{*this};
};

}  // namespace vigil::store::memory
