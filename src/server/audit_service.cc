#include "server/audit_service.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/hex.h"
#include "core/time_format.h"

namespace vigil::server {

Result<audit::VerifyReport> AuditService::Verify(audit::VerifyRange range) {
  return audit::Verify(rt_.store(), rt_.audit(), &rt_.checkpoint_file(), range);
}

namespace {

std::string EntryLine(const store::AuditRow& row) {
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
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

Result<std::int64_t> AuditService::Export(std::int64_t since_unix_ns,
                                          const std::function<void(const std::string&)>& line) {
  std::int64_t count = 0;
  VIGIL_RETURN_IF_ERROR(rt_.store().Read([&](store::ReadTransaction& tx) -> Status {
    return tx.audit().ScanSince(since_unix_ns, [&](const store::AuditRow& row) {
      line(EntryLine(row));
      ++count;
      return true;
    });
  }));
  return count;
}

Result<std::vector<std::string>> AuditService::Page(std::int64_t first, std::int64_t limit) {
  std::vector<std::string> lines;
  if (limit <= 0) return lines;
  VIGIL_RETURN_IF_ERROR(rt_.store().Read([&](store::ReadTransaction& tx) -> Status {
    return tx.audit().Scan(std::max<std::int64_t>(first, 1), first + limit - 1,
                           [&](const store::AuditRow& row) {
                             lines.push_back(EntryLine(row));
                             return true;
                           });
  }));
  return lines;
}

}  // namespace vigil::server
