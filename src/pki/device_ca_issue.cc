// DeviceCa::IssueDeviceCertificate and IssueServerCertificate: one X.509 v3 leaf profile
// (RFC 5280 section 4.2) signed by the intermediate, with the device or server specifics.

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <string>

#include "pki/csr.h"
#include "pki/device_ca_state.h"
#include "pki/serial.h"
#include "pki/subject_alt_names.h"
#include "pki/x509_build.h"

namespace vigil::pki {
namespace {

// Longer lifetimes are refused rather than overflowing the arithmetic below.
constexpr std::int64_t kMaxLifetimeSeconds = std::int64_t{100} * 366 * 24 * 3600;

Status CheckIssuingTime(const DeviceCa::State& state, std::int64_t now_unix,
                        std::int64_t lifetime_seconds) {
  if (lifetime_seconds <= 0 || lifetime_seconds > kMaxLifetimeSeconds) {
    return MakeError(ErrorCode::kInvalidArgument, "ca: lifetime must be 1 s to 100 years");
  }
  if (now_unix < state.intermediate_not_before || now_unix >= state.intermediate_not_after) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "ca: intermediate certificate is not valid now (valid to " +
                         std::to_string(state.intermediate_not_after) + ")");
  }
  return OkStatus();
}

struct LeafRequest {
  EVP_PKEY* public_key;         // The server's key, or null for
  const DeviceCsr* device_csr;  // the device's key from its request.
  std::string_view common_name;
  X509_EXTENSION* extended_key_usage;
  GENERAL_NAMES* alt_names;
  std::int64_t now_unix;
  std::int64_t lifetime_seconds;
};

Status SetNames(X509* cert, const DeviceCa::State& state, std::string_view common_name) {
  if (X509_set_issuer_name(cert, X509_get_subject_name(state.intermediate.get())) != 1) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "issuer name"));
  }
  X509_NAME* subject = X509_get_subject_name(cert);
  VIGIL_RETURN_IF_ERROR(AddNameEntry(subject, "O", state.organization));
  return AddNameEntry(subject, "CN", common_name);
}

Status AddLeafExtensions(X509* cert, const DeviceCa::State& state, const LeafRequest& request) {
  const std::array<X509_EXTENSION* const, 4> shared = {
      state.leaf_basic_constraints.get(), state.leaf_key_usage.get(), request.extended_key_usage,
      state.authority_key_id.get()};
  VIGIL_RETURN_IF_ERROR(AddExtensions(cert, shared));
  auto key_id = KeyIdentifier(X509_get_X509_PUBKEY(cert));
  if (!key_id) {
    return tl::unexpected(key_id.error());
  }
  // RFC 5280 section 4.2.1.6: subjectAltName is critical only when the subject is empty.
  if (X509_add1_ext_i2d(cert, NID_subject_key_identifier, key_id->get(), 0, X509V3_ADD_DEFAULT) !=
          1 ||
      X509_add1_ext_i2d(cert, NID_subject_alt_name, request.alt_names, 0, X509V3_ADD_DEFAULT) !=
          1) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "extensions"));
  }
  return OkStatus();
}

// X509_set_pubkey would round-trip the key through OpenSSL 3.0's encoders and decoders (about
// 0.35 ms); a device key is already the point the SubjectPublicKeyInfo needs.
Status SetPublicKey(X509* cert, const LeafRequest& request) {
  if (request.device_csr == nullptr) {
    if (X509_set_pubkey(cert, request.public_key) != 1) {
      return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "public key"));
    }
    return OkStatus();
  }
  const auto& point = request.device_csr->public_key;
  auto* bits = static_cast<unsigned char*>(OPENSSL_memdup(point.data(), point.size()));
  if (bits == nullptr ||
      X509_PUBKEY_set0_param(X509_get_X509_PUBKEY(cert), OBJ_nid2obj(NID_X9_62_id_ecPublicKey),
                             V_ASN1_OBJECT, OBJ_nid2obj(NID_X9_62_prime256v1), bits,
                             static_cast<int>(point.size())) != 1) {
    OPENSSL_free(bits);
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "public key"));
  }
  return OkStatus();
}

Result<IssuedCertificate> IssueLeaf(const DeviceCa::State& state, const LeafRequest& request) {
  OpenSslPtr<X509> cert(X509_new());
  auto serial = RandomSerial();
  if (!serial) {
    return tl::unexpected(serial.error());
  }
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      X509_set_serialNumber(cert.get(), serial->get()) != 1) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "certificate"));
  }
  VIGIL_RETURN_IF_ERROR(SetPublicKey(cert.get(), request));
  VIGIL_RETURN_IF_ERROR(SetNames(cert.get(), state, request.common_name));
  const std::int64_t not_before = request.now_unix - kClockSkewSeconds;
  const std::int64_t not_after =
      std::min(request.now_unix + request.lifetime_seconds, state.intermediate_not_after);
  VIGIL_RETURN_IF_ERROR(SetValidity(cert.get(), not_before, not_after));
  VIGIL_RETURN_IF_ERROR(AddLeafExtensions(cert.get(), state, request));
  if (X509_sign(cert.get(), state.intermediate_key.get(), EVP_sha256()) <= 0) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "sign"));
  }
  auto pem = CertificatePem(cert.get());
  if (!pem) {
    return tl::unexpected(pem.error());
  }
  return IssuedCertificate{.pem = std::move(*pem),
                           .serial_hex = SerialHex(X509_get0_serialNumber(cert.get())),
                           .fingerprint_sha256 = Sha256Fingerprint(cert.get()),
                           .not_before_unix = not_before,
                           .not_after_unix = not_after};
}

// A device's or sensor's certificate: `uri_prefix` and `id` make its identity.
Result<IssuedCertificate> IssueIdentityCertificate(const DeviceCa::State& state,
                                                   std::string_view csr_pem,
                                                   std::string_view uri_prefix, std::string_view id,
                                                   std::int64_t now_unix,
                                                   std::int64_t lifetime_seconds) {
  if (!IsDeviceId(id)) {
    return MakeError(ErrorCode::kInvalidArgument, "ca: device id must be 32 lowercase hex digits");
  }
  VIGIL_RETURN_IF_ERROR(CheckIssuingTime(state, now_unix, lifetime_seconds));
  auto request = ParseDeviceCsr(csr_pem);
  if (!request) {
    return tl::unexpected(request.error());
  }
  OpenSslPtr<GENERAL_NAMES> names(sk_GENERAL_NAME_new_null());
  if (!names) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kResourceExhausted, "ca: subjectaltname"));
  }
  VIGIL_RETURN_IF_ERROR(AddUriName(names.get(), std::string(uri_prefix) += id));
  auto issued = IssueLeaf(state, {.public_key = nullptr,
                                  .device_csr = &*request,
                                  .common_name = id,
                                  .extended_key_usage = state.client_auth.get(),
                                  .alt_names = names.get(),
                                  .now_unix = now_unix,
                                  .lifetime_seconds = lifetime_seconds});
  if (!issued) {
    return tl::unexpected(Annotate(issued.error(), "ca: device " + std::string(id)));
  }
  return issued;
}

}  // namespace

Result<IssuedCertificate> DeviceCa::IssueDeviceCertificate(std::string_view csr_pem,
                                                           std::string_view device_id,
                                                           std::int64_t now_unix,
                                                           std::int64_t lifetime_seconds) const {
  return IssueIdentityCertificate(*state_, csr_pem, kDeviceUriPrefix, device_id, now_unix,
                                  lifetime_seconds);
}

Result<IssuedCertificate> DeviceCa::IssueSensorCertificate(std::string_view csr_pem,
                                                           std::string_view sensor_id,
                                                           std::int64_t now_unix,
                                                           std::int64_t lifetime_seconds) const {
  return IssueIdentityCertificate(*state_, csr_pem, kSensorUriPrefix, sensor_id, now_unix,
                                  lifetime_seconds);
}

Result<IssuedServerCertificate> DeviceCa::IssueServerCertificate(
    std::span<const std::string> dns_names, std::span<const std::string> ip_addresses,
    std::int64_t now_unix, std::int64_t lifetime_seconds) const {
  if (dns_names.empty() && ip_addresses.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "ca: server certificate needs a dns name or ip");
  }
  VIGIL_RETURN_IF_ERROR(CheckIssuingTime(*state_, now_unix, lifetime_seconds));
  auto names = MakeSubjectAltNames(dns_names, ip_addresses);
  if (!names) {
    return tl::unexpected(Annotate(names.error(), "ca: server certificate"));
  }
  OpenSslPtr<EVP_PKEY> key(EVP_EC_gen("P-256"));
  if (!key) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "ca: generate p-256 key"));
  }
  auto issued =
      IssueLeaf(*state_, {.public_key = key.get(),
                          .device_csr = nullptr,
                          .common_name = dns_names.empty() ? ip_addresses[0] : dns_names[0],
                          .extended_key_usage = state_->server_auth.get(),
                          .alt_names = names->get(),
                          .now_unix = now_unix,
                          .lifetime_seconds = lifetime_seconds});
  if (!issued) {
    return tl::unexpected(Annotate(issued.error(), "ca: server certificate"));
  }
  auto key_pem = PrivateKeyPem(key.get());
  if (!key_pem) {
    return tl::unexpected(Annotate(key_pem.error(), "ca: server key"));
  }
  return IssuedServerCertificate{.certificate = std::move(*issued), .key_pem = std::move(*key_pem)};
}

}  // namespace vigil::pki
