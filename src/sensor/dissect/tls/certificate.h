#pragma once

// The few fields of an X.509 certificate (RFC 5280 section 4.1) that the sensor reports about a
// server: subject and issuer common names and the validity period. Read by a small bounded DER
// reader (ITU-T X.690 section 10): definite lengths of at most 4 bytes, a walk of the fixed
// TBSCertificate layout only, never reading outside the bytes given. This is not certificate
// validation (pki/ owns X.509 with OpenSSL); it only describes what crossed the wire.
//
// Errors: kTruncated when an element runs past the bytes, kMalformed when the layout is not a
// certificate's (wrong tag, bad time). Names without a CN give an empty string, not an error.
// Thread safety: pure function.

#include <cstdint>
#include <span>
#include <string>

#include "sensor/dissect/tls/message.h"

namespace vigil::sensor::tls {

struct CertificateSummary {
  std::string subject_cn;  // Raw bytes of the first CN (pass through SafeText); may be empty.
  std::string issuer_cn;
  std::int64_t not_before_unix = 0;  // Seconds since the Unix epoch, UTC.
  std::int64_t not_after_unix = 0;
};

ParseResult<CertificateSummary> ParseCertificate(std::span<const std::uint8_t> der);

// "2026-11-29T04:24:25Z".
std::string FormatUtc(std::int64_t unix_seconds);

}  // namespace vigil::sensor::tls
