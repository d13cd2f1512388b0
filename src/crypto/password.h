#pragma once

// Password hashing with Argon2id (RFC 9106) through libargon2, stored as PHC strings
// ($argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>, see phc_string.h).
//
// HashPassword draws a fresh random salt. VerifyPassword recomputes the hash with the
// parameters and salt inside the PHC string and compares in constant time. NeedsRehash tells a
// caller who has just verified a password whether to store a new hash under today's parameters.
// Argon2idRaw exposes every input of the algorithm, for known-answer tests.
//
// Accepted parameters (outside them kInvalidArgument, so a stored string cannot make a login
// allocate unbounded memory): memory 8*p KiB to 1 GiB, 1 to 100 iterations, 1 to 64 lanes,
// salt 8 to 64 bytes, hash 16 to 64 bytes, Argon2 version 19 only.
//
// Thread safety: every function may be called concurrently; each call allocates its own
// Argon2 memory (params.memory_kib) and uses up to `parallelism` threads.
//
// Errors: kInvalidArgument for parameters outside the limits above or a malformed PHC string;
// kResourceExhausted if Argon2's memory or threads cannot be had; kInternal if the random
// generator fails. A wrong password is not an error: VerifyPassword returns false.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"
#include "crypto/secret.h"

namespace vigil::crypto {

// OWASP's first recommended Argon2id setting: 19 MiB, 2 passes, 1 lane.
struct PasswordParams {
  std::uint32_t memory_kib = 19456;
  std::uint32_t iterations = 2;
  std::uint32_t parallelism = 1;
  std::uint32_t salt_size = 16;
  std::uint32_t hash_size = 32;
};

Result<std::string> HashPassword(std::string_view password, const PasswordParams& params = {});

// True if `password` matches the PHC string `phc`.
Result<bool> VerifyPassword(std::string_view password, std::string_view phc);

// True if `phc` was made with other parameters than `params` (or another Argon2 version).
Result<bool> NeedsRehash(std::string_view phc, const PasswordParams& params = {});

// All inputs of Argon2id (RFC 9106 section 3.1). Spans are only read.
struct Argon2idInput {
  std::span<const std::uint8_t> password;
  std::span<const std::uint8_t> salt;
  std::span<const std::uint8_t> secret;
  std::span<const std::uint8_t> associated_data;
  std::uint32_t iterations = 0;
  std::uint32_t memory_kib = 0;
  std::uint32_t lanes = 1;
  std::uint32_t tag_size = 32;
  std::uint32_t version = 0x13;  // 0x10 only to check old known answers.
};

// The raw Argon2id tag. Only libargon2's own limits apply (salt at least 8 bytes, memory at
// least 8 KiB per lane); kInvalidArgument with its reason otherwise.
Result<SecretBytes> Argon2idRaw(const Argon2idInput& input);

}  // namespace vigil::crypto
