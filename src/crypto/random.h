#pragma once

// Random bytes from OpenSSL's CSPRNG (RAND_bytes, seeded by the kernel): nonces, salts, keys.
//
// Thread safety: every function may be called concurrently.
// Errors: kInternal if the generator fails (not seeded, or out of memory); the output is then
// wiped and must not be used.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/result.h"
#include "crypto/secret.h"

namespace vigil::crypto {

// Fills `out` with random bytes.
Status RandomBytes(std::span<std::uint8_t> out);

// `size` random bytes.
Result<std::vector<std::uint8_t>> RandomBytes(std::size_t size);

// `size` random bytes held as a secret (for keys).
Result<SecretBytes> RandomSecret(std::size_t size);

// Fills `out` with random bytes that will be published anyway, such as AEAD nonces. Drawn from
// the same generator, but 1 KiB at a time into a per-thread buffer: one generator call costs a
// few microseconds here, which would otherwise dominate sealing a small record. Served bytes
// are wiped from the buffer, and a child process discards the buffer it inherits from fork(),
// so parent and child never hand out the same bytes. Never use it for keys.
Status RandomNonceBytes(std::span<std::uint8_t> out);

}  // namespace vigil::crypto
