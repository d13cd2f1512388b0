#include "pki/certificate_info.h"

#include <openssl/pem.h>

#include <array>
#include <ctime>
#include <string>

#include "core/hex.h"
#include "core/net_address.h"
#include "pki/pem_file.h"

namespace vigil::pki {
namespace {

TimePoint ToTimePoint(const ASN1_TIME* time) {
  std::tm tm{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) {
    ClearOpenSslErrors();
    return TimePoint{};
  }
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

void ReadSubjectAltNames(X509* cert, CertificateInfo& info) {
  OpenSslPtr<GENERAL_NAMES> names(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  if (!names) {
    ClearOpenSslErrors();
    return;
  }
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type == GEN_DNS) {
      const ASN1_IA5STRING* dns = name->d.dNSName;
      info.dns_names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
                                  static_cast<std::size_t>(ASN1_STRING_length(dns)));
    } else if (name->type == GEN_IPADD) {
      const ASN1_OCTET_STRING* ip = name->d.iPAddress;
      const unsigned char* bytes = ASN1_STRING_get0_data(ip);
      if (ASN1_STRING_length(ip) == 4) {
        info.ip_addresses.push_back(
            IpAddress::V4(std::array<std::uint8_t, 4>{bytes[0], bytes[1], bytes[2], bytes[3]})
                .ToString());
      } else if (ASN1_STRING_length(ip) == 16) {
        std::array<std::uint8_t, 16> v6{};
        std::copy(bytes, bytes + 16, v6.begin());
        info.ip_addresses.push_back(IpAddress::V6(v6).ToString());
      }
    }
  }
}

std::string KeyType(EVP_PKEY* key) {
  if (key == nullptr) {
    return {};
  }
  std::array<char, 64> group{};
  std::size_t group_length = 0;
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_EC:
      if (EVP_PKEY_get_group_name(key, group.data(), group.size(), &group_length) == 1) {
        const std::string name(group.data(), group_length);
        return "EC " + std::string(name == "prime256v1" ? "P-256" : name);
      }
      ClearOpenSslErrors();
      return "EC";
    case EVP_PKEY_RSA:
      return "RSA " + std::to_string(EVP_PKEY_get_bits(key));
    case EVP_PKEY_ED25519:
      return "Ed25519";
    default:
      return "other";
  }
}

int RefuseEncryptedKey(char*, int, int, void*) { return -1; }

}  // namespace

std::string NameToString(const X509_NAME* name) {
  OpenSslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0) {
    ClearOpenSslErrors();
    return {};
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

CertificateInfo DescribeCertificate(X509* cert, EVP_PKEY* key) {
  CertificateInfo info;
  info.subject = NameToString(X509_get_subject_name(cert));
  info.issuer = NameToString(X509_get_issuer_name(cert));
  ReadSubjectAltNames(cert, info);
  info.not_before = ToTimePoint(X509_get0_notBefore(cert));
  info.not_after = ToTimePoint(X509_get0_notAfter(cert));
  std::array<std::uint8_t, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_length = 0;
  if (X509_digest(cert, EVP_sha256(), digest.data(), &digest_length) == 1) {
    info.sha256_fingerprint = HexEncode(std::span(digest.data(), digest_length));
  }
  info.key_type = KeyType(key);
  // X509_get_extended_key_usage is UINT32_MAX when the certificate has no EKU: any use.
  info.server_auth = (X509_get_extended_key_usage(cert) & XKU_SSL_SERVER) != 0;
  ClearOpenSslErrors();
  return info;
}

Result<OpenSslPtr<X509>> ParseCertificatePem(std::string_view pem) {
  if (pem.size() > kMaxPemFileBytes) {
    return MakeError(ErrorCode::kInvalidArgument, "larger than 1 MiB");
  }
  OpenSslPtr<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kResourceExhausted, "bio"));
  }
  OpenSslPtr<X509> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInvalidArgument, "not a pem certificate"));
  }
  return cert;
}

Result<OpenSslPtr<EVP_PKEY>> ParsePrivateKeyPem(std::string_view pem) {
  if (pem.size() > kMaxPemFileBytes) {
    return MakeError(ErrorCode::kInvalidArgument, "larger than 1 MiB");
  }
  if (pem.find("ENCRYPTED") != std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidArgument, "encrypted private keys are not supported");
  }
  OpenSslPtr<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kResourceExhausted, "bio"));
  }
  // The callback stops OpenSSL from prompting on the terminal for a passphrase.
  OpenSslPtr<EVP_PKEY> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, RefuseEncryptedKey, nullptr));
  if (!key) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInvalidArgument, "not a pem private key"));
  }
  return key;
}

}  // namespace vigil::pki
