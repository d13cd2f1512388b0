#pragma once

// What Vigil reads from a device certificate: the device id it names (SAN URI
// urn:vigil:device:<id>) or, for a sensor, the sensor id (urn:vigil:sensor:<id>), its serial (for
// revocation) and fingerprint, its validity and names. DescribePeer reads it from a finished
// mutual-TLS handshake, only when OpenSSL verified it.
//
// Errors: kInvalidArgument for PEM that holds no certificate; kUnauthenticated from
// DescribePeer when the peer sent no certificate or it did not verify.
// Thread safety: no shared state (DescribePeer reads the SSL object; call it on the thread
// that owns the connection).

#include <openssl/types.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil::pki {

struct DeviceCertificateInfo {
  std::string device_id;   // From SAN URI urn:vigil:device:<id> (32 lowercase hex); "" if none.
  std::string sensor_id;   // From SAN URI urn:vigil:sensor:<id> (32 lowercase hex); "" if none.
  std::string serial_hex;  // See pki/serial.h.
  std::string fingerprint_sha256;
  std::int64_t not_before_unix = 0;
  std::int64_t not_after_unix = 0;
  std::string issuer;   // RFC 2253.
  std::string subject;  // RFC 2253.
};

// The first certificate in `pem`. Nothing is verified: this only reads.
Result<DeviceCertificateInfo> DescribeDeviceCertificate(std::string_view pem);

// The verified client certificate of a finished handshake (SSL_get0_peer_certificate and
// SSL_get_verify_result == X509_V_OK).
Result<DeviceCertificateInfo> DescribePeer(const SSL* ssl);

}  // namespace vigil::pki
