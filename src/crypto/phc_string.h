#pragma once

// The PHC string format for Argon2id password hashes, as written by the reference
// implementation and read by most others:
//
//   $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>
//
// salt and hash are base64 (standard alphabet) without padding. This file only parses and
// formats; password.h decides which parameters are acceptable.
//
// Thread safety: pure functions.
// Errors: ParseArgon2idPhc returns kInvalidArgument for anything but exactly this shape: another
// algorithm, a missing or reordered field, a number with a sign, leading zero or above 2^32-1,
// non-canonical or empty base64, or a string longer than 1024 characters. It never throws and
// reads only its input.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace vigil::crypto {

struct Argon2idPhc {
  std::uint32_t version = 0;  // 19 (0x13) for Argon2 1.3.
  std::uint32_t memory_kib = 0;
  std::uint32_t iterations = 0;
  std::uint32_t parallelism = 0;
  std::vector<std::uint8_t> salt;
  std::vector<std::uint8_t> hash;
};

Result<Argon2idPhc> ParseArgon2idPhc(std::string_view phc);

std::string FormatArgon2idPhc(const Argon2idPhc& phc);

}  // namespace vigil::crypto
