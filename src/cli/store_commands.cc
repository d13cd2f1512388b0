// Commands that open the data directory directly: audit, keys, backup. They take the data
// directory's lock, so they refuse (exit 4) while `vigil serve` runs on it.

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "core/time_format.h"
#include "server/audit_service.h"
#include "server/keys_service.h"
#include "server/runtime.h"

namespace vigil::cli {
namespace {

audit::Actor CliActor() {
  const char* user = ::getenv("SUDO_USER");
  if (user == nullptr) user = ::getenv("USER");
  return {audit::ActorKind::kSystem,
          std::string("cli:") + (user != nullptr ? user : std::to_string(::getuid()))};
}

// Resolves the configuration and opens the existing data directory.
Result<std::unique_ptr<server::Runtime>> OpenExisting(const CommonOptions& options) {
  auto cfg = ResolveConfig(options);
  if (!cfg) return tl::unexpected(cfg.error());
  return server::Runtime::Open(*cfg, {.create = false});
}

}  // namespace

int AuditVerify(const CommonOptions& options, std::int64_t first, std::int64_t last) {
  auto rt = OpenExisting(options);
  if (!rt) return ReportError(rt.error());
  server::AuditService service(**rt);
  auto report = service.Verify({.first = first, .last = last});
  if (!report) return ReportError(report.error());
  if (report->ok) {
    std::printf("audit log intact: %lld entries checked (last %lld), %lld signed checkpoints\n",
                static_cast<long long>(report->entries_checked),
                static_cast<long long>(report->last_seq),
                static_cast<long long>(report->checkpoints_checked));
    return kExitOk;
  }
  std::printf("audit log BROKEN at entry %lld: %s\n",
              static_cast<long long>(report->broken_seq.value_or(0)), report->problem.c_str());
  std::printf("%lld entries verified before it\n", static_cast<long long>(report->entries_checked));
  return kExitTampered;
}

int AuditExport(const CommonOptions& options, const std::string& since) {
  std::int64_t since_ns = 0;
  if (!since.empty()) {
    auto parsed = ParseRfc3339(since);
    if (!parsed) return ReportError(Annotate(parsed.error(), "--since"));
    since_ns = *parsed;
  }
  auto rt = OpenExisting(options);
  if (!rt) return ReportError(rt.error());
  server::AuditService service(**rt);
  auto count = service.Export(since_ns, [](const std::string& line) {
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
  });
  if (!count) return ReportError(count.error());
  return std::fflush(stdout) == 0 ? kExitOk : kExitFailure;
}

int KeysStatus(const CommonOptions& options) {
  auto rt = OpenExisting(options);
  if (!rt) return ReportError(rt.error());
  auto status = server::KeysService(**rt).Status();
  if (!status) return ReportError(status.error());
  std::printf("key file:        %s\n", status->key_file.c_str());
  std::printf("current DEK:     version %u\n", status->current_version);
  for (auto v : status->versions) {
    const auto it = status->secrets_by_version.find(v);
    std::printf("  DEK version %u: %lld sealed values\n", v,
                static_cast<long long>(it == status->secrets_by_version.end() ? 0 : it->second));
  }
  return kExitOk;
}

int KeysRotate(const CommonOptions& options) {
  auto rt = OpenExisting(options);
  if (!rt) return ReportError(rt.error());
  auto result = server::KeysService(**rt).Rotate(CliActor());
  if (!result) return ReportError(result.error());
  std::printf("rotated: new DEK version %u; %lld sealed values re-sealed under it\n",
              result->new_version, static_cast<long long>(result->resealed));
  return kExitOk;
}

int KeysRotateKek(const CommonOptions& options, const std::string& new_key_file) {
  auto rt = OpenExisting(options);
  if (!rt) return ReportError(rt.error());
  const std::string old_file = (*rt)->key_file().string();
  auto st = server::KeysService(**rt).RotateKek(new_key_file, CliActor());
  if (!st) return ReportError(st.error());
  std::printf(
      "key-encryption key replaced: every DEK is now wrapped by %s.\n"
      "Point storage.key_file (or VIGIL_KEY_FILE) at it, keep a copy offline, and destroy the "
      "old key file %s.\n",
      new_key_file.c_str(), old_file.c_str());
  return kExitOk;
}

int Backup(const CommonOptions& options, const std::string& destination_dir) {
  auto rt = OpenExisting(options);
  if (!rt) return ReportError(rt.error());
  std::error_code ec;
  std::filesystem::create_directories(destination_dir, ec);
  if (ec) {
    return ReportError({ErrorCode::kUnavailable,
                        "backup: cannot create " + destination_dir + ": " + ec.message()});
  }
  const auto dest = std::filesystem::path(destination_dir) / "vigil.db";
  if (auto st = (*rt)->store().Backup(dest); !st) return ReportError(st.error());
  if (auto st = (*rt)->Record({.actor = CliActor(),
                               .action = "store.backup",
                               .target = dest.string(),
                               .details = nlohmann::json::object()});
      !st) {
    return ReportError(st.error());
  }
  std::printf(
      "backup written to %s\nThe key file %s is not in the backup: keep it safe separately; "
      "without it the sealed values cannot be opened.\n",
      dest.c_str(), (*rt)->key_file().c_str());
  return kExitOk;
}

}  // namespace vigil::cli
