#include "sensor/dissect/tls/ja4.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "core/hex.h"
#include "crypto/hash.h"

namespace vigil::sensor::tls {
namespace {

constexpr std::size_t kHashDigits = 12;

std::string VersionCode(std::uint16_t version) {
  switch (version) {
    case kTls13:
      return "13";
    case kTls12:
      return "12";
    case kTls11:
      return "11";
    case kTls10:
      return "10";
    case kSsl30:
      return "s3";
    case 0x0002:
      return "s2";
    case 0xfeff:
      return "d1";
    case 0xfefd:
      return "d2";
    case 0xfefc:
      return "d3";
    default:
      return "00";
  }
}

std::vector<std::uint16_t> WithoutGrease(const std::vector<std::uint16_t>& values) {
  std::vector<std::uint16_t> out;
  out.reserve(values.size());
  for (std::uint16_t v : values) {
    if (!IsGrease(v)) out.push_back(v);
  }
  return out;
}

std::string HexList(const std::vector<std::uint16_t>& values) {
  std::string out;
  char buffer[8];
  for (std::uint16_t v : values) {
    if (!out.empty()) out += ',';
    std::snprintf(buffer, sizeof buffer, "%04x", v);
    out += buffer;
  }
  return out;
}

std::string TwoDigits(std::size_t n) {
  char buffer[4];
  std::snprintf(buffer, sizeof buffer, "%02zu", std::min<std::size_t>(n, 99));
  return buffer;
}

bool IsAlphanumeric(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// The first and last characters of the first ALPN value; its hex form's when either end is
// not alphanumeric.
std::string AlpnCode(const std::vector<std::string>& alpn) {
  if (alpn.empty() || alpn.front().empty()) return "00";
  const std::string& first = alpn.front();
  if (IsAlphanumeric(first.front()) && IsAlphanumeric(first.back())) {
    return {first.front(), first.back()};
  }
  std::string hex = HexEncode(AsBytes(first));
  return {hex.front(), hex.back()};
}

std::string Truncated(const std::string& raw) {
  if (raw.empty()) return std::string(kHashDigits, '0');
  return HexEncode(crypto::Sha256(raw)).substr(0, kHashDigits);
}

struct Parts {
  std::string a, b, c;
};

Parts MakeParts(const ClientHello& hello, bool original_order) {
  std::vector<std::uint16_t> ciphers = WithoutGrease(hello.cipher_suites);
  std::vector<std::uint16_t> extensions = WithoutGrease(hello.extensions);
  std::vector<std::uint16_t> versions = WithoutGrease(hello.supported_versions);
  std::uint16_t version = hello.legacy_version;
  if (std::ranges::find(extensions, kExtSupportedVersions) != extensions.end() &&
      !versions.empty()) {
    version = std::ranges::max(versions);
  }
  bool sni = std::ranges::find(extensions, kExtServerName) != extensions.end();
  Parts parts{.a = "t" + VersionCode(version) + (sni ? "d" : "i") + TwoDigits(ciphers.size()) +
                   TwoDigits(extensions.size()) + AlpnCode(hello.alpn)};
  if (!original_order) {
    std::ranges::sort(ciphers);
    std::erase_if(extensions, [](std::uint16_t e) { return e == kExtServerName || e == kExtAlpn; });
    std::ranges::sort(extensions);
  }
  parts.b = HexList(ciphers);
  parts.c = HexList(extensions);
  std::vector<std::uint16_t> algorithms = WithoutGrease(hello.signature_algorithms);
  if (!parts.c.empty() && !algorithms.empty()) parts.c += "_" + HexList(algorithms);
  return parts;
}

}  // namespace

std::string Ja4(const ClientHello& hello, bool original_order) {
  Parts parts = MakeParts(hello, original_order);
  return parts.a + "_" + Truncated(parts.b) + "_" + Truncated(parts.c);
}

std::string Ja4Raw(const ClientHello& hello, bool original_order) {
  Parts parts = MakeParts(hello, original_order);
  return parts.a + "_" + parts.b + "_" + parts.c;
}

}  // namespace vigil::sensor::tls
