// The gateway's hot path on the SQLite store: AppendTelemetry of one point per Write() (one
// request, one commit, grouped with the writes of other threads), of a 500-point batch, and the
// compaction of an hour. Goal (issue 4): about 10k points/s of single-point writes.

#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_store.h"
#include "testing/fixtures.h"

namespace vigil::store::sqlite {
namespace {

constexpr std::int64_t kBase = 472'222LL * 3'600'000'000'000LL;
constexpr int kDevices = 100;

std::string DeviceIdFor(int n) {
  const std::string digits = std::to_string(n);
  return std::string(32 - digits.size(), '0') + digits;
}

// One store per benchmark run, with kDevices devices.
struct Fixture {
  Fixture() {
    auto opened = SqliteStore::Open(dir.path() / "vigil.db");
    if (!opened) std::abort();
    store = std::move(*opened);
    auto added = store->Write([](Transaction& tx) -> Status {
      for (int i = 0; i < kDevices; ++i) {
        VIGIL_RETURN_IF_ERROR(tx.devices().AddDevice(
            DeviceRecord{.id = DeviceIdFor(i), .name = "device " + std::to_string(i)}));
      }
      return OkStatus();
    });
    if (!added) std::abort();
  }
  ::vigil::testing::TempDir dir;
  std::unique_ptr<SqliteStore> store;
  std::atomic<std::int64_t> next{0};
};

Fixture* fixture = nullptr;

// Arg 0: Durability (0 normal, 1 full). Run with several threads so commits are grouped, as
// concurrent gateway requests are.
void BM_AppendOnePointPerWrite(benchmark::State& state) {
  if (state.thread_index() == 0) fixture = new Fixture();
  const Durability durability = state.range(0) == 0 ? Durability::kNormal : Durability::kFull;
  for (auto _ : state) {
    const std::int64_t n = fixture->next.fetch_add(1);
    const std::vector<model::MetricPoint> points = {{.name = "cpu.percent",
                                                     .value = static_cast<double>(n % 1000) / 10,
                                                     .unit = "%",
                                                     .time_unix_nanos = kBase + n * 1'000'000}};
    const std::string device = DeviceIdFor(static_cast<int>(n % kDevices));
    auto written = fixture->store->Write(
        [&](Transaction& tx) { return tx.devices().AppendTelemetry(device, points); }, durability);
    if (!written) state.SkipWithError(written.error().message.c_str());
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    delete fixture;
    fixture = nullptr;
  }
}
BENCHMARK(BM_AppendOnePointPerWrite)
    ->Arg(0)
    ->Arg(1)
    ->Threads(1)
    ->Threads(8)
    ->Threads(32)
    ->UseRealTime();

void BM_AppendBatchOf500(benchmark::State& state) {
  Fixture local;
  std::int64_t n = 0;
  for (auto _ : state) {
    std::vector<model::MetricPoint> points;
    for (int i = 0; i < 500; ++i, ++n) {
      points.push_back({.name = "metric." + std::to_string(i % 20),
                        .value = static_cast<double>(n % 1000) / 10,
                        .unit = "%",
                        .time_unix_nanos = kBase + n * 1'000'000});
    }
    auto written = local.store->Write(
        [&](Transaction& tx) { return tx.devices().AppendTelemetry(DeviceIdFor(0), points); },
        Durability::kFull);
    if (!written) state.SkipWithError(written.error().message.c_str());
  }
  state.SetItemsProcessed(state.iterations() * 500);
}
BENCHMARK(BM_AppendBatchOf500)->UseRealTime();

// Compacting an hour of 10-second samples of 20 metrics on each of 100 devices (720k points).
void BM_CompactAnHour(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    Fixture local;
    for (int d = 0; d < kDevices; ++d) {
      std::vector<model::MetricPoint> points;
      for (int m = 0; m < 20; ++m) {
        for (int s = 0; s < 360; ++s) {
          points.push_back({.name = "metric." + std::to_string(m),
                            .value = static_cast<double>((s * 7 + m) % 1000) / 10,
                            .unit = "%",
                            .time_unix_nanos = kBase + s * 10'000'000'000LL});
        }
      }
      auto written = local.store->Write(
          [&](Transaction& tx) { return tx.devices().AppendTelemetry(DeviceIdFor(d), points); });
      if (!written) state.SkipWithError(written.error().message.c_str());
    }
    state.ResumeTiming();
    std::int64_t moved = 0;
    auto compacted = local.store->Write([&](Transaction& tx) -> Status {
      auto n = tx.devices().CompactTelemetry(kBase + 3'600'000'000'000LL);
      if (!n) return tl::unexpected(n.error());
      moved = *n;
      return OkStatus();
    });
    if (!compacted) state.SkipWithError(compacted.error().message.c_str());
    state.SetItemsProcessed(state.items_processed() + moved);
  }
}
BENCHMARK(BM_CompactAnHour)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace vigil::store::sqlite
