// CreateSelfSignedServerCertificate: a P-256 key and an X.509 v3 certificate for it, as PEM.
// The profile follows the CA/Browser Forum baseline for TLS server certificates where it
// applies to a self-signed leaf (RFC 5280 section 4.2 for the extensions).

#include <openssl/crypto.h>
#include <openssl/pem.h>

#include <array>
#include <string>

#include "pki/certificate_info.h"
#include "pki/openssl_error.h"
#include "pki/pem_file.h"
#include "pki/serial.h"
#include "pki/server_certificate.h"
#include "pki/subject_alt_names.h"
#include "pki/x509_build.h"

namespace vigil::pki {
namespace {

Status AddExtension(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
  OpenSslPtr<X509_EXTENSION> ext(X509V3_EXT_conf_nid(nullptr, ctx, nid, value));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, value));
  }
  return OkStatus();
}

Status SetSerialAndValidity(X509* cert, const SelfSignedOptions& options, TimePoint now) {
  auto serial = RandomSerial();
  if (!serial) {
    return tl::unexpected(serial.error());
  }
  if (X509_set_serialNumber(cert, serial->get()) != 1) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "serial"));
  }
  // Five minutes of slack for clients whose clocks run a little behind ours.
  const std::time_t start = std::chrono::system_clock::to_time_t(now - std::chrono::minutes(5));
  const std::time_t end = std::chrono::system_clock::to_time_t(now + options.validity);
  if (ASN1_TIME_set(X509_getm_notBefore(cert), start) == nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(cert), end) == nullptr) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "validity"));
  }
  return OkStatus();
}

Result<OpenSslPtr<X509>> BuildCertificate(EVP_PKEY* key, const SelfSignedOptions& options,
                                          TimePoint now) {
  OpenSslPtr<X509> cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      X509_set_pubkey(cert.get(), key) != 1) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "certificate"));
  }
  VIGIL_RETURN_IF_ERROR(SetSerialAndValidity(cert.get(), options, now));
  X509_NAME* name = X509_get_subject_name(cert.get());
  const auto* cn = reinterpret_cast<const unsigned char*>(options.common_name.c_str());
  if (X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>("Vigil"), -1, -1, 0) != 1 ||
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, cn, -1, -1, 0) != 1 ||
      X509_set_issuer_name(cert.get(), name) != 1) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInvalidArgument, "subject name"));
  }

  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  VIGIL_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE"));
  VIGIL_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_key_usage, "critical,digitalSignature"));
  VIGIL_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_ext_key_usage, "serverAuth"));
  VIGIL_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_subject_key_identifier, "hash"));
  auto names = MakeSubjectAltNames(options.dns_names, options.ip_addresses);
  if (!names) {
    return tl::unexpected(names.error());
  }
  if (sk_GENERAL_NAME_num(names->get()) > 0 &&
      X509_add1_ext_i2d(cert.get(), NID_subject_alt_name, names->get(), 0, X509V3_ADD_DEFAULT) !=
          1) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "subjectaltname"));
  }
  if (X509_sign(cert.get(), key, EVP_sha256()) <= 0) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "sign"));
  }
  return cert;
}

}  // namespace

Result<CertificateInfo> CreateSelfSignedServerCertificate(const ServerCertificateFiles& files,
                                                          const SelfSignedOptions& options,
                                                          TimePoint now) {
  if (options.common_name.empty() || options.common_name.size() > 64) {
    return MakeError(ErrorCode::kInvalidArgument, "tls: common name must have 1 to 64 characters");
  }
  OpenSslPtr<EVP_PKEY> key(EVP_EC_gen("P-256"));
  if (!key) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "tls: generate p-256 key"));
  }
  auto cert = BuildCertificate(key.get(), options, now);
  if (!cert) {
    return tl::unexpected(Annotate(cert.error(), "tls"));
  }
  auto key_pem = PrivateKeyPem(key.get());
  auto cert_pem = CertificatePem(cert->get());
  if (!key_pem || !cert_pem) {
    return tl::unexpected(Annotate(key_pem ? cert_pem.error() : key_pem.error(), "tls"));
  }

  Status written = WriteNewFile(files.key_file, *key_pem, 0600);
  OPENSSL_cleanse(key_pem->data(), key_pem->size());
  if (!written) {
    return tl::unexpected(Annotate(written.error(), "tls"));
  }
  if (written = WriteNewFile(files.cert_file, *cert_pem, 0644); !written) {
    std::error_code ignored;
    std::filesystem::remove(files.key_file, ignored);
    return tl::unexpected(Annotate(written.error(), "tls"));
  }
  return DescribeCertificate(cert->get(), key.get());
}

}  // namespace vigil::pki
