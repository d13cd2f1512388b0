#pragma once

// KeyRingTable: store::KeyRepo over the key_ring table (the key ring's wrapped DEKs) of one
// connection. Thread safety: as its Database (one thread at a time).

#include "store/key_repo.h"
#include "store/sqlite/database.h"

namespace vigil::store::sqlite {

class KeyRingTable final : public KeyRepo {
 public:
  explicit KeyRingTable(Database& db) : db_(db) {}

  Result<std::vector<StoredDek>> Deks() const override;
  Status AddDek(const StoredDek& dek) override;
  Status ReplaceAllDeks(const std::vector<StoredDek>& deks) override;

 private:
  Database& db_;
};

}  // namespace vigil::store::sqlite
