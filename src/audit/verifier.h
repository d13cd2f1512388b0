#pragma once

// Verify: checks the audit chain and its checkpoints, and names the first entry that is broken.
//
// For each entry in the range it checks, in order: the sequence has no gap and no step back
// (deleted or reordered rows), prev_hash equals the previous entry's hash (chain), and the
// HMAC over the canonical encoding matches (content). Then every checkpoint in the database and
// the last one in the checkpoint file must carry a valid signature and match the entry at its
// sequence; a checkpoint beyond the last entry means the tail was truncated.
//
// Returns a report (ok or the first problem); an error only if the store cannot be read.

#include <cstdint>
#include <optional>
#include <string>

#include "audit/audit_log.h"
#include "audit/checkpoint_file.h"
#include "store/store.h"

namespace vigil::audit {

struct VerifyRange {
  std::int64_t first = 1;
  std::int64_t last = -1;  // -1: to the end.
};

struct VerifyReport {
  bool ok = true;
  std::int64_t entries_checked = 0;
  std::int64_t checkpoints_checked = 0;
  std::int64_t last_seq = 0;               // The last entry present in the database.
  std::optional<std::int64_t> broken_seq;  // The first entry found broken (or missing).
  std::string problem;                     // What is wrong with it, lowercase.
};

// `file` may be null (no checkpoint file configured); otherwise a missing file while the
// database holds checkpoints is itself a problem.
Result<VerifyReport> Verify(const store::Store& store, AuditLog& log, const CheckpointFile* file,
                            VerifyRange range = {});

}  // namespace vigil::audit
