#include "pki/device_certificate.h"

#include <openssl/ssl.h>

#include <algorithm>

#include "pki/certificate_info.h"
#include "pki/serial.h"
#include "pki/subject_alt_names.h"
#include "pki/x509_build.h"

namespace vigil::pki {
namespace {

DeviceCertificateInfo Describe(const X509* cert) {
  std::string device_id = FindUriName(cert, kDeviceUriPrefix);
  if (!IsDeviceId(device_id)) {
    device_id.clear();
  }
  std::string sensor_id = FindUriName(cert, kSensorUriPrefix);
  if (!IsDeviceId(sensor_id)) {
    sensor_id.clear();
  }
  return {.device_id = std::move(device_id),
          .sensor_id = std::move(sensor_id),
          .serial_hex = SerialHex(X509_get0_serialNumber(cert)),
          .fingerprint_sha256 = Sha256Fingerprint(cert),
          .not_before_unix = UnixTime(X509_get0_notBefore(cert)),
          .not_after_unix = UnixTime(X509_get0_notAfter(cert)),
          .issuer = NameToString(X509_get_issuer_name(cert)),
          .subject = NameToString(X509_get_subject_name(cert))};
}

}  // namespace

Result<DeviceCertificateInfo> DescribeDeviceCertificate(std::string_view pem) {
  auto cert = ParseCertificatePem(pem);
  if (!cert) {
    return tl::unexpected(Annotate(cert.error(), "device certificate"));
  }
  return Describe(cert->get());
}

Result<DeviceCertificateInfo> DescribePeer(const SSL* ssl) {
  const X509* cert = ssl == nullptr ? nullptr : SSL_get0_peer_certificate(ssl);
  if (cert == nullptr) {
    return MakeError(ErrorCode::kUnauthenticated, "tls: no client certificate");
  }
  if (const long result = SSL_get_verify_result(ssl); result != X509_V_OK) {
    return MakeError(ErrorCode::kUnauthenticated,
                     std::string("tls: client certificate did not verify: ") +
                         X509_verify_cert_error_string(result));
  }
  return Describe(cert);
}

}  // namespace vigil::pki
