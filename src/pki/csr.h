#pragma once

// Internal to pki: reading a device's PKCS#10 certificate signing request (RFC 2986) and
// deciding whether its key may be certified. Only the key and the proof that the sender holds
// it matter: the subject, attributes and requested extensions are never looked at.
//
// The request is split with OpenSSL's generic ASN.1 reader rather than d2i_X509_REQ, whose
// public-key decoding goes through OpenSSL 3.0's provider decoders and costs more than the
// signature check itself (about 0.2 ms; see issue_bench.cc).
//
// Errors: kInvalidArgument, message "csr: <reason>". Thread safety: safe from any thread; the
// only shared object is a P-256 parameter key made once and then only copied.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/result.h"

namespace vigil::pki {

inline constexpr std::size_t kMaxCsrBytes = std::size_t{16} * 1024;

struct DeviceCsr {
  // The subjectPublicKey: an uncompressed P-256 point (0x04 || x || y), checked on the curve.
  std::array<std::uint8_t, 65> public_key{};
};

// The request in `pem` once these hold: at most kMaxCsrBytes; one PEM "CERTIFICATE REQUEST"
// that is a CertificationRequest; an id-ecPublicKey key naming the curve P-256 (RSA, other
// curves and explicit curve parameters are refused) as an uncompressed point on the curve;
// signed with ecdsa-with-SHA256, -SHA384 or -SHA512; the signature over the
// certificationRequestInfo verifies with that key.
Result<DeviceCsr> ParseDeviceCsr(std::string_view pem);

}  // namespace vigil::pki
