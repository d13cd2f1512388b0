// HMAC-SHA-256 over audit-entry-sized inputs: a reused context (the audit verifier's path; the
// goal is 1M entries in well under 3 s) against the one-shot function, and plain SHA-256.

#include <benchmark/benchmark.h>

#include <vector>

#include "crypto/hash.h"

namespace vigil::crypto {
namespace {

void BM_HmacSha256Context(benchmark::State& state) {
  const std::vector<std::uint8_t> key(32, 1);
  const std::vector<std::uint8_t> entry(static_cast<std::size_t>(state.range(0)), 2);
  HmacSha256Context ctx(key);
  for (auto _ : state) {
    benchmark::DoNotOptimize(ctx.Compute(entry));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HmacSha256Context)->Arg(300);

void BM_HmacSha256OneShot(benchmark::State& state) {
  const std::vector<std::uint8_t> key(32, 1);
  const std::vector<std::uint8_t> entry(static_cast<std::size_t>(state.range(0)), 2);
  for (auto _ : state) {
    benchmark::DoNotOptimize(HmacSha256(key, entry));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HmacSha256OneShot)->Arg(300);

void BM_Sha256(benchmark::State& state) {
  const std::vector<std::uint8_t> data(static_cast<std::size_t>(state.range(0)), 2);
  for (auto _ : state) {
    benchmark::DoNotOptimize(Sha256(data));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Sha256)->Arg(300);

}  // namespace
}  // namespace vigil::crypto
