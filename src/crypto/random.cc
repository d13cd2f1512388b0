#include "crypto/random.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <pthread.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <climits>
#include <cstring>

#include "crypto/openssl_error.h"

namespace vigil::crypto {
namespace {

// Bumped in the child of every fork(); a buffer filled under another value is stale.
std::atomic<std::uint64_t> fork_generation{0};

void OnFork() { fork_generation.fetch_add(1, std::memory_order_relaxed); }

// False if the fork handler could not be registered: then no buffer may be kept.
bool ForkGeneration(std::uint64_t* generation) {
  static const bool registered = pthread_atfork(nullptr, nullptr, &OnFork) == 0;
  *generation = fork_generation.load(std::memory_order_relaxed);
  return registered;
}

struct NonceBuffer {
  std::array<std::uint8_t, 1024> bytes{};
  std::size_t used = sizeof(bytes);  // Empty until first filled.
  std::uint64_t generation = 0;
};

}  // namespace

Status RandomBytes(std::span<std::uint8_t> out) {
  // RAND_bytes takes an int length; larger requests are served in chunks.
  std::size_t done = 0;
  while (done < out.size()) {
    const std::size_t chunk = std::min<std::size_t>(out.size() - done, INT_MAX);
    if (RAND_bytes(out.data() + done, static_cast<int>(chunk)) != 1) {
      OPENSSL_cleanse(out.data(), out.size());
      return tl::unexpected(OpenSslError(ErrorCode::kInternal, "random: rand_bytes failed"));
    }
    done += chunk;
  }
  return OkStatus();
}

Result<std::vector<std::uint8_t>> RandomBytes(std::size_t size) {
  std::vector<std::uint8_t> bytes(size);
  VIGIL_RETURN_IF_ERROR(RandomBytes(std::span<std::uint8_t>(bytes)));
  return bytes;
}

Status RandomNonceBytes(std::span<std::uint8_t> out) {
  thread_local NonceBuffer buffer;
  std::uint64_t generation = 0;
  if (out.size() > buffer.bytes.size() / 4 || !ForkGeneration(&generation)) {
    return RandomBytes(out);
  }
  if (buffer.generation != generation || buffer.bytes.size() - buffer.used < out.size()) {
    buffer.used = buffer.bytes.size();  // Stays empty if the refill fails.
    VIGIL_RETURN_IF_ERROR(RandomBytes(buffer.bytes));
    buffer.used = 0;
    buffer.generation = generation;
  }
  std::uint8_t* next = buffer.bytes.data() + buffer.used;
  std::memcpy(out.data(), next, out.size());
  OPENSSL_cleanse(next, out.size());
  buffer.used += out.size();
  return OkStatus();
}

Result<SecretBytes> RandomSecret(std::size_t size) {
  SecretBytes secret(size);
  VIGIL_RETURN_IF_ERROR(RandomBytes(std::span<std::uint8_t>(secret.data(), secret.size())));
  return secret;
}

}  // namespace vigil::crypto
