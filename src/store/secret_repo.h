#pragma once

// Named secrets sealed at rest (service credentials, signing keys, webhook tokens).
//
// The repository seals on Put and opens on Get itself, with associated data that binds the
// value to its table, column and row ("secrets|value|<row id>"), so a sealed value copied into
// another row or column does not open (kDataLoss). Sealing needs the store's key ring: until
// one is attached (SqliteStore::AttachKeyRing, MemoryStore::AttachKeyRing), Get, Put and
// ResealAll fail with kFailedPrecondition; List and Remove work without it.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "crypto/secret.h"

namespace vigil::store {

struct SecretInfo {
  std::string name;
  std::uint32_t key_version = 0;  // DEK version the value is sealed under.
};

class SecretReader {
 public:
  virtual ~SecretReader() = default;
  // kNotFound if absent; kDataLoss if the sealed value does not open.
  virtual Result<crypto::SecretBytes> Get(std::string_view name) const = 0;
  virtual Result<std::vector<SecretInfo>> List() const = 0;  // Ascending by name.
};

class SecretRepo : public virtual SecretReader {
 public:
  // Inserts or replaces. kInvalidArgument for an empty name.
  virtual Status Put(std::string_view name, std::span<const std::uint8_t> value) = 0;
  virtual Status Remove(std::string_view name) = 0;  // kNotFound if absent.
  // Re-seals every value not under the key ring's newest DEK; returns how many were moved.
  // kDataLoss if a value does not open (returned from the Write callback, nothing is re-sealed).
  virtual Result<std::int64_t> ResealAll() = 0;
};

}  // namespace vigil::store
