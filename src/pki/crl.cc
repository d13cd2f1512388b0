// DeviceCa::MakeCrlPem: a version 2 CRL as RFC 5280 section 5 describes it, signed by the
// intermediate that issued the certificates it lists.

#include <openssl/pem.h>

#include <array>
#include <ctime>
#include <string>
#include <utility>

#include "pki/device_ca_state.h"
#include "pki/serial.h"
#include "pki/x509_build.h"

namespace vigil::pki {
namespace {

// RFC 5280 section 5.3.1 CRLReason values for the names the API accepts.
constexpr std::array<std::pair<std::string_view, int>, 6> kReasons = {{
    {"unspecified", CRL_REASON_UNSPECIFIED},
    {"key_compromise", CRL_REASON_KEY_COMPROMISE},
    {"affiliation_changed", CRL_REASON_AFFILIATION_CHANGED},
    {"superseded", CRL_REASON_SUPERSEDED},
    {"cessation_of_operation", CRL_REASON_CESSATION_OF_OPERATION},
    {"certificate_hold", CRL_REASON_CERTIFICATE_HOLD},
}};

Result<int> ReasonCode(std::string_view name) {
  for (const auto& [reason_name, code] : kReasons) {
    if (reason_name == name) {
      return code;
    }
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   "crl: unknown revocation reason \"" + std::string(name) + "\"");
}

Status AddEntry(X509_CRL* crl, const RevokedEntry& entry) {
  auto serial = SerialFromHex(entry.serial_hex);
  if (!serial) {
    return tl::unexpected(Annotate(serial.error(), "crl"));
  }
  auto reason = ReasonCode(entry.reason);
  if (!reason) {
    return tl::unexpected(reason.error());
  }
  OpenSslPtr<X509_REVOKED> revoked(X509_REVOKED_new());
  OpenSslPtr<ASN1_TIME> date(ASN1_TIME_set(nullptr, static_cast<std::time_t>(entry.revoked_unix)));
  if (!revoked || !date || X509_REVOKED_set_serialNumber(revoked.get(), serial->get()) != 1 ||
      X509_REVOKED_set_revocationDate(revoked.get(), date.get()) != 1) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "crl: entry"));
  }
  // Section 5.3.1: "the reason code CRL entry extension SHOULD be absent instead of using the
  // unspecified (0) reasonCode value".
  if (*reason != CRL_REASON_UNSPECIFIED) {
    OpenSslPtr<ASN1_ENUMERATED> code(ASN1_ENUMERATED_new());
    if (!code || ASN1_ENUMERATED_set(code.get(), *reason) != 1 ||
        X509_REVOKED_add1_ext_i2d(revoked.get(), NID_crl_reason, code.get(), 0, 0) != 1) {
      return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "crl: reason"));
    }
  }
  if (X509_CRL_add0_revoked(crl, revoked.get()) != 1) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "crl: entry"));
  }
  static_cast<void>(revoked.release());  // Owned by `crl` now.
  return OkStatus();
}

Status SetHeader(X509_CRL* crl, const DeviceCa::State& state, std::int64_t now_unix,
                 std::int64_t next_update_unix, std::int64_t crl_number) {
  OpenSslPtr<ASN1_TIME> this_update(ASN1_TIME_set(nullptr, static_cast<std::time_t>(now_unix)));
  OpenSslPtr<ASN1_TIME> next_update(
      ASN1_TIME_set(nullptr, static_cast<std::time_t>(next_update_unix)));
  OpenSslPtr<ASN1_INTEGER> number(ASN1_INTEGER_new());
  if (!this_update || !next_update || !number ||
      ASN1_INTEGER_set_int64(number.get(), crl_number) != 1 ||
      X509_CRL_set_version(crl, X509_CRL_VERSION_2) != 1 ||
      X509_CRL_set_issuer_name(crl, X509_get_subject_name(state.intermediate.get())) != 1 ||
      X509_CRL_set1_lastUpdate(crl, this_update.get()) != 1 ||
      X509_CRL_set1_nextUpdate(crl, next_update.get()) != 1 ||
      X509_CRL_add1_ext_i2d(crl, NID_crl_number, number.get(), 0, 0) != 1 ||
      X509_CRL_add_ext(crl, state.authority_key_id.get(), -1) != 1) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "crl: header"));
  }
  return OkStatus();
}

}  // namespace

Result<std::string> DeviceCa::MakeCrlPem(std::span<const RevokedEntry> revoked,
                                         std::int64_t now_unix, std::int64_t next_update_unix,
                                         std::int64_t crl_number) const {
  if (next_update_unix <= now_unix) {
    return MakeError(ErrorCode::kInvalidArgument, "crl: next update must be after now");
  }
  if (crl_number < 0) {
    return MakeError(ErrorCode::kInvalidArgument, "crl: crl number must not be negative");
  }
  OpenSslPtr<X509_CRL> crl(X509_CRL_new());
  if (!crl) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kResourceExhausted, "crl"));
  }
  VIGIL_RETURN_IF_ERROR(SetHeader(crl.get(), *state_, now_unix, next_update_unix, crl_number));
  for (const RevokedEntry& entry : revoked) {
    VIGIL_RETURN_IF_ERROR(AddEntry(crl.get(), entry));
  }
  if (X509_CRL_sort(crl.get()) != 1 ||
      X509_CRL_sign(crl.get(), state_->intermediate_key.get(), EVP_sha256()) <= 0) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "crl: sign"));
  }
  auto pem = ToPem([&](BIO* bio) { return PEM_write_bio_X509_CRL(bio, crl.get()); });
  if (!pem) {
    return tl::unexpected(Annotate(pem.error(), "crl"));
  }
  return pem;
}

}  // namespace vigil::pki
