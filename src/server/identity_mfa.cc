// IdentityService: MFA keys described for enrolment, and enrolment at the console (the CLI
// prints the QR code as terminal blocks). Enrolment during a browser sign-in is in
// identity_service.cc, beside the other sign-in steps.

#include "crypto/totp.h"
#include "identity/qr_code.h"
#include "server/identity_service.h"
#include "server/identity_text.h"
#include "server/runtime.h"

namespace vigil::server {

Result<Enrolment> IdentityService::DescribeKey(const std::string& username,
                                               const crypto::SecretBytes& key) const {
  Enrolment enrolment;
  enrolment.secret_base32 = crypto::Base32Encode(key.span());
  enrolment.otpauth_uri = crypto::OtpauthUri(options_.issuer, username, key.span());
  auto svg = identity::QrSvg(enrolment.otpauth_uri);
  if (!svg) return tl::unexpected(std::move(svg).error());
  enrolment.qr_svg = std::move(*svg);
  auto terminal = identity::QrTerminal(enrolment.otpauth_uri);
  if (!terminal) return tl::unexpected(std::move(terminal).error());
  enrolment.qr_terminal = std::move(*terminal);
  return enrolment;
}

Result<Enrolment> IdentityService::BeginConsoleEnrolment(const audit::Actor& actor,
                                                         std::string_view user_ref) {
  auto user = ResolveUser(user_ref);
  if (!user) return tl::unexpected(std::move(user).error());
  if (user->emergency) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "the emergency account uses its emergency code, not an authenticator");
  }
  auto key = crypto::NewTotpKey();
  if (!key) return tl::unexpected(std::move(key).error());
  auto enrolment = DescribeKey(user->username, *key);
  if (!enrolment) return enrolment;
  VIGIL_RETURN_IF_ERROR(rt_.store().Write([&](store::Transaction& tx) -> Status {
    VIGIL_RETURN_IF_ERROR(tx.secrets().Put(PendingTotpSecretName(user->id), key->span()));
    return Audit(tx, actor, "auth.mfa.enrolment_started", "user:" + user->username,
                 {{"via", "console"}});
  }));
  return enrolment;
}

Result<std::vector<std::string>> IdentityService::ConfirmConsoleEnrolment(const audit::Actor& actor,
                                                                          std::string_view user_ref,
                                                                          std::string_view code) {
  auto user = ResolveUser(user_ref);
  if (!user) return tl::unexpected(std::move(user).error());
  crypto::SecretBytes key;
  VIGIL_RETURN_IF_ERROR(rt_.store().Read([&](store::ReadTransaction& tx) -> Status {
    auto found = tx.secrets().Get(PendingTotpSecretName(user->id));
    if (!found) {
      if (found.error().code == ErrorCode::kNotFound) {
        return MakeError(ErrorCode::kFailedPrecondition,
                         "no enrolment in progress for " + user->username +
                             "; start one with `vigil user mfa-enrol`");
      }
      return tl::unexpected(std::move(found).error());
    }
    key = std::move(*found);
    return OkStatus();
  }));
  auto step =
      crypto::VerifyTotp(key.span(), code, rt_.clock().NowUnixSeconds(), options_.totp_window, 0);
  if (!step) return tl::unexpected(std::move(step).error());
  if (!step->has_value()) {
    (void)AuditAlone(actor, "auth.mfa.failed", "user:" + user->username,
                     {{"during", "console enrolment"}});
    return MakeError(ErrorCode::kUnauthenticated,
                     "wrong code; check the app's clock and try again");
  }
  user->mfa_enrolled = true;
  user->totp_last_step = **step;
  std::vector<std::string> codes;
  VIGIL_RETURN_IF_ERROR(rt_.store().Write([&](store::Transaction& tx) -> Status {
    VIGIL_RETURN_IF_ERROR(tx.secrets().Put(TotpSecretName(user->id), key.span()));
    VIGIL_RETURN_IF_ERROR(tx.secrets().Remove(PendingTotpSecretName(user->id)));
    auto fresh = StoreNewRecoveryCodes(tx, user->id);
    if (!fresh) return tl::unexpected(std::move(fresh).error());
    codes = std::move(*fresh);
    VIGIL_RETURN_IF_ERROR(tx.identity().UpdateUser(*user));
    return Audit(tx, actor, "auth.mfa.enrolled", "user:" + user->username,
                 {{"method", "totp"}, {"via", "console"}});
  }));
  // Sessions opened before now were signed in with the old factor (or none): they end.
  sessions_.RemoveUser(user->id);
  return codes;
}

}  // namespace vigil::server
