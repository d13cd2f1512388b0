#pragma once

// The serials of revoked device certificates, as the mutual-TLS verify callback and the gateway
// consult them on every handshake and request. Serials are in SerialHex's spelling
// (pki/serial.h); Add and Replace lowercase what they are given, IsRevoked compares exactly.
//
// Thread safety: every member may be called from any thread. Reads take a shared lock and do
// not allocate; Replace builds the new set before taking the exclusive lock.

#include <cstddef>
#include <functional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace vigil::pki {

class RevocationList {
 public:
  void Replace(std::vector<std::string> serials);
  void Add(std::string serial);
  bool IsRevoked(std::string_view serial) const;
  std::size_t size() const;

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Set = std::unordered_set<std::string, Hash, std::equal_to<>>;

  mutable std::shared_mutex mutex_;
  Set serials_;
};

}  // namespace vigil::pki
