#pragma once

// The canonical byte encodings that the audit log authenticates. Changing either encoding
// breaks every existing chain: add a new version tag instead.
//
// Entry (HMAC-SHA-256 under the key-ring key of `key_version`):
//   "vigil.audit.entry.v1" 0x00, seq (8 bytes BE), time_unix_ns (8 bytes BE), then actor_kind,
//   actor, action, target, details_json each as a 4-byte BE length and the bytes, then
//   prev_hash as a 4-byte BE length and the bytes, key_version (4 bytes BE).
// Checkpoint (Ed25519):
//   "vigil.audit.checkpoint.v1" 0x00, seq (8 bytes BE), hash as a 4-byte BE length and the
//   bytes, time_unix_ns (8 bytes BE).

#include <cstdint>
#include <span>
#include <vector>

#include "store/audit_repo.h"

namespace vigil::audit {

// Appends the canonical encoding of `row` (all fields but `hash`) to `out`, after clearing it.
void EncodeEntry(const store::AuditRow& row, std::vector<std::uint8_t>& out);

std::vector<std::uint8_t> EncodeCheckpoint(std::int64_t seq, std::span<const std::uint8_t> hash,
                                           std::int64_t time_unix_ns);

}  // namespace vigil::audit
