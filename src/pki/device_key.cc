#include "pki/device_key.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "pki/certificate_info.h"
#include "pki/x509_build.h"

namespace vigil::pki {

Result<std::string> GenerateDeviceKeyPem() {
  OpenSslPtr<EVP_PKEY> key(EVP_EC_gen("P-256"));
  if (!key) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "device key: generate p-256"));
  }
  auto pem = PrivateKeyPem(key.get());
  if (!pem) {
    return tl::unexpected(Annotate(pem.error(), "device key"));
  }
  return pem;
}

Result<std::string> MakeCsrPem(std::string_view key_pem, std::string_view common_name) {
  auto key = ParsePrivateKeyPem(key_pem);
  if (!key) {
    return tl::unexpected(Annotate(key.error(), "csr: key"));
  }
  OpenSslPtr<X509_REQ> request(X509_REQ_new());
  if (!request) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kResourceExhausted, "csr"));
  }
  X509_NAME* subject = X509_REQ_get_subject_name(request.get());
  if (auto added = AddNameEntry(subject, "CN", common_name); !added) {
    return tl::unexpected(Annotate(added.error(), "csr"));
  }
  // RFC 2986 section 4.1: version 0 is the only one defined.
  if (X509_REQ_set_version(request.get(), 0) != 1 ||
      X509_REQ_set_pubkey(request.get(), key->get()) != 1 ||
      X509_REQ_sign(request.get(), key->get(), EVP_sha256()) <= 0) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "csr: sign"));
  }
  auto pem = ToPem([&](BIO* bio) { return PEM_write_bio_X509_REQ(bio, request.get()); });
  if (!pem) {
    return tl::unexpected(Annotate(pem.error(), "csr"));
  }
  return pem;
}

}  // namespace vigil::pki
