#include "store/dek_store_adapter.h"

#include <utility>

namespace vigil::store {
namespace {

StoredDek ToStored(const crypto::WrappedDek& dek) {
  return StoredDek{
      .version = dek.version, .wrapped = dek.wrapped, .created_unix = dek.created_unix};
}

}  // namespace

Result<std::vector<crypto::WrappedDek>> StoreDekStore::LoadDeks() {
  std::vector<crypto::WrappedDek> result;
  Status status = store_.Read([&](ReadTransaction& tx) -> Status {
    auto deks = tx.keys().Deks();
    if (!deks) return tl::unexpected(std::move(deks).error());
    result.clear();
    for (StoredDek& dek : *deks) {
      result.push_back(crypto::WrappedDek{.version = dek.version,
                                          .wrapped = std::move(dek.wrapped),
                                          .created_unix = dek.created_unix});
    }
    return OkStatus();
  });
  if (!status) return tl::unexpected(Annotate(std::move(status).error(), "key ring: load deks"));
  return result;
}

Status StoreDekStore::AddDek(const crypto::WrappedDek& dek) {
  const StoredDek stored = ToStored(dek);
  return store_.Write([&](Transaction& tx) { return tx.keys().AddDek(stored); }, Durability::kFull);
}

Status StoreDekStore::ReplaceAllDeks(const std::vector<crypto::WrappedDek>& deks) {
  std::vector<StoredDek> stored;
  stored.reserve(deks.size());
  for (const crypto::WrappedDek& dek : deks) stored.push_back(ToStored(dek));
  return store_.Write([&](Transaction& tx) { return tx.keys().ReplaceAllDeks(stored); },
                      Durability::kFull);
}

}  // namespace vigil::store
