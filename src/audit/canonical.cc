#include "audit/canonical.h"

#include <string_view>

namespace vigil::audit {
namespace {

void PutU64(std::vector<std::uint8_t>& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<std::uint8_t>(v >> shift));
  }
}

void PutU32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<std::uint8_t>(v >> shift));
  }
}

void PutBytes(std::vector<std::uint8_t>& out, std::string_view s) {
  PutU32(out, static_cast<std::uint32_t>(s.size()));
  out.insert(out.end(), s.begin(), s.end());
}

void PutTag(std::vector<std::uint8_t>& out, std::string_view tag) {
  out.insert(out.end(), tag.begin(), tag.end());
  out.push_back(0);
}

}  // namespace

void EncodeEntry(const store::AuditRow& row, std::vector<std::uint8_t>& out) {
  out.clear();
  PutTag(out, "vigil.audit.entry.v1");
  PutU64(out, static_cast<std::uint64_t>(row.seq));
  PutU64(out, static_cast<std::uint64_t>(row.time_unix_ns));
  PutBytes(out, row.actor_kind);
  PutBytes(out, row.actor);
  PutBytes(out, row.action);
  PutBytes(out, row.target);
  PutBytes(out, row.details_json);
  PutU32(out, static_cast<std::uint32_t>(row.prev_hash.size()));
  out.insert(out.end(), row.prev_hash.begin(), row.prev_hash.end());
  PutU32(out, row.key_version);
}

std::vector<std::uint8_t> EncodeCheckpoint(std::int64_t seq, std::span<const std::uint8_t> hash,
                                           std::int64_t time_unix_ns) {
  std::vector<std::uint8_t> out;
  PutTag(out, "vigil.audit.checkpoint.v1");
  PutU64(out, static_cast<std::uint64_t>(seq));
  PutU32(out, static_cast<std::uint32_t>(hash.size()));
  out.insert(out.end(), hash.begin(), hash.end());
  PutU64(out, static_cast<std::uint64_t>(time_unix_ns));
  return out;
}

}  // namespace vigil::audit
