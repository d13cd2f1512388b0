#include "store/sqlite/secrets_table.h"

#include <limits>
#include <optional>
#include <string>
#include <utility>

#include "store/secret_sealing.h"

namespace vigil::store::sqlite {
namespace {

tl::unexpected<Error> NotFound(std::string_view name) {
  return MakeError(ErrorCode::kNotFound, "secret '" + std::string(name) + "' not found");
}

std::string Context(std::string_view what, std::string_view name) {
  return std::string(what) + " '" + std::string(name) + "'";
}

}  // namespace

Status SecretsTable::NeedRing() const {
  if (ring_ == nullptr) {
    return MakeError(ErrorCode::kFailedPrecondition, "secrets: no key ring attached");
  }
  return OkStatus();
}

Result<crypto::SecretBytes> SecretsTable::Get(std::string_view name) const {
  VIGIL_RETURN_IF_ERROR(NeedRing());
  auto stmt = db_.Prepare("SELECT id, value FROM secrets WHERE name = ?");
  if (!stmt) return tl::unexpected(Annotate(std::move(stmt).error(), Context("secret get", name)));
  stmt->BindText(1, name);
  auto has_row = stmt->Step();
  if (!has_row) {
    return tl::unexpected(Annotate(std::move(has_row).error(), Context("secret get", name)));
  }
  if (!*has_row) return NotFound(name);
  return OpenSecret(*ring_, stmt->ColumnInt64(0), name, stmt->ColumnBlob(1));
}

Result<std::vector<SecretInfo>> SecretsTable::List() const {
  auto stmt = db_.Prepare("SELECT name, key_version FROM secrets ORDER BY name");
  if (!stmt) return tl::unexpected(Annotate(std::move(stmt).error(), "secret list"));
  std::vector<SecretInfo> result;
  while (true) {
    auto has_row = stmt->Step();
    if (!has_row) return tl::unexpected(Annotate(std::move(has_row).error(), "secret list"));
    if (!*has_row) return result;
    std::string name = stmt->ColumnText(0);
    const std::int64_t version = stmt->ColumnInt64(1);
    if (version < 0 || version > std::numeric_limits<std::uint32_t>::max()) {
      return MakeError(ErrorCode::kDataLoss, "secret '" + name + "': key_version " +
                                                 std::to_string(version) + " out of range");
    }
    result.push_back(
        SecretInfo{.name = std::move(name), .key_version = static_cast<std::uint32_t>(version)});
  }
}

Status SecretsTable::Put(std::string_view name, std::span<const std::uint8_t> value) {
  VIGIL_RETURN_IF_ERROR(NeedRing());
  if (name.empty()) return MakeError(ErrorCode::kInvalidArgument, "secret put: empty name");
  const std::string context = Context("secret put", name);
  std::optional<std::int64_t> existing_id;
  {
    auto stmt = db_.Prepare("SELECT id FROM secrets WHERE name = ?");
    if (!stmt) return tl::unexpected(Annotate(std::move(stmt).error(), context));
    stmt->BindText(1, name);
    auto has_row = stmt->Step();
    if (!has_row) return tl::unexpected(Annotate(std::move(has_row).error(), context));
    if (*has_row) existing_id = stmt->ColumnInt64(0);
  }
  if (existing_id) return SealAndSave(*existing_id, name, value, /*insert=*/false);

  // The row id is part of the associated data, so it is chosen before sealing: the next id
  // AUTOINCREMENT would give (never one used before), and the row is inserted only once its
  // sealed value exists, so a failure leaves no row behind.
  auto next_id = db_.QueryInt64(
      "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'secrets'), 0), "
      "coalesce((SELECT max(id) FROM secrets), 0)) + 1");
  if (!next_id) return tl::unexpected(Annotate(std::move(next_id).error(), context));
  return SealAndSave(next_id->value_or(1), name, value, /*insert=*/true);
}

Status SecretsTable::SealAndSave(std::int64_t id, std::string_view name,
                                 std::span<const std::uint8_t> plaintext, bool insert) {
  const std::string context = Context("secret put", name);
  auto sealed = SealSecret(*ring_, id, plaintext);
  if (!sealed) return tl::unexpected(Annotate(std::move(sealed).error(), context));
  auto stmt =
      insert ? db_.Prepare(
                   "INSERT INTO secrets (id, name, value, key_version) VALUES (?4, ?3, ?1, ?2)")
             : db_.Prepare("UPDATE secrets SET value = ?1, key_version = ?2 WHERE id = ?4");
  if (!stmt) return tl::unexpected(Annotate(std::move(stmt).error(), context));
  stmt->BindBlob(1, sealed->value);
  stmt->BindInt64(2, sealed->key_version);
  if (insert) stmt->BindText(3, name);
  stmt->BindInt64(4, id);
  if (auto done = stmt->Run(); !done) {
    return tl::unexpected(Annotate(std::move(done).error(), context));
  }
  return OkStatus();
}

Status SecretsTable::Remove(std::string_view name) {
  auto stmt = db_.Prepare("DELETE FROM secrets WHERE name = ?");
  if (!stmt) {
    return tl::unexpected(Annotate(std::move(stmt).error(), Context("secret remove", name)));
  }
  stmt->BindText(1, name);
  if (auto done = stmt->Run(); !done) {
    return tl::unexpected(Annotate(std::move(done).error(), Context("secret remove", name)));
  }
  if (db_.changes() == 0) return NotFound(name);
  return OkStatus();
}

Result<std::int64_t> SecretsTable::ResealAll() {
  VIGIL_RETURN_IF_ERROR(NeedRing());
  const std::uint32_t current = ring_->current_version();
  struct Row {
    std::int64_t id;
    std::string name;
    std::vector<std::uint8_t> value;
  };
  // Collected first: updating rows of a table while stepping a SELECT over it may visit them
  // again.
  std::vector<Row> stale;
  {
    auto stmt = db_.Prepare("SELECT id, name, value, key_version FROM secrets ORDER BY id");
    if (!stmt) return tl::unexpected(Annotate(std::move(stmt).error(), "secret reseal"));
    while (true) {
      auto has_row = stmt->Step();
      if (!has_row) return tl::unexpected(Annotate(std::move(has_row).error(), "secret reseal"));
      if (!*has_row) break;
      std::vector<std::uint8_t> value = stmt->ColumnBlob(2);
      auto sealed_version = crypto::KeyRing::SealedVersion(value);
      if (stmt->ColumnInt64(3) == current && sealed_version && *sealed_version == current) continue;
      stale.push_back(
          Row{.id = stmt->ColumnInt64(0), .name = stmt->ColumnText(1), .value = std::move(value)});
    }
  }
  for (const Row& row : stale) {
    auto opened = OpenSecret(*ring_, row.id, row.name, row.value);
    if (!opened) return tl::unexpected(std::move(opened).error());
    VIGIL_RETURN_IF_ERROR(SealAndSave(row.id, row.name, opened->span(), /*insert=*/false));
  }
  return static_cast<std::int64_t>(stale.size());
}

}  // namespace vigil::store::sqlite
