#include "pki/x509_build.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <array>
#include <ctime>

#include "core/hex.h"
#include "pki/pem_file.h"

namespace vigil::pki {
namespace {

// Fetched once: EVP_sha256() and friends make every EVP_Digest look the algorithm up again in
// OpenSSL 3's provider store, which costs more than hashing a certificate.
const EVP_MD* Sha256() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

const EVP_MD* Sha1() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  return md;
}

}  // namespace

Result<std::string> CertificatePem(X509* cert) {
  return ToPem([&](BIO* bio) { return PEM_write_bio_X509(bio, cert); });
}

Result<std::string> PrivateKeyPem(EVP_PKEY* key) {
  return ToPem([&](BIO* bio) {
    return PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  });
}

Status AddNameEntry(X509_NAME* name, const char* field, std::string_view value) {
  if (value.empty() || value.size() > 64) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string(field) + " must have 1 to 64 characters");
  }
  if (X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(value.data()),
                                 static_cast<int>(value.size()), -1, 0) != 1) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInvalidArgument, field));
  }
  return OkStatus();
}

Status SetValidity(X509* cert, std::int64_t not_before_unix, std::int64_t not_after_unix) {
  if (ASN1_TIME_set(X509_getm_notBefore(cert), static_cast<std::time_t>(not_before_unix)) ==
          nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(cert), static_cast<std::time_t>(not_after_unix)) ==
          nullptr) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "validity"));
  }
  return OkStatus();
}

std::int64_t UnixTime(const ASN1_TIME* time) {
  std::tm tm{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) {
    ClearOpenSslErrors();
    return 0;
  }
  return static_cast<std::int64_t>(timegm(&tm));
}

std::string Sha256Fingerprint(const X509* cert) {
  unsigned char* der = nullptr;
  const int der_length = i2d_X509(cert, &der);
  std::array<std::uint8_t, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  const bool ok = der_length > 0 && Sha256() != nullptr &&
                  EVP_Digest(der, static_cast<std::size_t>(der_length), digest.data(), &length,
                             Sha256(), nullptr) == 1;
  OPENSSL_free(der);
  if (!ok) {
    ClearOpenSslErrors();
    return {};
  }
  return HexEncode(std::span(digest.data(), length));
}

Result<OpenSslPtr<ASN1_OCTET_STRING>> KeyIdentifier(const X509_PUBKEY* key) {
  const unsigned char* bits = nullptr;
  int bits_length = 0;
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_length = 0;
  if (key == nullptr || Sha1() == nullptr ||
      X509_PUBKEY_get0_param(nullptr, &bits, &bits_length, nullptr, key) != 1 ||
      EVP_Digest(bits, static_cast<std::size_t>(bits_length), digest.data(), &digest_length, Sha1(),
                 nullptr) != 1) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "key identifier"));
  }
  OpenSslPtr<ASN1_OCTET_STRING> id(ASN1_OCTET_STRING_new());
  if (!id || ASN1_OCTET_STRING_set(id.get(), digest.data(), static_cast<int>(digest_length)) != 1) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kResourceExhausted, "key identifier"));
  }
  return id;
}

Result<OpenSslPtr<X509_EXTENSION>> ConfExtension(X509V3_CTX* ctx, int nid, const char* value) {
  OpenSslPtr<X509_EXTENSION> ext(X509V3_EXT_conf_nid(nullptr, ctx, nid, value));
  if (!ext) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, value));
  }
  return ext;
}

Status AddExtensions(X509* cert, std::span<X509_EXTENSION* const> extensions) {
  for (X509_EXTENSION* ext : extensions) {
    if (X509_add_ext(cert, ext, -1) != 1) {
      return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "extension"));
    }
  }
  return OkStatus();
}

Result<std::vector<OpenSslPtr<X509>>> ParseCertificateChainPem(std::string_view pem) {
  if (pem.size() > kMaxPemFileBytes) {
    return MakeError(ErrorCode::kInvalidArgument, "larger than 1 MiB");
  }
  OpenSslPtr<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kResourceExhausted, "bio"));
  }
  std::vector<OpenSslPtr<X509>> chain;
  while (true) {
    OpenSslPtr<X509> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) {
      break;
    }
    chain.push_back(std::move(cert));
  }
  // The loop ends at the first failure; only "no more PEM blocks" is a clean end.
  const unsigned long error = ERR_peek_last_error();
  const bool clean_end = ERR_GET_LIB(error) == ERR_LIB_PEM &&
                         ERR_GET_REASON(error) == PEM_R_NO_START_LINE && !chain.empty();
  if (!clean_end) {
    return tl::unexpected(
        PkiOpenSslError(ErrorCode::kInvalidArgument,
                        chain.empty() ? "not a pem certificate" : "corrupt pem certificate"));
  }
  ClearOpenSslErrors();
  return chain;
}

}  // namespace vigil::pki
