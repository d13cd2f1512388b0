#pragma once

// AuditLog: Vigil's append-only, tamper-evident record of every state change.
//
// Each entry carries a sequence number (1, 2, 3...), the time, the actor, action, target and
// details, the previous entry's hash, and its own hash: HMAC-SHA-256 under a key derived from
// the key ring ("audit-hmac", per DEK version) over the canonical encoding (canonical.h). So
// editing, deleting or reordering rows breaks the chain, and recomputing it needs the key ring.
// Every `checkpoint_interval` entries the chain head (seq, hash) is signed with an Ed25519 key
// kept sealed in the store ("audit.signing_key"); PublishCheckpoints() then copies committed
// checkpoints to a file outside the database (CheckpointFile), so that truncating the tail or
// replacing the whole database is detected too.
//
// Append() runs inside the caller's store transaction: the state change and its entry commit
// together, or neither does. Use Durability::kFull for such writes.
//
// Thread safety: all methods may be called concurrently (Append() is serialised by the store's
// single writer; key caches are guarded).

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <span>

#include "audit/checkpoint_file.h"
#include "audit/event.h"
#include "core/clock.h"
#include "core/result.h"
#include "crypto/ed25519.h"
#include "crypto/hash.h"
#include "crypto/key_ring.h"
#include "store/store.h"

namespace vigil::audit {

struct AuditOptions {
  std::int64_t checkpoint_interval = 1000;  // Entries between signed checkpoints.
};

class AuditLog {
 public:
  AuditLog(const crypto::KeyRing& ring, const Clock& clock, AuditOptions options = {});

  // Appends `event` in `tx`. Returns the entry's sequence number.
  Result<std::int64_t> Append(store::Transaction& tx, const Event& event);

  // Appends a signed checkpoint of the current head in `tx`, if the head is not checkpointed.
  Status Checkpoint(store::Transaction& tx);

  // Copies committed checkpoints newer than the file's last one into `file`; returns them, so
  // the caller can also write them to its log.
  Result<std::vector<store::AuditCheckpoint>> PublishCheckpoints(const store::Store& store,
                                                                 CheckpointFile& file);

  // The HMAC of `row` (its `hash` field ignored) under the key of row.key_version.
  Result<crypto::Sha256Digest> ComputeHash(const store::AuditRow& row);

  // The Ed25519 public key that signs checkpoints, or kNotFound if none was created yet.
  Result<crypto::Ed25519PublicKey> PublicKey(store::ReadTransaction& tx) const;

 private:
  Result<crypto::SecretBytes> SigningKey(store::Transaction& tx);
  Result<crypto::HmacSha256Context*> HmacFor(std::uint32_t key_version);
  Status AddCheckpoint(store::Transaction& tx, std::int64_t seq,
                       const std::vector<std::uint8_t>& hash);

  const crypto::KeyRing& ring_;
  const Clock& clock_;
  AuditOptions options_;
  std::mutex mu_;  // Guards hmacs_ and scratch_.
  std::map<std::uint32_t, crypto::HmacSha256Context> hmacs_;
  std::vector<std::uint8_t> scratch_;
};

}  // namespace vigil::audit
