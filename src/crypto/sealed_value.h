#pragma once

// The sealed-value byte layout (docs/formats/sealed-value.md): a pure parser and the header
// encoder, shared by KeyRing and its fuzz target. No keys and no decryption here.
//
//   byte 0      algorithm: 0x01 = AES-256-GCM, 96-bit nonce, 128-bit tag
//   bytes 1..4  key version, big-endian (0 = wrapped by the KEK, 1.. = DEK versions)
//   bytes 5..16 nonce
//   then        ciphertext, then the 16-byte tag
//
// The five header bytes are authenticated as a prefix of the associated data.
//
// Thread safety: pure functions.
// Errors: ParseSealedHeader returns kInvalidArgument if the input is shorter than 33 bytes
// (header, nonce and tag) or names an unknown algorithm. It never reads outside its input.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/result.h"

namespace vigil::crypto {

inline constexpr std::uint8_t kSealedAes256Gcm = 0x01;
inline constexpr std::size_t kSealedHeaderSize = 5;
inline constexpr std::size_t kSealedNonceSize = 12;
inline constexpr std::size_t kSealedTagSize = 16;
// Bytes a sealed value adds to its plaintext.
inline constexpr std::size_t kSealedOverhead =
    kSealedHeaderSize + kSealedNonceSize + kSealedTagSize;

// Views into the parsed input; valid as long as it is.
struct SealedHeader {
  std::uint8_t algorithm = 0;
  std::uint32_t version = 0;
  std::span<const std::uint8_t> header;  // The 5 authenticated header bytes.
  std::span<const std::uint8_t> nonce;
  std::span<const std::uint8_t> ciphertext_and_tag;
};

Result<SealedHeader> ParseSealedHeader(std::span<const std::uint8_t> sealed);

// The 5 header bytes for `version` with algorithm 0x01.
std::array<std::uint8_t, kSealedHeaderSize> EncodeSealedHeader(std::uint32_t version);

}  // namespace vigil::crypto
