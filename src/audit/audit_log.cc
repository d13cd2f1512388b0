#include "audit/audit_log.h"

#include "audit/canonical.h"

namespace vigil::audit {
namespace {

constexpr std::string_view kSigningKeyName = "audit.signing_key";
constexpr std::string_view kHmacPurpose = "audit-hmac";

}  // namespace

std::string_view ActorKindName(ActorKind kind) {
  switch (kind) {
    case ActorKind::kUser:
      return "user";
    case ActorKind::kDevice:
      return "device";
    case ActorKind::kSystem:
      return "system";
  }
  return "system";
}

AuditLog::AuditLog(const crypto::KeyRing& ring, const Clock& clock, AuditOptions options)
    : ring_(ring), clock_(clock), options_(options) {}

Result<crypto::HmacSha256Context*> AuditLog::HmacFor(std::uint32_t key_version) {
  auto it = hmacs_.find(key_version);
  if (it == hmacs_.end()) {
    auto key = ring_.DeriveKey(kHmacPurpose, key_version);
    if (!key) return tl::unexpected(Annotate(key.error(), "audit hmac key"));
    it = hmacs_.emplace(key_version, crypto::HmacSha256Context(key->span())).first;
  }
  return &it->second;
}

Result<crypto::Sha256Digest> AuditLog::ComputeHash(const store::AuditRow& row) {
  std::lock_guard lock(mu_);
  auto hmac = HmacFor(row.key_version);
  if (!hmac) return tl::unexpected(hmac.error());
  EncodeEntry(row, scratch_);
  return (*hmac)->Compute(scratch_);
}

Result<std::int64_t> AuditLog::Append(store::Transaction& tx, const Event& event) {
  auto head = tx.audit().Head();
  if (!head) return tl::unexpected(Annotate(head.error(), "audit append"));
  store::AuditRow row;
  row.seq = *head ? (*head)->seq + 1 : 1;
  row.time_unix_ns = clock_.NowUnixNanos();
  row.actor_kind = std::string(ActorKindName(event.actor.kind));
  row.actor = event.actor.id;
  row.action = event.action;
  row.target = event.target;
  // nlohmann's default object keeps keys sorted, so dump() is a canonical form.
  row.details_json = event.details.is_null() ? "{}" : event.details.dump();
  row.prev_hash = *head ? (*head)->hash : std::vector<std::uint8_t>(crypto::kSha256Size, 0);
  row.key_version = ring_.current_version();
  auto hash = ComputeHash(row);
  if (!hash) return tl::unexpected(hash.error());
  row.hash.assign(hash->begin(), hash->end());
  VIGIL_RETURN_IF_ERROR(tx.audit().Append(row));
  if (options_.checkpoint_interval > 0 && row.seq % options_.checkpoint_interval == 0) {
    VIGIL_RETURN_IF_ERROR(AddCheckpoint(tx, row.seq, row.hash));
  }
  return row.seq;
}

Status AuditLog::Checkpoint(store::Transaction& tx) {
  auto head = tx.audit().Head();
  if (!head) return tl::unexpected(head.error());
  if (!*head) return OkStatus();
  auto last = tx.audit().LastCheckpoint();
  if (!last) return tl::unexpected(last.error());
  if (*last && (*last)->seq >= (*head)->seq) return OkStatus();
  return AddCheckpoint(tx, (*head)->seq, (*head)->hash);
}

Result<crypto::SecretBytes> AuditLog::SigningKey(store::Transaction& tx) {
  auto existing = tx.secrets().Get(kSigningKeyName);
  if (existing) return existing;
  if (existing.error().code != ErrorCode::kNotFound) {
    return tl::unexpected(Annotate(existing.error(), "audit signing key"));
  }
  auto pair = crypto::GenerateEd25519KeyPair();
  if (!pair) return tl::unexpected(pair.error());
  VIGIL_RETURN_IF_ERROR(tx.secrets().Put(kSigningKeyName, pair->private_key.span()));
  return std::move(pair->private_key);
}

Status AuditLog::AddCheckpoint(store::Transaction& tx, std::int64_t seq,
                               const std::vector<std::uint8_t>& hash) {
  auto key = SigningKey(tx);
  if (!key) return tl::unexpected(key.error());
  store::AuditCheckpoint cp;
  cp.seq = seq;
  cp.hash = hash;
  cp.time_unix_ns = clock_.NowUnixNanos();
  auto sig = crypto::Ed25519Sign(key->span(), EncodeCheckpoint(cp.seq, cp.hash, cp.time_unix_ns));
  if (!sig) return tl::unexpected(sig.error());
  cp.signature.assign(sig->begin(), sig->end());
  return tx.audit().AddCheckpoint(cp);
}

Result<crypto::Ed25519PublicKey> AuditLog::PublicKey(store::ReadTransaction& tx) const {
  auto key = tx.secrets().Get(kSigningKeyName);
  if (!key) return tl::unexpected(Annotate(key.error(), "audit signing key"));
  return crypto::Ed25519PublicKeyFromPrivate(key->span());
}

Result<std::vector<store::AuditCheckpoint>> AuditLog::PublishCheckpoints(const store::Store& store,
                                                                         CheckpointFile& file) {
  auto in_file = file.Last();
  if (!in_file) return tl::unexpected(in_file.error());
  const std::int64_t after = *in_file ? (*in_file)->checkpoint.seq : 0;
  std::vector<store::AuditCheckpoint> fresh;
  crypto::Ed25519PublicKey public_key{};
  VIGIL_RETURN_IF_ERROR(store.Read([&](store::ReadTransaction& tx) -> Status {
    auto all = tx.audit().Checkpoints();
    if (!all) return tl::unexpected(all.error());
    for (auto& cp : *all) {
      if (cp.seq > after) fresh.push_back(std::move(cp));
    }
    if (fresh.empty()) return OkStatus();
    auto key = PublicKey(tx);
    if (!key) return tl::unexpected(key.error());
    public_key = *key;
    return OkStatus();
  }));
  for (const auto& cp : fresh) {
    VIGIL_RETURN_IF_ERROR(
        file.Append({.checkpoint = cp, .public_key = {public_key.begin(), public_key.end()}}));
  }
  return fresh;
}

}  // namespace vigil::audit
