#pragma once

// AuditTable: store::AuditRepo over the audit_log and audit_checkpoints tables of one
// connection. Used by write transactions (on the writer connection) and, through its
// AuditReader side, by read transactions (on a reader connection).
//
// Rows are read back as stored, whatever an attacker may have written into them with raw SQL:
// judging them is the audit module's job (hash chain). A key_version outside 0..2^32-1 is
// reported as kDataLoss rather than truncated.
//
// Thread safety: as its Database (one thread at a time).

#include "store/audit_repo.h"
#include "store/sqlite/database.h"

namespace vigil::store::sqlite {

class AuditTable final : public AuditRepo {
 public:
  explicit AuditTable(Database& db) : db_(db) {}

  Result<std::optional<AuditHead>> Head() const override;
  Status Scan(std::int64_t first, std::int64_t last,
              const std::function<bool(const AuditRow&)>& visit) const override;
  Status ScanSince(std::int64_t since_unix_ns,
                   const std::function<bool(const AuditRow&)>& visit) const override;
  Result<std::int64_t> Count() const override;
  Result<std::optional<AuditCheckpoint>> LastCheckpoint() const override;
  Result<std::vector<AuditCheckpoint>> Checkpoints() const override;

  Status Append(const AuditRow& row) override;
  Status AddCheckpoint(const AuditCheckpoint& checkpoint) override;

 private:
  Database& db_;
};

}  // namespace vigil::store::sqlite
