#pragma once

// Internal to pki: reading a CertificateInfo out of an X509 and its key, and parsing PEM text
// into OpenSSL objects.
//
// Errors: kInvalidArgument with the reason ("no pem certificate found", "encrypted private keys
// are not supported", ...). Thread safety: no shared state.

#include <string>
#include <string_view>

#include "core/result.h"
#include "pki/openssl_error.h"
#include "pki/server_certificate.h"

namespace vigil::pki {

CertificateInfo DescribeCertificate(X509* cert, EVP_PKEY* key);

// RFC 2253 text of a name ("CN=vigil,O=Vigil"); empty if OpenSSL cannot print it.
std::string NameToString(const X509_NAME* name);

// The first certificate in `pem`.
Result<OpenSslPtr<X509>> ParseCertificatePem(std::string_view pem);

// An unencrypted private key in `pem` (PKCS#8 or the traditional EC/RSA forms).
Result<OpenSslPtr<EVP_PKEY>> ParsePrivateKeyPem(std::string_view pem);

}  // namespace vigil::pki
