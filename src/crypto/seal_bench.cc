// Sealing small records: the AES-256-GCM context alone (compare with `openssl speed -evp
// aes-256-gcm` at 256 bytes) and KeyRing::Seal/Open with everything they add (random nonce,
// header, locks).

#include <benchmark/benchmark.h>

#include <vector>

#include "crypto/aead.h"
#include "crypto/key_ring.h"

namespace vigil::crypto {
namespace {

class MemoryDekStore : public DekStore {
 public:
  Result<std::vector<WrappedDek>> LoadDeks() override { return deks_; }
  Status AddDek(const WrappedDek& dek) override {
    deks_.push_back(dek);
    return OkStatus();
  }
  Status ReplaceAllDeks(const std::vector<WrappedDek>& deks) override {
    deks_ = deks;
    return OkStatus();
  }

 private:
  std::vector<WrappedDek> deks_;
};

void BM_Aes256GcmSeal(benchmark::State& state) {
  const std::vector<std::uint8_t> key(32, 1), nonce(12, 2);
  const std::vector<std::uint8_t> plaintext(static_cast<std::size_t>(state.range(0)), 3);
  std::vector<std::uint8_t> out(plaintext.size() + kAesGcmTagSize);
  auto aead = Aes256Gcm::Create(key);
  for (auto _ : state) {
    benchmark::DoNotOptimize(aead->Seal(nonce, plaintext, {}, out));
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Aes256GcmSeal)->Arg(16)->Arg(200)->Arg(256)->Arg(1024)->Arg(8192);

void BM_KeyRingSeal(benchmark::State& state) {
  MemoryDekStore store;
  auto ring = KeyRing::Open(SecretBytes(std::vector<std::uint8_t>(32, 1)), store, 0);
  const std::vector<std::uint8_t> plaintext(static_cast<std::size_t>(state.range(0)), 3);
  const std::vector<std::uint8_t> ad = {'s', 'e', 'c', 'r', 'e', 't'};
  for (auto _ : state) {
    benchmark::DoNotOptimize((*ring)->Seal(plaintext, ad));
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_KeyRingSeal)->Arg(200)->ThreadRange(1, 2);

void BM_KeyRingOpen(benchmark::State& state) {
  MemoryDekStore store;
  auto ring = KeyRing::Open(SecretBytes(std::vector<std::uint8_t>(32, 1)), store, 0);
  const std::vector<std::uint8_t> plaintext(static_cast<std::size_t>(state.range(0)), 3);
  const std::vector<std::uint8_t> ad = {'s', 'e', 'c', 'r', 'e', 't'};
  const auto sealed = (*ring)->Seal(plaintext, ad);
  for (auto _ : state) {
    benchmark::DoNotOptimize((*ring)->Open(*sealed, ad));
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_KeyRingOpen)->Arg(200);

}  // namespace
}  // namespace vigil::crypto
