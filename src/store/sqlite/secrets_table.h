#pragma once

// SecretsTable: store::SecretRepo over the secrets table of one connection. Values are sealed
// with the attached key ring under "secrets|value|<row id>" (store/secret_sealing.h), so a value
// copied into another row does not open. Without a ring, Get, Put and ResealAll fail with
// kFailedPrecondition. Thread safety: as its Database (one thread at a time).

#include "crypto/key_ring.h"
#include "store/secret_repo.h"
#include "store/sqlite/database.h"

namespace vigil::store::sqlite {

class SecretsTable final : public SecretRepo {
 public:
  // `ring` may be null (no ring attached yet).
  SecretsTable(Database& db, const crypto::KeyRing* ring) : db_(db), ring_(ring) {}

  Result<crypto::SecretBytes> Get(std::string_view name) const override;
  Result<std::vector<SecretInfo>> List() const override;

  Status Put(std::string_view name, std::span<const std::uint8_t> value) override;
  Status Remove(std::string_view name) override;
  Result<std::int64_t> ResealAll() override;

 private:
  Status NeedRing() const;
  Status SealAndSave(std::int64_t id, std::string_view name,
                     std::span<const std::uint8_t> plaintext, bool insert);

  Database& db_;
  const crypto::KeyRing* ring_;
};

}  // namespace vigil::store::sqlite
