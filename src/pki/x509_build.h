#pragma once

// Internal to pki: the small steps that every certificate, CSR and CRL this module makes is
// built from, and their readers (times, fingerprints, key identifiers, PEM text).
//
// Errors: kInternal when OpenSSL refuses a step on well-formed input, kInvalidArgument for a
// name entry that is empty or too long. Thread safety: no shared state; the functions only
// read their const arguments.

#include <openssl/crypto.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "pki/openssl_error.h"

namespace vigil::pki {

// Five minutes of slack for clients whose clocks run a little behind ours.
inline constexpr std::int64_t kClockSkewSeconds = 300;

// PEM text of `write`'s output into a memory BIO (which is wiped: it may have held a key).
template <typename Write>
Result<std::string> ToPem(Write write) {
  OpenSslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio || write(bio.get()) != 1) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "pem encode"));
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  std::string pem(data, static_cast<std::size_t>(size));
  OPENSSL_cleanse(data, static_cast<std::size_t>(size));
  return pem;
}

Result<std::string> CertificatePem(X509* cert);
Result<std::string> PrivateKeyPem(EVP_PKEY* key);  // Unencrypted PKCS#8.

// Appends `field`=`value` (UTF-8, 1 to 64 bytes: RFC 5280's upper bound for the attributes used).
Status AddNameEntry(X509_NAME* name, const char* field, std::string_view value);

Status SetValidity(X509* cert, std::int64_t not_before_unix, std::int64_t not_after_unix);

// Seconds since the epoch; 0 when `time` is null or malformed.
std::int64_t UnixTime(const ASN1_TIME* time);

// Lowercase hex SHA-256 over the DER certificate.
std::string Sha256Fingerprint(const X509* cert);

// The RFC 5280 section 4.2.1.2 method (1) key identifier: SHA-1 over the subjectPublicKey bits.
Result<OpenSslPtr<ASN1_OCTET_STRING>> KeyIdentifier(const X509_PUBKEY* key);

// An extension from OpenSSL's configuration syntax ("critical,CA:FALSE"), for the issuer and
// subject in `ctx` (which may be null for extensions that refer to neither).
Result<OpenSslPtr<X509_EXTENSION>> ConfExtension(X509V3_CTX* ctx, int nid, const char* value);

// Adds a copy of each extension to `cert`.
Status AddExtensions(X509* cert, std::span<X509_EXTENSION* const> extensions);

// Every certificate in `pem`, in order; kInvalidArgument when there is none or one is corrupt.
Result<std::vector<OpenSslPtr<X509>>> ParseCertificateChainPem(std::string_view pem);

}  // namespace vigil::pki
