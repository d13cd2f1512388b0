#include "cli/app.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "cli/commands.h"
#include "cli/device_app.h"
#include "cli/exit_codes.h"
#include "cli/identity_app.h"
#include "cli/inventory_app.h"
#include "cli/sensor_app.h"
#include "cli/version.h"

namespace vigil::cli {
void AddDataDir(CLI::App* cmd, CommonOptions& options) {
  cmd->add_option("--data-dir", options.data_dir,
                  "data directory (default ./var/data, or VIGIL_DATA_DIR)");
  cmd->add_option("--config", options.config_file,
                  "configuration file (default <data dir>/vigil.toml if present)");
}

CLI::App* OperatorCommand(CLI::App* parent, const std::string& sub, const std::string& help,
                          const std::string& name, CommonOptions& options, int& code,
                          std::vector<std::pair<std::string, std::string*>> keys) {
  CLI::App* cmd = parent->add_subcommand(sub, help);
  AddDataDir(cmd, options);
  cmd->callback([&options, &code, name, keys] {
    server::CommandRequest request{.name = name, .args = {}, .actor = {}};
    for (const auto& [key, value] : keys) {
      if (!value->empty()) request.args[key] = *value;
    }
    code = Execute(options, std::move(request));
  });
  return cmd;
}

int Run(int argc, char** argv) {
  CLI::App app{"Vigil: security for a hospital's connected medical devices"};
  app.require_subcommand(1);
  app.set_version_flag("--version", kVersion);
  CommonOptions options;
  int code = kExitOk;

  auto* serve = app.add_subcommand("serve", "serve the API and dashboard over HTTPS");
  AddDataDir(serve, options);
  serve->add_option("--listen", options.listen, "ADDR:PORT to listen on (default 127.0.0.1:8443)");
  serve->add_option("--gateway-listen", options.gateway_listen,
                    "ADDR:PORT of the device gateway (default 127.0.0.1:8444)");
  serve->callback([&] { code = Serve(options); });

  auto* audit = app.add_subcommand("audit", "the tamper-evident audit log");
  audit->require_subcommand(1);
  std::int64_t first = 1;
  std::int64_t last = -1;
  auto* verify = audit->add_subcommand("verify", "check the chain and its signed checkpoints");
  AddDataDir(verify, options);
  verify->add_option("--from", first, "first entry to check (default 1)");
  verify->add_option("--to", last, "last entry to check (default: the end)");
  verify->callback([&] { code = AuditVerify(options, first, last); });
  std::string since;
  auto* exp = audit->add_subcommand("export", "print entries as JSON lines");
  AddDataDir(exp, options);
  exp->add_option("--since", since, "only entries at or after this RFC 3339 time");
  exp->callback([&] { code = AuditExport(options, since); });

  auto* keys = app.add_subcommand("keys", "the key ring that seals secrets at rest");
  keys->require_subcommand(1);
  auto* status = keys->add_subcommand("status", "show the key file and DEK versions");
  AddDataDir(status, options);
  status->callback([&] { code = KeysStatus(options); });
  auto* rotate = keys->add_subcommand("rotate", "add a DEK version and re-seal every value");
  AddDataDir(rotate, options);
  rotate->callback([&] { code = KeysRotate(options); });
  std::string new_key_file;
  auto* rotate_kek = keys->add_subcommand("rotate-kek", "re-wrap every DEK under a new KEK");
  AddDataDir(rotate_kek, options);
  rotate_kek->add_option("--new-key-file", new_key_file, "the new key file (created if missing)")
      ->required();
  rotate_kek->callback([&] { code = KeysRotateKek(options, new_key_file); });

  std::string backup_dir;
  auto* backup = app.add_subcommand("backup", "write a consistent copy of the database to DIR");
  AddDataDir(backup, options);
  backup->add_option("DIR", backup_dir, "destination directory")->required();
  backup->callback([&] { code = Backup(options, backup_dir); });

  IdentityArgs identity_args;
  AddIdentityCommands(app, options, identity_args, code);
  DeviceArgs device_args;
  AddDeviceCommands(app, options, device_args, code);
  InventoryArgs inventory_args;
  AddInventoryCommands(app, options, inventory_args, code);
  SensorArgs sensor_args;
  AddSensorCommand(app, options, sensor_args, code);

  auto* version = app.add_subcommand("version", "print the version");
  version->callback([&] { std::printf("vigil %s\n", kVersion); });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigil: internal error: %s\n", e.what());
    return kExitFailure;
  }
  return code;
}

}  // namespace vigil::cli
