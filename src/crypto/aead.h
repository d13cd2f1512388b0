#pragma once

// AES-256-GCM authenticated encryption (NIST SP 800-38D) with a 96-bit nonce and a 128-bit
// tag, over caller-provided buffers.
//
// Aes256Gcm keeps one initialised EVP_CIPHER_CTX per direction with the key schedule already
// expanded, so each further Seal()/Open() sets only the nonce: sealing many small records costs
// little more than the cipher itself. The one-shot functions build a context per call.
//
// A nonce must never repeat under one key. Random 96-bit nonces are safe for up to 2^32
// messages per key (SP 800-38D section 8.3); rotate keys well before that.
//
// Thread safety: the free functions may be called concurrently. An Aes256Gcm object is
// single-threaded: one per thread, or guard it with a mutex.
//
// Errors: kInvalidArgument for a key that is not 32 bytes, a nonce that is not 12 bytes, an
// output of the wrong size, or input longer than 2 GiB; kDataLoss from Open() when the tag does
// not match (ciphertext, tag, nonce or associated data altered, or a wrong key), or the input
// is shorter than a tag; kInternal if libcrypto fails. After a failed Open() the output is
// wiped.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/result.h"
#include "crypto/secret.h"

struct evp_cipher_ctx_st;

namespace vigil::crypto {

inline constexpr std::size_t kAes256GcmKeySize = 32;
inline constexpr std::size_t kAesGcmNonceSize = 12;
inline constexpr std::size_t kAesGcmTagSize = 16;

class Aes256Gcm {
 public:
  static Result<Aes256Gcm> Create(std::span<const std::uint8_t> key);

  ~Aes256Gcm();
  Aes256Gcm(Aes256Gcm&& other) noexcept;
  Aes256Gcm& operator=(Aes256Gcm&& other) noexcept;

  // Encrypts `plaintext` and writes the ciphertext followed by the tag into `out`, which must be
  // exactly plaintext.size() + kAesGcmTagSize bytes. `out` may start at plaintext (in place)
  // but must not overlap it otherwise.
  Status Seal(std::span<const std::uint8_t> nonce, std::span<const std::uint8_t> plaintext,
              std::span<const std::uint8_t> associated_data, std::span<std::uint8_t> out);

  // Checks the tag at the end of `ciphertext_and_tag` and writes the plaintext into `out`, which
  // must be exactly ciphertext_and_tag.size() - kAesGcmTagSize bytes.
  Status Open(std::span<const std::uint8_t> nonce, std::span<const std::uint8_t> ciphertext_and_tag,
              std::span<const std::uint8_t> associated_data, std::span<std::uint8_t> out);

 private:
  struct Free {
    void operator()(evp_cipher_ctx_st* ctx) const;
  };
  using CtxPtr = std::unique_ptr<evp_cipher_ctx_st, Free>;
  Aes256Gcm(CtxPtr encrypt, CtxPtr decrypt);

  CtxPtr encrypt_;
  CtxPtr decrypt_;
};

// Returns the ciphertext followed by the 16-byte tag.
Result<std::vector<std::uint8_t>> Aes256GcmSeal(std::span<const std::uint8_t> key,
                                                std::span<const std::uint8_t> nonce,
                                                std::span<const std::uint8_t> plaintext,
                                                std::span<const std::uint8_t> associated_data);

Result<SecretBytes> Aes256GcmOpen(std::span<const std::uint8_t> key,
                                  std::span<const std::uint8_t> nonce,
                                  std::span<const std::uint8_t> ciphertext_and_tag,
                                  std::span<const std::uint8_t> associated_data);

}  // namespace vigil::crypto
