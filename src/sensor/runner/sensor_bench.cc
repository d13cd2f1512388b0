// The sensor's loop without the rest of vigil, for profiling: reads capture files through the
// whole pipeline and writes every record as JSON to /dev/null, then prints packets per second.
// The side-by-side figures come from bench/sensor.sh, which runs `vigil sensor` itself.
#include <chrono>
#include <cstdio>
#include <string>

#include "sensor/runner/json_lines_sink.h"
#include "sensor/runner/run_sensor.h"

int main(int argc, char** argv) {
  using namespace vigil::sensor;
  if (argc < 2) {
    std::fprintf(stderr, "usage: sensor_bench FILE.pcap...\n");
    return 2;
  }
  SensorRunOptions options;
  for (int i = 1; i < argc; ++i) options.pcap_files.emplace_back(argv[i]);
  std::FILE* null = std::fopen("/dev/null", "w");
  JsonLinesSink sink(null);
  std::atomic<bool> stop{false};
  auto start = std::chrono::steady_clock::now();
  auto summary = RunSensor(options, sink, stop);
  sink.Flush();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!summary) {
    std::fprintf(stderr, "sensor_bench: %s\n", summary.error().message.c_str());
    return 1;
  }
  std::printf("%s\n%.0f packets/s (%.2f s)\n", DescribeSummary(*summary).c_str(),
              static_cast<double>(summary->packets.frames) / seconds, seconds);
  return 0;
}
