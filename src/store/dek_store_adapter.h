#pragma once

// StoreDekStore: crypto::DekStore over any Store, so the key ring keeps its wrapped DEKs in the
// store's key_ring table. Each call is its own transaction (Write with Durability::kFull, or a
// Read), so a new DEK is on stable storage before KeyRing::Rotate() starts sealing with it.
//
// The chicken-and-egg of start-up is solved in this order:
//   auto store = sqlite::SqliteStore::Open(path);              // no ring yet
//   auto ring = crypto::KeyRing::Open(kek, (*store)->dek_store(), now);
//   (*store)->AttachKeyRing(**ring);                            // secrets now seal and open
//
// Must not be called from inside a Write() callback of the same store (the write would wait
// for itself); the SQLite store reports that as kFailedPrecondition instead of hanging.
// Thread-safe as the Store is.

#include <vector>

#include "core/result.h"
#include "crypto/key_ring.h"
#include "store/store.h"

namespace vigil::store {

class StoreDekStore final : public crypto::DekStore {
 public:
  explicit StoreDekStore(Store& store) : store_(store) {}

  Result<std::vector<crypto::WrappedDek>> LoadDeks() override;
  Status AddDek(const crypto::WrappedDek& dek) override;
  Status ReplaceAllDeks(const std::vector<crypto::WrappedDek>& deks) override;

 private:
  Store& store_;
};

}  // namespace vigil::store
