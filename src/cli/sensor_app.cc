#include "cli/sensor_app.h"

#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <cstdio>

#include "cli/exit_codes.h"
#include "sensor/runner/json_lines_sink.h"
#include "sensor/runner/run_sensor.h"

namespace vigil::cli {
namespace {

std::atomic<bool> g_stop{false};

extern "C" void StopOnSignal(int) { g_stop.store(true); }

bool OutputOk(sensor::Sink& sink) { return static_cast<sensor::JsonLinesSink&>(sink).ok(); }

int RunSensorCommand(const SensorArgs& args) {
  if (!args.json) {
    std::fprintf(stderr,
                 "vigil sensor: say where the records go: --json prints them as JSON lines "
                 "(sending them to a server or a data directory is not built yet)\n");
    return kExitUsage;
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

  sensor::JsonLinesSink sink(stdout);
  auto summary = sensor::RunSensor(options, sink, g_stop, OutputOk);
  if (!summary) {
    sink.Flush();
    std::fprintf(stderr, "vigil sensor: %s\n", summary.error().message.c_str());
    return summary.error().code == ErrorCode::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  sink.WriteLine(device_protocol::WriteSensorStatsJson(sensor::StatsOf(*summary)));
  sink.Flush();
  std::fprintf(stderr, "%s\n", sensor::DescribeSummary(*summary).c_str());
  return sink.ok() ? kExitOk : kExitFailure;
}

}  // namespace

void AddSensorCommand(CLI::App& app, SensorArgs& args, int& code) {
  auto* cmd = app.add_subcommand(
      "sensor", "find and identify devices passively, from capture files or an interface");
  auto* pcap = cmd->add_option("--pcap", args.pcap_files,
                               "capture files (pcap or pcapng), read in order as one capture");
  auto* interface =
      cmd->add_option("--interface", args.interface, "capture live from this interface");
  pcap->excludes(interface);
  cmd->add_option("--bpf", args.bpf, "only packets matching this BPF filter (tcpdump syntax)");
  cmd->add_flag("--json", args.json,
                "print observations, findings and flow records as JSON lines on stdout");
  cmd->add_option("--max-flows", args.max_flows,
                  "flows kept at once before the least recently seen is evicted (default 1048576)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 26));
  cmd->callback([&args, &code] {
    if (args.pcap_files.empty() && args.interface.empty()) {
      std::fprintf(stderr, "vigil sensor: give --pcap FILE... or --interface IF\n");
      code = kExitUsage;
      return;
    }
    code = RunSensorCommand(args);
  });
}

}  // namespace vigil::cli
