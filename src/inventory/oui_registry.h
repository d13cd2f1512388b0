#pragma once

// OuiRegistry: who a MAC address was assigned to, from the IEEE registration authority's public
// listings as Debian's ieee-data package ships them (/usr/share/ieee-data/oui.csv for MA-L,
// mam.csv for MA-M, oui36.csv for MA-S, iab.csv for the older IAB blocks). The longest assignment
// wins: a 36-bit MA-S block inside a 24-bit MA-L one names the smaller organisation.
//
// AddCsv parses one listing (RFC 4180 CSV: "Registry,Assignment,Organization Name,...", quoted
// fields with "" escapes). Errors: kInvalidArgument naming the source and line for a malformed
// row (an assignment that is not 6, 7 or 9 hex digits, a field left open). Parsing is pure; the
// caller reads the files. Lookups are thread-safe once loading is done.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/net_address.h"
#include "core/result.h"

namespace vigil::inventory {

class OuiRegistry {
 public:
  Status AddCsv(std::string_view text, std::string_view source_name);

  // The organisation that holds the block containing `mac`; nothing for a locally administered
  // (randomised) or multicast address, or an unassigned block.
  std::optional<std::string_view> Lookup(const MacAddress& mac) const;

  std::size_t size() const { return names_.size(); }

 private:
  struct Entry {
    std::uint64_t prefix = 0;  // The assignment's bits (24, 28 or 36 of them).
    std::uint32_t name = 0;    // Index into names_.
  };

  std::vector<std::string> names_;
  // By assignment length, longest first: 36 (MA-S, IAB), 28 (MA-M), 24 (MA-L) bits; each
  // sorted by prefix.
  std::vector<Entry> blocks_[3];
};

}  // namespace vigil::inventory
