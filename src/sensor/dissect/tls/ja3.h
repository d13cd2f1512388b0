#pragma once

// JA3 and JA3S, the TLS client and server fingerprints of Salesforce's specification
// (github.com/salesforce/ja3): decimal fields joined by "," and list entries by "-",
//   JA3  = version,ciphers,extensions,elliptic_curves,ec_point_formats
//   JA3S = version,cipher,extensions
// where version is the hello's legacy_version, and GREASE values (RFC 8701) are left out of
// every list. The fingerprint is the lowercase hex MD5 of the string (crypto::Md5, which is for
// fingerprints only). tshark computes the same (tls.handshake.ja3_full, ja3, ja3s_full, ja3s).
//
// JA4, the newer fingerprint, is in ja4.h.
//
// Thread safety: pure functions.

#include <string>

#include "sensor/dissect/tls/message.h"

namespace vigil::sensor::tls {

std::string Ja3String(const ClientHello& hello);
std::string Ja3sString(const ServerHello& hello);

// Lowercase hex MD5 of a JA3 or JA3S string.
std::string Ja3Hash(std::string_view ja3_string);

}  // namespace vigil::sensor::tls
