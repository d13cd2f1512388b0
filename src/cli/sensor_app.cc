#include "cli/sensor_app.h"

#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>

#include "cli/app.h"
#include "cli/exit_codes.h"
#include "cli/options.h"
#include "cli/sensor_outputs.h"
#include "cli/sensor_remote.h"
#include "sensor/runner/json_lines_sink.h"
#include "sensor/runner/run_sensor.h"
#include "server/runtime.h"

namespace vigil::cli {
namespace {

std::atomic<bool> g_stop{false};

extern "C" void StopOnSignal(int) { g_stop.store(true); }

bool OutputOk(sensor::Sink& sink) { return static_cast<SensorOutputs&>(sink).ok(); }

// The data directory's Runtime, refusing one a running server holds (the records must then go
// to the server).
Result<std::unique_ptr<server::Runtime>> OpenDataDir(const SensorArgs& args) {
  auto cfg = ResolveConfig({.config_file = args.config_file,
                            .data_dir = args.data_dir,
                            .listen = "",
                            .gateway_listen = ""});
  if (!cfg) return tl::unexpected(std::move(cfg).error());
  SetUpLogging(cfg->log);
  auto rt = server::Runtime::Open(*cfg, {.create = true});
  if (!rt && rt.error().code == ErrorCode::kLocked) {
    return MakeError(ErrorCode::kLocked,
                     "data directory " + cfg->storage.data_dir +
                         " is held by a running server; send the records to it with --server "
                         "instead of --data-dir");
  }
  return rt;
}

std::string SourceName(const SensorArgs& args) {
  if (!args.interface.empty()) return "interface:" + args.interface;
  std::string name = "pcap:";
  for (std::size_t i = 0; i < args.pcap_files.size(); ++i) {
    name += (i == 0 ? "" : ",") + args.pcap_files[i];
  }
  return name;
}

// `vigil sensor ... --server URL`: the records go to the gateway through the uplink (and to
// stdout as well with --json).
int RunSensorToServer(const SensorArgs& args, sensor::SensorRunOptions options) {
  auto uplink = OpenUplink(args.server_url, args.state_dir);
  if (!uplink) {
    std::fprintf(stderr, "vigil sensor: %s\n", uplink.error().message.c_str());
    return uplink.error().code == ErrorCode::kLocked ? kExitInUse : kExitFailure;
  }
  std::fprintf(stderr, "vigil sensor: sending to %s as sensor %s\n", args.server_url.c_str(),
               uplink->sensor_id.c_str());
  sensor::JsonLinesSink json(stdout);
  TeeSink tee(json, *uplink->sink);
  sensor::Sink& sink = args.json ? static_cast<sensor::Sink&>(tee) : *uplink->sink;
  auto summary = sensor::RunSensor(options, sink, g_stop, nullptr);
  uplink->sink->Close();
  json.Flush();
  if (!summary) {
    std::fprintf(stderr, "vigil sensor: %s\n", summary.error().message.c_str());
    return summary.error().code == ErrorCode::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  std::fprintf(stderr, "%s\n%s\n", sensor::DescribeSummary(*summary).c_str(),
               DescribeUplink(uplink->sink->stats()).c_str());
  return kExitOk;
}

int RunSensorCommand(const SensorArgs& args) {
  if (!args.json && args.data_dir.empty() && args.server_url.empty()) {
    std::fprintf(stderr,
                 "vigil sensor: say where the records go: --json prints them as JSON lines, "
                 "--data-dir DIR adds them to that data directory's inventory, --server URL "
                 "sends them to a Vigil server (after `vigil sensor enroll`)\n");
    return kExitUsage;
  }
  if (!args.server_url.empty() && !args.data_dir.empty()) {
    std::fprintf(stderr, "vigil sensor: give --server or --data-dir, not both\n");
    return kExitUsage;
  }
  std::unique_ptr<server::Runtime> rt;
  if (!args.data_dir.empty()) {
    auto opened = OpenDataDir(args);
    if (!opened) {
      std::fprintf(stderr, "vigil sensor: %s\n", opened.error().message.c_str());
      return opened.error().code == ErrorCode::kLocked ? kExitInUse : kExitFailure;
    }
    rt = std::move(*opened);
  }
  sensor::SensorRunOptions options{.pcap_files = args.pcap_files,
                                   .interface = args.interface,
                                   .bpf_filter = args.bpf,
                                   .pipeline = {}};
  options.pipeline.flows.max_flows = args.max_flows;
  options.on_open = [live = !args.interface.empty()](const sensor::PacketSource& source) {
    std::fprintf(stderr, "vigil sensor: %s %s\n", live ? "capturing on" : "reading",
                 source.name().c_str());
  };
  g_stop.store(false);
  std::signal(SIGINT, StopOnSignal);
  std::signal(SIGTERM, StopOnSignal);
  std::signal(SIGPIPE, SIG_IGN);  // A closed pipe shows as a write error instead.

  if (!args.server_url.empty()) return RunSensorToServer(args, std::move(options));
  sensor::JsonLinesSink sink(stdout);
  std::optional<InventoryBatcher> batcher;
  if (rt) batcher.emplace(rt->inventory(), SourceName(args));
  SensorOutputs outputs(args.json ? &sink : nullptr, batcher ? &*batcher : nullptr);
  auto summary = sensor::RunSensor(options, outputs, g_stop, OutputOk);
  if (batcher) batcher->Finish();
  if (batcher && !batcher->ok()) {
    sink.Flush();
    std::fprintf(stderr, "vigil sensor: storing in %s: %s\n", args.data_dir.c_str(),
                 batcher->status().error().message.c_str());
    return kExitFailure;
  }
  if (!summary) {
    sink.Flush();
    std::fprintf(stderr, "vigil sensor: %s\n", summary.error().message.c_str());
    return summary.error().code == ErrorCode::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  if (args.json) sink.WriteLine(device_protocol::WriteSensorStatsJson(sensor::StatsOf(*summary)));
  sink.Flush();
  std::fprintf(stderr, "%s\n", sensor::DescribeSummary(*summary).c_str());
  if (batcher) {
    std::fprintf(stderr, "vigil sensor: stored in %s in %llu batches\n", args.data_dir.c_str(),
                 static_cast<unsigned long long>(batcher->batches()));
  }
  return sink.ok() ? kExitOk : kExitFailure;
}

}  // namespace

// vigil sensor add|list|revoke (operator commands) and enroll (on the sensor).
void AddSensorSubcommands(CLI::App* cmd, CommonOptions& options, SensorArgs& a, int& code) {
  auto* add = OperatorCommand(cmd, "add", "create a sensor and a one-time enrolment token",
                              "sensor.add", options, code, {{"name", &a.name}});
  add->add_option("NAME", a.name, "a label, e.g. \"ward 3 span port\"")->required();
  OperatorCommand(cmd, "list", "list sensors with their certificate state", "sensor.list", options,
                  code, {});
  auto* revoke = OperatorCommand(cmd, "revoke", "revoke the sensor's certificates", "sensor.revoke",
                                 options, code, {{"id", &a.id}, {"reason", &a.reason}});
  revoke->add_option("ID", a.id, "sensor id")->required();
  revoke->add_option("--reason", a.reason,
                     "key_compromise, affiliation_changed, superseded, cessation_of_operation or "
                     "unspecified (default)");
  auto* enroll = cmd->add_subcommand("enroll", "enrol this sensor with a Vigil server");
  enroll->add_option("--server", a.server_url, "the gateway, https://HOST:PORT")->required();
  enroll->add_option("--token", a.token, "the token from `vigil sensor add`")->required();
  enroll
      ->add_option("--ca-fingerprint", a.ca_fingerprint,
                   "SHA-256 of Vigil's device CA root, from `vigil sensor add`")
      ->required();
  enroll->add_option("--state-dir", a.state_dir,
                     "where the key and certificate are kept (default /var/lib/vigil-sensor)");
  enroll->callback([&a, &code] {
    code = SensorEnroll({.server_url = a.server_url,
                         .token = a.token,
                         .ca_fingerprint = a.ca_fingerprint,
                         .state_dir = a.state_dir});
  });
}

void AddSensorCommand(CLI::App& app, CommonOptions& options, SensorArgs& args, int& code) {
  auto* cmd = app.add_subcommand(
      "sensor", "find and identify devices passively, from capture files or an interface");
  AddSensorSubcommands(cmd, options, args, code);
  auto* pcap = cmd->add_option("--pcap", args.pcap_files,
                               "capture files (pcap or pcapng), read in order as one capture");
  auto* interface =
      cmd->add_option("--interface", args.interface, "capture live from this interface");
  pcap->excludes(interface);
  cmd->add_option("--bpf", args.bpf, "only packets matching this BPF filter (tcpdump syntax)");
  cmd->add_flag("--json", args.json,
                "print observations, findings and flow records as JSON lines on stdout");
  cmd->add_option("--data-dir", args.data_dir,
                  "add what is seen to this data directory's inventory (created if missing; "
                  "refused while a server holds it)");
  cmd->add_option("--server", args.server_url,
                  "send the records to this Vigil gateway (https://HOST:PORT) with the sensor's "
                  "enrolled certificate");
  cmd->add_option("--state-dir", args.state_dir,
                  "the enrolled sensor's credentials (default /var/lib/vigil-sensor)");
  cmd->add_option("--config", args.config_file,
                  "configuration file (default <data dir>/vigil.toml if present)");
  cmd->add_option("--max-flows", args.max_flows,
                  "flows kept at once before the least recently seen is evicted (default 1048576)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 26));
  cmd->callback([cmd, &args, &code] {
    if (!cmd->get_subcommands().empty()) return;  // add, list, revoke or enroll ran.
    if (args.pcap_files.empty() && args.interface.empty()) {
      std::fprintf(stderr, "vigil sensor: give --pcap FILE... or --interface IF\n");
      code = kExitUsage;
      return;
    }
    code = RunSensorCommand(args);
  });
}

}  // namespace vigil::cli
