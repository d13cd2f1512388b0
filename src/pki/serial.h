#pragma once

// Certificate serial numbers as text: the one spelling of a serial that pki hands out (in
// IssuedCertificate, DeviceCertificateInfo, RevokedEntry and RevocationList), and its inverse.
//
// The spelling is the lowercase hex of the serial's big-endian magnitude, two digits per octet,
// without leading zero octets: what `openssl x509 -serial` prints, lowercased. Serials this
// module issues are 16 octets with the top bits 01, so always 32 digits. Zero is "00"; a
// negative serial (which RFC 5280 forbids but parsers accept) gets a leading "-".
//
// Thread safety: no shared state.

#include <string>
#include <string_view>

#include "core/result.h"
#include "pki/openssl_error.h"

namespace vigil::pki {

std::string SerialHex(const ASN1_INTEGER* serial);

// The positive serial `hex` names (1 to 40 hex digits, either case, an odd count allowed).
// kInvalidArgument otherwise.
Result<OpenSslPtr<ASN1_INTEGER>> SerialFromHex(std::string_view hex);

// A fresh random serial: 16 octets, 126 random bits, positive and never shorter than 16
// octets (RFC 5280 section 4.1.2.2; CA/Browser Forum baseline: at least 64 random bits).
Result<OpenSslPtr<ASN1_INTEGER>> RandomSerial();

}  // namespace vigil::pki
