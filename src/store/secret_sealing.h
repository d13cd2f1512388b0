#pragma once

// How every Store implementation seals the value column of the secrets table, so the SQLite
// store and the in-memory fake agree byte for byte on what is bound to what.
//
// Associated data is "secrets|value|<row id>": a sealed value opens only in the row and column
// it was sealed for. Row ids are never reused (AUTOINCREMENT), so a value removed with its row
// cannot come back under a later secret either.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "crypto/key_ring.h"
#include "crypto/secret.h"

namespace vigil::store {

std::string SecretAssociatedData(std::int64_t row_id);

struct SealedSecret {
  std::vector<std::uint8_t> value;
  std::uint32_t key_version = 0;  // The DEK version the value names.
};

// Seals `plaintext` for row `row_id` under the ring's newest DEK.
Result<SealedSecret> SealSecret(const crypto::KeyRing& ring, std::int64_t row_id,
                                std::span<const std::uint8_t> plaintext);

// Opens the sealed value of secret `name` in row `row_id`. kDataLoss if it does not open
// (altered, copied from another row, or sealed under a DEK the ring does not have).
Result<crypto::SecretBytes> OpenSecret(const crypto::KeyRing& ring, std::int64_t row_id,
                                       std::string_view name, std::span<const std::uint8_t> sealed);

}  // namespace vigil::store
