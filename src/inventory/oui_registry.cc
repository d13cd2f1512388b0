#include "inventory/oui_registry.h"

#include <algorithm>

namespace vigil::inventory {
namespace {

// Splits one CSV record starting at `pos` into fields; returns false if a quote is left open.
// Advances `pos` past the record's line break.
bool ReadRecord(std::string_view text, std::size_t& pos, std::vector<std::string>& fields) {
  fields.clear();
  std::string field;
  bool quoted = false;
  while (pos < text.size()) {
    char c = text[pos++];
    if (quoted) {
      if (c == '"') {
        if (pos < text.size() && text[pos] == '"') {
          field += '"';
          ++pos;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      break;
    } else if (c != '\r') {
      field += c;
    }
  }
  fields.push_back(std::move(field));
  return !quoted;
}

std::uint64_t MacBits(const MacAddress& mac) {
  std::uint64_t v = 0;
  for (std::uint8_t b : mac.bytes()) v = (v << 8) | b;
  return v;
}

std::size_t BlockIndex(int bits) { return bits == 36 ? 0 : (bits == 28 ? 1 : 2); }

std::string Trim(std::string s) {
  auto not_space = [](unsigned char c) { return c != ' ' && c != '\t'; };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

}  // namespace

Status OuiRegistry::AddCsv(std::string_view text, std::string_view source_name) {
  std::size_t pos = 0;
  std::size_t line = 0;
  std::vector<std::string> fields;
  while (pos < text.size()) {
    ++line;
    if (!ReadRecord(text, pos, fields)) {
      return MakeError(ErrorCode::kInvalidArgument, std::string(source_name) + ":" +
                                                        std::to_string(line) +
                                                        ": a quoted field is never closed");
    }
    if (line == 1 && !fields.empty() && fields[0] == "Registry") continue;  // The header.
    if (fields.size() == 1 && fields[0].empty()) continue;                  // A blank line.
    if (fields.size() < 3) {
      return MakeError(ErrorCode::kInvalidArgument,
                       std::string(source_name) + ":" + std::to_string(line) +
                           ": expected Registry,Assignment,Organization Name");
    }
    const std::string& hex = fields[1];
    int bits = static_cast<int>(hex.size()) * 4;
    bool hex_ok =
        (bits == 24 || bits == 28 || bits == 36) && std::all_of(hex.begin(), hex.end(), [](char c) {
          return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
        });
    if (!hex_ok) {
      return MakeError(ErrorCode::kInvalidArgument,
                       std::string(source_name) + ":" + std::to_string(line) + ": assignment \"" +
                           hex.substr(0, 16) + "\" is not 6, 7 or 9 hex digits");
    }
    std::string name = Trim(fields[2]);
    if (name.empty()) continue;
    names_.push_back(std::move(name));
    blocks_[BlockIndex(bits)].push_back({.prefix = std::stoull(hex, nullptr, 16),
                                         .name = static_cast<std::uint32_t>(names_.size() - 1)});
  }
  for (auto& block : blocks_) {
    std::stable_sort(block.begin(), block.end(),
                     [](const Entry& a, const Entry& b) { return a.prefix < b.prefix; });
  }
  return OkStatus();
}

std::optional<std::string_view> OuiRegistry::Lookup(const MacAddress& mac) const {
  if (mac.IsLocallyAdministered() || mac.IsMulticast()) return std::nullopt;
  std::uint64_t bits = MacBits(mac);
  for (int length : {36, 28, 24}) {
    const std::vector<Entry>& block = blocks_[BlockIndex(length)];
    std::uint64_t key = bits >> (48 - length);
    auto it = std::lower_bound(block.begin(), block.end(), key,
                               [](const Entry& e, std::uint64_t k) { return e.prefix < k; });
    if (it != block.end() && it->prefix == key) return names_[it->name];
  }
  return std::nullopt;
}

}  // namespace vigil::inventory
