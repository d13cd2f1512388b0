#pragma once

// Ed25519 signatures (RFC 8032, pure variant, no context) over raw 32-byte keys: key
// generation, public key from private key, signing and verification.
//
// A private key is the 32-byte seed of RFC 8032 section 5.1.5, held as SecretBytes; a public
// key is the 32-byte encoded point; a signature is 64 bytes.
//
// Thread safety: every function may be called concurrently.
//
// Errors: kInvalidArgument for a private key that is not 32 bytes; kInternal if libcrypto
// fails. Ed25519Verify reports no errors: any key, signature or message that does not verify,
// whatever the reason (wrong length, not a curve point, S out of range), is simply false.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/result.h"
#include "crypto/secret.h"

namespace vigil::crypto {

inline constexpr std::size_t kEd25519PrivateKeySize = 32;
inline constexpr std::size_t kEd25519PublicKeySize = 32;
inline constexpr std::size_t kEd25519SignatureSize = 64;

using Ed25519PublicKey = std::array<std::uint8_t, kEd25519PublicKeySize>;
using Ed25519Signature = std::array<std::uint8_t, kEd25519SignatureSize>;

struct Ed25519KeyPair {
  SecretBytes private_key;
  Ed25519PublicKey public_key;
};

// A new key pair from the CSPRNG.
Result<Ed25519KeyPair> GenerateEd25519KeyPair();

Result<Ed25519PublicKey> Ed25519PublicKeyFromPrivate(std::span<const std::uint8_t> private_key);

Result<Ed25519Signature> Ed25519Sign(std::span<const std::uint8_t> private_key,
                                     std::span<const std::uint8_t> message);

// True only if `signature` is a valid Ed25519 signature of `message` under `public_key`.
bool Ed25519Verify(std::span<const std::uint8_t> public_key, std::span<const std::uint8_t> message,
                   std::span<const std::uint8_t> signature);

}  // namespace vigil::crypto
