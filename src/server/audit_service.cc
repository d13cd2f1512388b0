#include "server/audit_service.h"

#include <nlohmann/json.hpp>

#include "core/hex.h"
#include "core/time_format.h"

namespace vigil::server {

Result<audit::VerifyReport> AuditService::Verify(audit::VerifyRange range) {
  return audit::Verify(rt_.store(), rt_.audit(), &rt_.checkpoint_file(), range);
}

Result<std::int64_t> AuditService::Export(std::int64_t since_unix_ns,
                                          const std::function<void(const std::string&)>& line) {
  std::int64_t count = 0;
  VIGIL_RETURN_IF_ERROR(rt_.store().Read([&](store::ReadTransaction& tx) -> Status {
    return tx.audit().ScanSince(since_unix_ns, [&](const store::AuditRow& row) {
      nlohmann::json details = nlohmann::json::parse(row.details_json, nullptr, false);
      if (details.is_discarded()) details = row.details_json;  // Shown as stored.
      const nlohmann::json j = {{"seq", row.seq},
                                {"time", FormatRfc3339(row.time_unix_ns, 9)},
                                {"actor_kind", row.actor_kind},
                                {"actor", row.actor},
                                {"action", row.action},
                                {"target", row.target},
                                {"details", details},
                                {"prev_hash", HexEncode(row.prev_hash)},
                                {"hash", HexEncode(row.hash)},
                                {"key_version", row.key_version}};
      line(j.dump());
      ++count;
      return true;
    });
  }));
  return count;
}

}  // namespace vigil::server
