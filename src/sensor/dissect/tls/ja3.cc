#include "sensor/dissect/tls/ja3.h"

#include "core/hex.h"
#include "crypto/hash.h"

namespace vigil::sensor::tls {
namespace {

template <typename T>
void AppendList(std::string& out, const std::vector<T>& values) {
  bool first = true;
  for (T v : values) {
    if constexpr (sizeof(T) == 2) {
      if (IsGrease(v)) continue;
    }
    if (!first) out += '-';
    out += std::to_string(v);
    first = false;
  }
}

}  // namespace

std::string Ja3String(const ClientHello& hello) {
  std::string out = std::to_string(hello.legacy_version);
  out += ',';
  AppendList(out, hello.cipher_suites);
  out += ',';
  AppendList(out, hello.extensions);
  out += ',';
  AppendList(out, hello.supported_groups);
  out += ',';
  AppendList(out, hello.ec_point_formats);
  return out;
}

std::string Ja3sString(const ServerHello& hello) {
  std::string out = std::to_string(hello.legacy_version);
  out += ',';
  out += std::to_string(hello.cipher_suite);
  out += ',';
  AppendList(out, hello.extensions);
  return out;
}

std::string Ja3Hash(std::string_view ja3_string) {
  auto digest = crypto::Md5(ja3_string);
  return HexEncode(digest);
}

}  // namespace vigil::sensor::tls
