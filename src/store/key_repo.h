#pragma once

// Key material kept in the store: the key ring's wrapped DEKs and named sealed keys (for
// example the audit's Ed25519 signing key). Values are already sealed or wrapped by crypto.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace vigil::store {

struct StoredDek {
  std::uint32_t version = 0;
  std::vector<std::uint8_t> wrapped;
  std::int64_t created_unix = 0;
};

class KeyReader {
 public:
  virtual ~KeyReader() = default;
  virtual Result<std::vector<StoredDek>> Deks() const = 0;  // Ascending by version.
};

class KeyRepo : public virtual KeyReader {
 public:
  virtual Status AddDek(const StoredDek& dek) = 0;  // kAlreadyExists if the version exists.
  virtual Status ReplaceAllDeks(const std::vector<StoredDek>& deks) = 0;
};

}  // namespace vigil::store
