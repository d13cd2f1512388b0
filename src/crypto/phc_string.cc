#include "crypto/phc_string.h"

#include <array>
#include <optional>

namespace vigil::crypto {
namespace {

constexpr std::size_t kMaxPhcSize = 1024;
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

Error Malformed(std::string_view why) {
  return Error{ErrorCode::kInvalidArgument, "phc string: " + std::string(why)};
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

std::string Base64Encode(const std::vector<std::uint8_t>& bytes) {
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (const std::uint8_t b : bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(acc >> bits) & 0x3f]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(acc << (6 - bits)) & 0x3f]);
  return out;
}

// Unpadded base64. Rejects a length that leaves a lone character (mod 4 == 1) and unused low
// bits that are not zero, so each byte string has exactly one accepted text.
std::optional<std::vector<std::uint8_t>> Base64Decode(std::string_view text) {
  if (text.empty() || text.size() % 4 == 1) return std::nullopt;
  std::vector<std::uint8_t> out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (const char c : text) {
    const int value = Base64Value(c);
    if (value < 0) return std::nullopt;
    acc = ((acc << 6) | static_cast<std::uint32_t>(value)) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>(acc >> bits));
    }
  }
  if ((acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

// A decimal uint32 without sign or leading zeros.
std::optional<std::uint32_t> ParseDecimal(std::string_view text) {
  if (text.empty() || text.size() > 10 || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (value > UINT32_MAX) return std::nullopt;
  return static_cast<std::uint32_t>(value);
}

// Takes "<name>=<decimal>" from the front of `text`, up to `separator` or the end.
std::optional<std::uint32_t> TakeParam(std::string_view& text, std::string_view name,
                                       char separator) {
  if (text.substr(0, name.size() + 1) != std::string(name) + "=") return std::nullopt;
  text.remove_prefix(name.size() + 1);
  const std::size_t end = text.find(separator);
  const auto value = ParseDecimal(text.substr(0, end));
  text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  if (end != std::string_view::npos && text.empty()) return std::nullopt;
  return value;
}

}  // namespace

Result<Argon2idPhc> ParseArgon2idPhc(std::string_view phc) {
  if (phc.size() > kMaxPhcSize) return tl::unexpected(Malformed("longer than 1024 characters"));
  std::array<std::string_view, 6> fields;
  std::size_t count = 0;
  while (count < fields.size()) {
    const std::size_t end = phc.find('$');
    fields[count++] = phc.substr(0, end);
    if (end == std::string_view::npos) break;
    phc.remove_prefix(end + 1);
    if (count == fields.size()) return tl::unexpected(Malformed("too many fields"));
  }
  if (count != fields.size() || !fields[0].empty()) {
    return tl::unexpected(Malformed("expected $argon2id$v=..$m=..,t=..,p=..$salt$hash"));
  }
  if (fields[1] != "argon2id") return tl::unexpected(Malformed("algorithm is not argon2id"));

  Argon2idPhc out;
  std::string_view version = fields[2];
  const auto v = TakeParam(version, "v", '$');
  if (!v || !version.empty()) return tl::unexpected(Malformed("bad version field"));
  out.version = *v;

  std::string_view params = fields[3];
  const auto m = TakeParam(params, "m", ',');
  const auto t = m ? TakeParam(params, "t", ',') : std::nullopt;
  const auto p = t ? TakeParam(params, "p", ',') : std::nullopt;
  if (!m || !t || !p || !params.empty()) {
    return tl::unexpected(Malformed("parameters must be m=..,t=..,p=.. in that order"));
  }
  out.memory_kib = *m;
  out.iterations = *t;
  out.parallelism = *p;

  auto salt = Base64Decode(fields[4]);
  auto hash = Base64Decode(fields[5]);
  if (!salt || !hash) return tl::unexpected(Malformed("salt or hash is not unpadded base64"));
  out.salt = std::move(*salt);
  out.hash = std::move(*hash);
  return out;
}

std::string FormatArgon2idPhc(const Argon2idPhc& phc) {
  return "$argon2id$v=" + std::to_string(phc.version) + "$m=" + std::to_string(phc.memory_kib) +
         ",t=" + std::to_string(phc.iterations) + ",p=" + std::to_string(phc.parallelism) + "$" +
         Base64Encode(phc.salt) + "$" + Base64Encode(phc.hash);
}

}  // namespace vigil::crypto
