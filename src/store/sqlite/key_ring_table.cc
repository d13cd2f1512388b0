#include "store/sqlite/key_ring_table.h"

#include <limits>
#include <string>
#include <utility>

namespace vigil::store::sqlite {

Result<std::vector<StoredDek>> KeyRingTable::Deks() const {
  auto stmt = db_.Prepare("SELECT version, wrapped, created_unix FROM key_ring ORDER BY version");
  if (!stmt) return tl::unexpected(Annotate(std::move(stmt).error(), "key ring: load"));
  std::vector<StoredDek> result;
  while (true) {
    auto has_row = stmt->Step();
    if (!has_row) return tl::unexpected(Annotate(std::move(has_row).error(), "key ring: load"));
    if (!*has_row) return result;
    const std::int64_t version = stmt->ColumnInt64(0);
    if (version < 0 || version > std::numeric_limits<std::uint32_t>::max()) {
      return MakeError(ErrorCode::kDataLoss,
                       "key ring: dek version " + std::to_string(version) + " out of range");
    }
    result.push_back(StoredDek{.version = static_cast<std::uint32_t>(version),
                               .wrapped = stmt->ColumnBlob(1),
                               .created_unix = stmt->ColumnInt64(2)});
  }
}

Status KeyRingTable::AddDek(const StoredDek& dek) {
  const std::string context = "key ring: add dek version " + std::to_string(dek.version);
  auto stmt = db_.Prepare("INSERT INTO key_ring (version, wrapped, created_unix) VALUES (?, ?, ?)");
  if (!stmt) return tl::unexpected(Annotate(std::move(stmt).error(), context));
  stmt->BindInt64(1, dek.version);
  stmt->BindBlob(2, dek.wrapped);
  stmt->BindInt64(3, dek.created_unix);
  if (auto done = stmt->Run(); !done) {
    return tl::unexpected(Annotate(std::move(done).error(), context));
  }
  return OkStatus();
}

Status KeyRingTable::ReplaceAllDeks(const std::vector<StoredDek>& deks) {
  // Atomic because the whole Write() is one transaction.
  if (auto cleared = db_.Exec("DELETE FROM key_ring"); !cleared) {
    return tl::unexpected(Annotate(std::move(cleared).error(), "key ring: replace"));
  }
  for (const StoredDek& dek : deks) VIGIL_RETURN_IF_ERROR(AddDek(dek));
  return OkStatus();
}

}  // namespace vigil::store::sqlite
