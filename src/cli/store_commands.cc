// Commands on the data directory: audit, keys, backup. When `vigil serve` owns the directory
// they go through its control socket; otherwise they take the lock and open the store here.
// Either way the same server::RunOperatorCommand does the work.

#include <unistd.h>

#include <cstdio>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "server/control_socket.h"
#include "server/operator_commands.h"
#include "server/runtime.h"

namespace vigil::cli {
namespace {

audit::Actor CliActor() {
  const char* user = ::getenv("SUDO_USER");
  if (user == nullptr) user = ::getenv("USER");
  return {audit::ActorKind::kSystem,
          std::string("cli:") + (user != nullptr ? user : std::to_string(::getuid()))};
}

void PrintLine(FILE* to, std::string_view line) {
  std::fwrite(line.data(), 1, line.size(), to);
  std::fputc('\n', to);
}

}  // namespace

int Execute(const CommonOptions& options, server::CommandRequest request) {
  auto cfg = ResolveConfig(options);
  if (!cfg) return ReportError(cfg.error());
  request.actor = CliActor();
  const auto out = [](std::string_view l) { PrintLine(stdout, l); };
  const auto err = [](std::string_view l) {
    std::fputs("vigil: ", stderr);
    PrintLine(stderr, l);
  };
  const auto socket = std::filesystem::path(cfg->storage.data_dir) / "control.sock";
  std::error_code ec;
  if (std::filesystem::exists(socket, ec)) {
    auto outcome = server::SendControlCommand(socket, request, out, err);
    if (outcome) return static_cast<int>(*outcome);
    // A socket file left by a server that died: fall through and take the lock ourselves.
  }
  auto rt = server::Runtime::Open(*cfg, {.create = false});
  if (!rt) return ReportError(rt.error());
  const int code = static_cast<int>(server::RunOperatorCommand(**rt, request, out, err));
  return std::fflush(stdout) == 0 ? code : kExitFailure;
}

int AuditVerify(const CommonOptions& options, std::int64_t first, std::int64_t last) {
  return Execute(options,
                 {.name = "audit.verify",
                  .args = {{"from", std::to_string(first)}, {"to", std::to_string(last)}}});
}

int AuditExport(const CommonOptions& options, const std::string& since) {
  return Execute(options, {.name = "audit.export", .args = {{"since", since}}});
}

int KeysStatus(const CommonOptions& options) { return Execute(options, {.name = "keys.status"}); }

int KeysRotate(const CommonOptions& options) { return Execute(options, {.name = "keys.rotate"}); }

int KeysRotateKek(const CommonOptions& options, const std::string& new_key_file) {
  // The server resolves relative paths against its own directory: send an absolute one.
  const std::string absolute = std::filesystem::absolute(new_key_file).string();
  return Execute(options, {.name = "keys.rotate_kek", .args = {{"new_key_file", absolute}}});
}

int Backup(const CommonOptions& options, const std::string& destination_dir) {
  const std::string absolute = std::filesystem::absolute(destination_dir).string();
  return Execute(options, {.name = "backup", .args = {{"dir", absolute}}});
}

}  // namespace vigil::cli
