// CreateSelfSignedServerCertificate: a P-256 key and an X.509 v3 certificate for it, as PEM.
// The profile follows the CA/Browser Forum baseline for TLS server certificates where it
// applies to a self-signed leaf (RFC 5280 section 4.2 for the extensions).

#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <array>
#include <string>

#include "core/net_address.h"
#include "pki/certificate_info.h"
#include "pki/openssl_error.h"
#include "pki/pem_file.h"
#include "pki/server_certificate.h"

namespace vigil::pki {
namespace {

bool IsValidDnsName(std::string_view name) {
  if (name.empty() || name.size() > 253) {
    return false;
  }
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.' || c == '*';
    if (!ok) {
      return false;
    }
  }
  return true;
}

Result<OpenSslPtr<GENERAL_NAMES>> MakeSubjectAltNames(const SelfSignedOptions& options) {
  OpenSslPtr<GENERAL_NAMES> names(sk_GENERAL_NAME_new_null());
  if (!names) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kResourceExhausted, "subjectaltname"));
  }
  auto push = [&](int type, const std::uint8_t* data, std::size_t size) -> bool {
    GENERAL_NAME* name = GENERAL_NAME_new();
    ASN1_STRING* value =
        ASN1_STRING_type_new(type == GEN_DNS ? V_ASN1_IA5STRING : V_ASN1_OCTET_STRING);
    if (name == nullptr || value == nullptr ||
        ASN1_STRING_set(value, data, static_cast<int>(size)) != 1) {
      GENERAL_NAME_free(name);
      ASN1_STRING_free(value);
      return false;
    }
    GENERAL_NAME_set0_value(name, type, value);
    if (sk_GENERAL_NAME_push(names.get(), name) <= 0) {
      GENERAL_NAME_free(name);
      return false;
    }
    return true;
  };
  for (const std::string& dns : options.dns_names) {
    if (!IsValidDnsName(dns)) {
      return MakeError(ErrorCode::kInvalidArgument, "invalid dns name \"" + dns + "\"");
    }
    if (!push(GEN_DNS, reinterpret_cast<const std::uint8_t*>(dns.data()), dns.size())) {
      return tl::unexpected(PkiOpenSslError(ErrorCode::kResourceExhausted, "subjectaltname"));
    }
  }
  for (const std::string& text : options.ip_addresses) {
    const auto ip = IpAddress::Parse(text);
    if (!ip) {
      return tl::unexpected(Annotate(ip.error(), "ip address \"" + text + "\""));
    }
    if (!push(GEN_IPADD, ip->bytes().data(), ip->bytes().size())) {
      return tl::unexpected(PkiOpenSslError(ErrorCode::kResourceExhausted, "subjectaltname"));
    }
  }
  return names;
}

Status AddExtension(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
  OpenSslPtr<X509_EXTENSION> ext(X509V3_EXT_conf_nid(nullptr, ctx, nid, value));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, value));
  }
  return OkStatus();
}

Status SetSerialAndValidity(X509* cert, const SelfSignedOptions& options, TimePoint now) {
  // RFC 5280 section 4.1.2.2: positive, at most 20 octets; 127 random bits keep it positive.
  std::array<unsigned char, 16> serial{};
  if (RAND_bytes(serial.data(), static_cast<int>(serial.size())) != 1) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kUnavailable, "random serial"));
  }
  serial[0] &= 0x7f;
  serial[0] |= 0x40;  // Never shorter than 16 octets.
  OpenSslPtr<BIGNUM> bn(BN_bin2bn(serial.data(), static_cast<int>(serial.size()), nullptr));
  if (!bn || BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert)) == nullptr) {
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
  auto names = MakeSubjectAltNames(options);
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

// PEM text of `write`'s output into a memory BIO.
template <typename Write>
Result<std::string> ToPem(Write write) {
  OpenSslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio || write(bio.get()) != 1) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "pem encode"));
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  std::string pem(data, static_cast<std::size_t>(size));
  // The memory BIO held the key in clear; wipe it before it is freed.
  OPENSSL_cleanse(data, static_cast<std::size_t>(size));
  return pem;
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
  auto key_pem = ToPem([&](BIO* bio) {
    return PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  });
  auto cert_pem = ToPem([&](BIO* bio) { return PEM_write_bio_X509(bio, cert->get()); });
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
