#pragma once

// SHA-256, HMAC-SHA-256 and HKDF-SHA-256 (OpenSSL 3 EVP), and a constant-time comparison; MD5
// for fingerprints only (the sensor's JA3 and JA3S of TLS hellos), never for security.
//
// The one-shot functions suit occasional use. For many messages, keep a context: it is set up
// once (algorithm fetched, HMAC key schedule computed) and reset by Finish(), so each further
// message costs only the hashing itself. Algorithms are fetched from libcrypto once per process.
//
// Thread safety: the free functions may be called concurrently. A context is a single-threaded
// object: use one per thread or guard it. A moved-from context may only be destroyed or
// assigned.
//
// Errors: hashing accepts every input and cannot fail; should libcrypto itself fail (out of
// memory) the process stops with a VIGIL_CHECK message, as for a failed allocation.
// HkdfSha256 returns kInvalidArgument for an output size of 0 or above 255 * 32 bytes
// (RFC 5869 section 2.3), and kInternal if libcrypto fails.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "core/hex.h"  // AsBytes
#include "core/result.h"
#include "crypto/secret.h"

struct evp_md_ctx_st;
struct evp_mac_ctx_st;

namespace vigil::crypto {

inline constexpr std::size_t kSha256Size = 32;
using Sha256Digest = std::array<std::uint8_t, kSha256Size>;

Sha256Digest Sha256(std::span<const std::uint8_t> data);
inline Sha256Digest Sha256(std::string_view data) { return Sha256(AsBytes(data)); }

// MD5 (RFC 1321) of `data`. For fingerprints that are defined over MD5 (JA3, JA3S) only: MD5 is
// broken for collisions and must never protect anything.
inline constexpr std::size_t kMd5Size = 16;
using Md5Digest = std::array<std::uint8_t, kMd5Size>;
Md5Digest Md5(std::span<const std::uint8_t> data);
inline Md5Digest Md5(std::string_view data) { return Md5(AsBytes(data)); }

// Incremental SHA-256: Update() any number of times, then Finish(), which also resets the
// context for the next message.
class Sha256Context {
 public:
  Sha256Context();
  ~Sha256Context();
  Sha256Context(Sha256Context&& other) noexcept;
  Sha256Context& operator=(Sha256Context&& other) noexcept;

  void Update(std::span<const std::uint8_t> data);
  void Update(std::string_view data) { Update(AsBytes(data)); }
  Sha256Digest Finish();

 private:
  struct Free {
    void operator()(evp_md_ctx_st* ctx) const;
  };
  std::unique_ptr<evp_md_ctx_st, Free> ctx_;
};

// HMAC-SHA-256 (RFC 2104) of `data` under `key` (any length, including empty).
Sha256Digest HmacSha256(std::span<const std::uint8_t> key, std::span<const std::uint8_t> data);

// Incremental HMAC-SHA-256 under one key. Finish() resets to the same key, so one context
// authenticates message after message (an audit log verifying a million entries) cheaply.
class HmacSha256Context {
 public:
  explicit HmacSha256Context(std::span<const std::uint8_t> key);
  ~HmacSha256Context();
  HmacSha256Context(HmacSha256Context&& other) noexcept;
  HmacSha256Context& operator=(HmacSha256Context&& other) noexcept;

  void Update(std::span<const std::uint8_t> data);
  void Update(std::string_view data) { Update(AsBytes(data)); }
  Sha256Digest Finish();

  // The MAC of one whole message: Update(data) then Finish().
  Sha256Digest Compute(std::span<const std::uint8_t> data);

 private:
  struct Free {
    void operator()(evp_mac_ctx_st* ctx) const;
  };
  std::unique_ptr<evp_mac_ctx_st, Free> ctx_;
};

// True if `a` and `b` have the same length and bytes. The time taken depends on the length
// only, never on where the bytes differ (for comparing MACs and hashes).
bool ConstantTimeEquals(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

// HKDF-SHA-256 (RFC 5869): `size` bytes derived from input keying material `ikm`, with
// optional `salt` (empty = HashLen zero bytes) and context `info`.
inline constexpr std::size_t kHkdfSha256MaxSize = 255 * kSha256Size;
Result<SecretBytes> HkdfSha256(std::span<const std::uint8_t> ikm,
                               std::span<const std::uint8_t> salt,
                               std::span<const std::uint8_t> info, std::size_t size);

}  // namespace vigil::crypto
