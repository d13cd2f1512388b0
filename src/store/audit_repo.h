#pragma once

// Rows of the audit log as stored. The audit module owns their meaning (hash chain, signing);
// the store only keeps them, append-only, in sequence order.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace vigil::store {

struct AuditRow {
  std::int64_t seq = 0;  // 1, 2, 3... assigned by the audit module.
  std::int64_t time_unix_ns = 0;
  std::string actor_kind;  // "user", "device", "system"
  std::string actor;
  std::string action;  // "keys.rotate", "user.login", ...
  std::string target;
  std::string details_json;             // Canonical JSON object.
  std::vector<std::uint8_t> prev_hash;  // 32 bytes; zeros for seq 1.
  std::vector<std::uint8_t> hash;       // HMAC-SHA-256 over the canonical encoding.
  std::uint32_t key_version = 0;        // Key-ring version of the HMAC key.
};

// A signed checkpoint: the chain head at `seq` signed with the audit's Ed25519 key.
struct AuditCheckpoint {
  std::int64_t seq = 0;
  std::vector<std::uint8_t> hash;
  std::int64_t time_unix_ns = 0;
  std::vector<std::uint8_t> signature;  // 64 bytes, Ed25519.
};

// The head of the chain: what the next entry links to.
struct AuditHead {
  std::int64_t seq = 0;
  std::vector<std::uint8_t> hash;
};

class AuditReader {
 public:
  virtual ~AuditReader() = default;
  // The last entry's sequence number and hash; nullopt for an empty log.
  virtual Result<std::optional<AuditHead>> Head() const = 0;
  // Rows with first <= seq <= last, ascending by seq (storage order). `last` < 0: to the end.
  // `visit` returns false to stop early.
  virtual Status Scan(std::int64_t first, std::int64_t last,
                      const std::function<bool(const AuditRow&)>& visit) const = 0;
  // Rows whose time is at or after `since_unix_ns`, ascending.
  virtual Status ScanSince(std::int64_t since_unix_ns,
                           const std::function<bool(const AuditRow&)>& visit) const = 0;
  virtual Result<std::int64_t> Count() const = 0;
  virtual Result<std::optional<AuditCheckpoint>> LastCheckpoint() const = 0;
  virtual Result<std::vector<AuditCheckpoint>> Checkpoints() const = 0;
};

class AuditRepo : public virtual AuditReader {
 public:
  virtual Status Append(const AuditRow& row) = 0;  // kAlreadyExists if seq is taken.
  virtual Status AddCheckpoint(const AuditCheckpoint& checkpoint) = 0;
};

}  // namespace vigil::store
