#pragma once

// JA4, FoxIO's TLS client fingerprint (github.com/FoxIO-LLC/ja4, technical_details/JA4.md),
// for TLS over TCP:
//   a = "t", the version (highest of supported_versions, else legacy_version: "13", "12"...),
//       "d" with SNI or "i" without, the cipher and extension counts (two digits, at most 99),
//       the first and last characters of the first ALPN value ("00" without one)
//   b = the first 12 hex digits of SHA-256 of the cipher suites as 4-digit hex, sorted,
//       comma-separated ("000000000000" when there are none)
//   c = the same of the extensions sorted, without SNI (0000) and ALPN (0010), then "_" and
//       the signature algorithms in the order sent (no "_" when there are none)
// GREASE values (RFC 8701) are ignored everywhere. The "original order" variant (JA4_o) keeps
// the wire order and SNI and ALPN in c. The raw forms (JA4_r, JA4_ro) are the strings before
// hashing. Tested against the examples published in that specification.
//
// Thread safety: pure functions.

#include <string>

#include "sensor/dissect/tls/message.h"

namespace vigil::sensor::tls {

std::string Ja4(const ClientHello& hello, bool original_order = false);
std::string Ja4Raw(const ClientHello& hello, bool original_order = false);

}  // namespace vigil::sensor::tls
