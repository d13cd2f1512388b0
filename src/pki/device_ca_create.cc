// CreateDeviceCa: a two-level CA in the shape RFC 5280 section 4.2.1.9 and the CA/Browser
// Forum baseline describe: a self-signed root that only certifies the intermediate (pathlen 1),
// and an intermediate that certifies leaves only (pathlen 0), restricted by EKU to TLS client
// and server use so that a stolen intermediate key cannot vouch for anything else.

#include <openssl/evp.h>

#include <string>
#include <utility>
#include <vector>

#include "pki/device_ca.h"
#include "pki/serial.h"
#include "pki/x509_build.h"

namespace vigil::pki {
namespace {

constexpr std::int64_t kSecondsPerDay = std::int64_t{24} * 3600;
constexpr std::int64_t kMaxDays = std::int64_t{100} * 366;

struct CaRequest {
  EVP_PKEY* key;         // The key being certified.
  X509* issuer;          // Null for the self-signed root.
  EVP_PKEY* issuer_key;  // Signs; the root's own key for the root.
  const char* common_name;
  const char* basic_constraints;
  const char* extended_key_usage;  // Null for none.
  std::int64_t not_before_unix;
  std::int64_t not_after_unix;
};

Status SetCaSubject(X509* cert, const CaOptions& options, const char* common_name) {
  X509_NAME* name = X509_get_subject_name(cert);
  VIGIL_RETURN_IF_ERROR(AddNameEntry(name, "O", options.organization));
  if (!options.site.empty()) {
    VIGIL_RETURN_IF_ERROR(AddNameEntry(name, "OU", options.site));
  }
  return AddNameEntry(name, "CN", common_name);
}

Result<OpenSslPtr<X509>> MakeCaCertificate(const CaOptions& options, const CaRequest& request) {
  OpenSslPtr<X509> cert(X509_new());
  auto serial = RandomSerial();
  if (!serial) {
    return tl::unexpected(serial.error());
  }
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      X509_set_serialNumber(cert.get(), serial->get()) != 1 ||
      X509_set_pubkey(cert.get(), request.key) != 1) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "certificate"));
  }
  VIGIL_RETURN_IF_ERROR(SetCaSubject(cert.get(), options, request.common_name));
  X509* issuer = request.issuer != nullptr ? request.issuer : cert.get();
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer)) != 1) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "issuer name"));
  }
  VIGIL_RETURN_IF_ERROR(SetValidity(cert.get(), request.not_before_unix, request.not_after_unix));

  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert.get(), nullptr, nullptr, 0);
  // The subject key identifier goes first: the root's authority key identifier refers to it.
  auto ski = ConfExtension(&ctx, NID_subject_key_identifier, "hash");
  if (!ski || X509_add_ext(cert.get(), ski->get(), -1) != 1) {
    return tl::unexpected(ski ? PkiOpenSslError(ErrorCode::kInternal, "ski") : ski.error());
  }
  std::vector<OpenSslPtr<X509_EXTENSION>> extensions;
  for (const auto& [nid, value] : {std::pair{NID_basic_constraints, request.basic_constraints},
                                   std::pair{NID_key_usage, "critical,keyCertSign,cRLSign"},
                                   std::pair{NID_authority_key_identifier, "keyid:always"},
                                   std::pair{NID_ext_key_usage, request.extended_key_usage}}) {
    if (value == nullptr) {
      continue;
    }
    auto ext = ConfExtension(&ctx, nid, value);
    if (!ext) {
      return tl::unexpected(ext.error());
    }
    extensions.push_back(std::move(*ext));
  }
  for (const auto& ext : extensions) {
    if (X509_add_ext(cert.get(), ext.get(), -1) != 1) {
      return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "extension"));
    }
  }
  if (X509_sign(cert.get(), request.issuer_key, EVP_sha256()) <= 0) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "sign"));
  }
  return cert;
}

Status CheckOptions(const CaOptions& options) {
  if (options.organization.empty() || options.organization.size() > 64 ||
      options.site.size() > 64) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "ca: organization must have 1 to 64 characters, site at most 64");
  }
  if (options.root_days <= 0 || options.root_days > kMaxDays || options.intermediate_days <= 0 ||
      options.intermediate_days > options.root_days) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "ca: validity must be positive, the intermediate's within the root's");
  }
  return OkStatus();
}

}  // namespace

Result<CaMaterial> CreateDeviceCa(const CaOptions& options, std::int64_t now_unix) {
  VIGIL_RETURN_IF_ERROR(CheckOptions(options));
  OpenSslPtr<EVP_PKEY> root_key(EVP_EC_gen("P-256"));
  OpenSslPtr<EVP_PKEY> intermediate_key(EVP_EC_gen("P-256"));
  if (!root_key || !intermediate_key) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "ca: generate p-256 key"));
  }
  const std::int64_t start = now_unix - kClockSkewSeconds;
  auto root =
      MakeCaCertificate(options, {.key = root_key.get(),
                                  .issuer = nullptr,
                                  .issuer_key = root_key.get(),
                                  .common_name = "Vigil Device Root CA",
                                  .basic_constraints = "critical,CA:TRUE,pathlen:1",
                                  .extended_key_usage = nullptr,
                                  .not_before_unix = start,
                                  .not_after_unix = now_unix + options.root_days * kSecondsPerDay});
  if (!root) {
    return tl::unexpected(Annotate(root.error(), "ca: root"));
  }
  auto intermediate = MakeCaCertificate(
      options, {.key = intermediate_key.get(),
                .issuer = root->get(),
                .issuer_key = root_key.get(),
                .common_name = "Vigil Device Issuing CA",
                .basic_constraints = "critical,CA:TRUE,pathlen:0",
                .extended_key_usage = "clientAuth,serverAuth",
                .not_before_unix = start,
                .not_after_unix = now_unix + options.intermediate_days * kSecondsPerDay});
  if (!intermediate) {
    return tl::unexpected(Annotate(intermediate.error(), "ca: intermediate"));
  }
  auto root_cert_pem = CertificatePem(root->get());
  auto root_key_pem = PrivateKeyPem(root_key.get());
  auto intermediate_cert_pem = CertificatePem(intermediate->get());
  auto intermediate_key_pem = PrivateKeyPem(intermediate_key.get());
  if (!root_cert_pem || !root_key_pem || !intermediate_cert_pem || !intermediate_key_pem) {
    return MakeError(ErrorCode::kInternal, "ca: pem encode");
  }
  return CaMaterial{.root_cert_pem = std::move(*root_cert_pem),
                    .root_key_pem = std::move(*root_key_pem),
                    .intermediate_cert_pem = std::move(*intermediate_cert_pem),
                    .intermediate_key_pem = std::move(*intermediate_key_pem)};
}

}  // namespace vigil::pki
