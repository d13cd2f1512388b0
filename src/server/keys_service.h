#pragma once

// KeysService: the key ring's operations for operators, each audited: status, DEK rotation with
// a re-seal pass, and KEK replacement.
//
// Thread safety: as the Runtime's members (safe to call from any thread).

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "audit/event.h"
#include "server/runtime.h"

namespace vigil::server {

struct KeyStatus {
  std::string key_file;
  std::uint32_t current_version = 0;
  std::vector<std::uint32_t> versions;
  std::map<std::uint32_t, std::int64_t> secrets_by_version;  // Sealed values per DEK version.
};

struct RotateResult {
  std::uint32_t new_version = 0;
  std::int64_t resealed = 0;
};

class KeysService {
 public:
  explicit KeysService(Runtime& runtime) : rt_(runtime) {}

  Result<KeyStatus> Status();
  // Adds a DEK version, then re-seals every sealed value under it.
  Result<RotateResult> Rotate(const audit::Actor& actor);
  // Re-wraps every DEK under the KEK in `new_key_file` (created, mode 0600, if missing).
  // Afterwards only the new key file opens this data directory.
  vigil::Status RotateKek(const std::filesystem::path& new_key_file, const audit::Actor& actor);

 private:
  Runtime& rt_;
};

}  // namespace vigil::server
