#pragma once

// AuditService: verification and export of the audit log for operators and auditors.
//
// Thread safety: safe to call from any thread.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "audit/verifier.h"
#include "server/runtime.h"

namespace vigil::server {

class AuditService {
 public:
  explicit AuditService(Runtime& runtime) : rt_(runtime) {}

  Result<audit::VerifyReport> Verify(audit::VerifyRange range = {});

  // Calls `line` with one JSON object per entry at or after `since_unix_ns`, oldest first:
  // {"seq","time","actor_kind","actor","action","target","details","hash","prev_hash",
  //  "key_version"}. Returns the number of entries.
  Result<std::int64_t> Export(std::int64_t since_unix_ns,
                              const std::function<void(const std::string&)>& line);
  // Up to `limit` entries from sequence number `first` on, as Export's JSON lines.
  Result<std::vector<std::string>> Page(std::int64_t first, std::int64_t limit);

 private:
  Runtime& rt_;
};

}  // namespace vigil::server
