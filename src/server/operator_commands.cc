#include "server/operator_commands.h"

#include <charconv>

#include "core/time_format.h"
#include "server/audit_service.h"
#include "server/device_commands.h"
#include "server/identity_commands.h"
#include "server/inventory_commands.h"
#include "server/keys_service.h"
#include "server/sensor_commands.h"

namespace vigil::server {

std::string Arg(const CommandRequest& r, const std::string& name) {
  auto it = r.args.find(name);
  return it == r.args.end() ? std::string() : it->second;
}

Outcome Fail(const LineSink& err, const Error& e) {
  err(e.message);
  return e.code == ErrorCode::kInvalidArgument ? Outcome::kUsage : Outcome::kFailed;
}

namespace {

Result<std::int64_t> IntArg(const CommandRequest& r, const std::string& name, std::int64_t def) {
  const std::string text = Arg(r, name);
  if (text.empty()) return def;
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return MakeError(ErrorCode::kInvalidArgument, "--" + name + ": not an integer: " + text);
  }
  return v;
}

Outcome Verify(Runtime& rt, const CommandRequest& r, const LineSink& out, const LineSink& err) {
  auto first = IntArg(r, "from", 1);
  auto last = IntArg(r, "to", -1);
  if (!first) return Fail(err, first.error());
  if (!last) return Fail(err, last.error());
  auto report = AuditService(rt).Verify({.first = *first, .last = *last});
  if (!report) return Fail(err, report.error());
  if (report->ok) {
    out("audit log intact: " + std::to_string(report->entries_checked) + " entries checked (last " +
        std::to_string(report->last_seq) + "), " + std::to_string(report->checkpoints_checked) +
        " signed checkpoints");
    return Outcome::kOk;
  }
  out("audit log BROKEN at entry " + std::to_string(report->broken_seq.value_or(0)) + ": " +
      report->problem);
  out(std::to_string(report->entries_checked) + " entries verified before it");
  return Outcome::kTampered;
}

Outcome Export(Runtime& rt, const CommandRequest& r, const LineSink& out, const LineSink& err) {
  std::int64_t since_ns = 0;
  if (const std::string since = Arg(r, "since"); !since.empty()) {
    auto parsed = ParseRfc3339(since);
    if (!parsed) return Fail(err, Annotate(parsed.error(), "--since"));
    since_ns = *parsed;
  }
  auto count = AuditService(rt).Export(since_ns, [&](const std::string& line) { out(line); });
  return count ? Outcome::kOk : Fail(err, count.error());
}

Outcome KeysStatus(Runtime& rt, const LineSink& out, const LineSink& err) {
  auto status = KeysService(rt).Status();
  if (!status) return Fail(err, status.error());
  out("key file:        " + status->key_file);
  out("current DEK:     version " + std::to_string(status->current_version));
  for (auto v : status->versions) {
    const auto it = status->secrets_by_version.find(v);
    const std::int64_t n = it == status->secrets_by_version.end() ? 0 : it->second;
    out("  DEK version " + std::to_string(v) + ": " + std::to_string(n) + " sealed values");
  }
  return Outcome::kOk;
}

Outcome KeysRotate(Runtime& rt, const CommandRequest& r, const LineSink& out, const LineSink& err) {
  auto result = KeysService(rt).Rotate(r.actor);
  if (!result) return Fail(err, result.error());
  out("rotated: new DEK version " + std::to_string(result->new_version) + "; " +
      std::to_string(result->resealed) + " sealed values re-sealed under it");
  return Outcome::kOk;
}

Outcome RotateKek(Runtime& rt, const CommandRequest& r, const LineSink& out, const LineSink& err) {
  const std::string file = Arg(r, "new_key_file");
  if (file.empty()) return Fail(err, {ErrorCode::kInvalidArgument, "--new-key-file is required"});
  const std::string old_file = rt.key_file().string();
  if (auto st = KeysService(rt).RotateKek(file, r.actor); !st) return Fail(err, st.error());
  out("key-encryption key replaced: every DEK is now wrapped by " + file + ".");
  out("Point storage.key_file (or VIGIL_KEY_FILE) at it, keep a copy offline, and destroy the "
      "old key file " +
      old_file + ".");
  return Outcome::kOk;
}

Outcome Backup(Runtime& rt, const CommandRequest& r, const LineSink& out, const LineSink& err) {
  const std::string dir = Arg(r, "dir");
  if (dir.empty()) return Fail(err, {ErrorCode::kInvalidArgument, "backup: DIR is required"});
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Fail(err, {ErrorCode::kUnavailable, "backup: cannot create " + dir});
  const auto dest = std::filesystem::path(dir) / "vigil.db";
  if (auto st = rt.store().Backup(dest); !st) return Fail(err, st.error());
  if (auto st = rt.Record({.actor = r.actor, .action = "store.backup", .target = dest.string()});
      !st) {
    return Fail(err, st.error());
  }
  out("backup written to " + dest.string());
  out("The key file " + rt.key_file().string() +
      " is not in the backup: keep it safe separately; without it the sealed values cannot be "
      "opened.");
  return Outcome::kOk;
}

}  // namespace

Outcome RunOperatorCommand(Runtime& runtime, const CommandRequest& request, const LineSink& out,
                           const LineSink& err) {
  const std::string& n = request.name;
  if (n == "audit.verify") return Verify(runtime, request, out, err);
  if (n == "audit.export") return Export(runtime, request, out, err);
  if (n == "keys.status") return KeysStatus(runtime, out, err);
  if (n == "keys.rotate") return KeysRotate(runtime, request, out, err);
  if (n == "keys.rotate_kek") return RotateKek(runtime, request, out, err);
  if (n == "backup") return Backup(runtime, request, out, err);
  if (auto outcome = RunIdentityCommand(runtime, request, out, err)) return *outcome;
  if (auto outcome = RunDeviceCommand(runtime, request, out, err)) return *outcome;
  if (auto outcome = RunInventoryCommand(runtime, request, out, err)) return *outcome;
  if (auto outcome = RunSensorCommand(runtime, request, out, err)) return *outcome;
  err("unknown command '" + n + "'");
  return Outcome::kUsage;
}

}  // namespace vigil::server
