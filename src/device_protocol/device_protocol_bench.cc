// What the gateway pays per body: parsing a heartbeat, a telemetry batch and an events batch,
// and writing a telemetry batch (the agent's side).

#include <benchmark/benchmark.h>

#include "device_protocol/messages.h"

namespace vigil::device_protocol {
namespace {

constexpr std::int64_t kT = 1'764'351'960'123'456'789;

std::vector<model::MetricPoint> Points(std::size_t n) {
  std::vector<model::MetricPoint> points;
  for (std::size_t i = 0; i < n; ++i) {
    points.push_back({.name = "cpu.percent",
                      .value = 12.5 + static_cast<double>(i),
                      .unit = "%",
                      .time_unix_nanos = kT + static_cast<std::int64_t>(i) * 1'000'000});
  }
  return points;
}

void BM_ParseHeartbeat(benchmark::State& state) {
  const std::string json = WriteHeartbeat({.time_unix_nanos = kT,
                                           .firmware_version = "2.1.0",
                                           .agent_version = "0.1.0",
                                           .uptime_seconds = 3600,
                                           .state = "in_use",
                                           .spool_dropped = 0});
  for (auto _ : state) benchmark::DoNotOptimize(ParseHeartbeat(json, Limits{}));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * json.size()));
}
BENCHMARK(BM_ParseHeartbeat);

void BM_ParseTelemetry(benchmark::State& state) {
  const std::string json = WriteTelemetry(Points(static_cast<std::size_t>(state.range(0))));
  for (auto _ : state) benchmark::DoNotOptimize(ParseTelemetry(json, Limits{}));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * json.size()));
}
BENCHMARK(BM_ParseTelemetry)->Arg(10)->Arg(100)->Arg(1000);

void BM_ParseEvents(benchmark::State& state) {
  std::vector<model::DeviceEvent> events(
      static_cast<std::size_t>(state.range(0)),
      {.time_unix_nanos = kT,
       .kind = "security",
       .severity = model::EventSeverity::kWarning,
       .message = "login failed for user admin from 10.0.0.5 (3rd attempt)",
       .attributes = {{"user", "admin"}, {"source", "ssh"}}});
  const std::string json = WriteEvents(events);
  for (auto _ : state) benchmark::DoNotOptimize(ParseEvents(json, Limits{}));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * json.size()));
}
BENCHMARK(BM_ParseEvents)->Arg(10)->Arg(100);

void BM_WriteTelemetry(benchmark::State& state) {
  const auto points = Points(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(WriteTelemetry(points));
}
BENCHMARK(BM_WriteTelemetry)->Arg(100);

}  // namespace
}  // namespace vigil::device_protocol
