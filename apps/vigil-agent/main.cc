// The `vigil-agent` binary: the command line (CLI11) and nothing else; the commands are in
// agent/commands.h. Exit codes: 0 ok, 1 error, 2 usage.

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "agent/commands.h"

int main(int argc, char** argv) {
  using namespace vigil::agent;
  CLI::App app{"vigil-agent: enrols a device with Vigil and reports its health over mutual TLS"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("vigil-agent ") + AgentVersion());
  int code = kExitOk;

  EnrollArgs enroll;
  auto* enroll_cmd = app.add_subcommand("enroll", "enrol this device with a one-time token");
  enroll_cmd->add_option("--server", enroll.server, "gateway URL, https://host:port")->required();
  enroll_cmd->add_option("--token", enroll.token, "one-time enrolment token")->required();
  enroll_cmd
      ->add_option("--ca-fingerprint", enroll.ca_fingerprint,
                   "SHA-256 of Vigil's device root CA (hex, colons allowed)")
      ->required();
  enroll_cmd->add_option("--state-dir", enroll.state_dir, "state directory")->capture_default_str();
  enroll_cmd->callback([&] { code = EnrollCommand(enroll); });

  RunArgs run;
  auto* run_cmd = app.add_subcommand("run", "report heartbeats and telemetry until stopped");
  run_cmd->add_option("--state-dir", run.state_dir, "state directory")->capture_default_str();
  auto* command = run_cmd->add_option("--metrics-command", run.metrics_command,
                                      "command printing metrics as JSON (docs/cli.md)");
  auto* file = run_cmd->add_option("--metrics-file", run.metrics_file, "JSON file of metrics");
  command->excludes(file);
  run_cmd->add_option("--spool-max-bytes", run.spool_max_bytes, "disk spool bound")
      ->check(CLI::Range(std::uint64_t{4096}, std::uint64_t{1} << 40))
      ->capture_default_str();
  run_cmd->add_flag("--once", run.once, "run one cycle, print what it did, exit");
  run_cmd->callback([&] { code = RunCommand(run); });

  std::string status_dir = kDefaultStateDir;
  auto* status_cmd = app.add_subcommand("status", "show device, certificate, spool, contact");
  status_cmd->add_option("--state-dir", status_dir, "state directory")->capture_default_str();
  status_cmd->callback([&] { code = StatusCommand(status_dir); });

  try {
    SetUpAgentLogging();
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigil-agent: internal error: %s\n", e.what());
    return kExitFailure;
  }
  return code;
}
