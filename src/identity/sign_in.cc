#include "identity/sign_in.h"

namespace vigil::identity {

std::string_view StepName(SignInStep step) {
  switch (step) {
    case SignInStep::kPasswordChange:
      return "password_change";
    case SignInStep::kMfaEnrolment:
      return "mfa_enrolment";
    case SignInStep::kMfa:
      return "mfa";
    case SignInStep::kEmergencyCode:
      return "emergency_code";
    case SignInStep::kDone:
      return "done";
  }
  return "unknown";
}

SignInStep NextStep(const AccountFacts& facts, std::optional<SignInStep> after) {
  // A second factor is always the last step; nothing is skipped by completing an earlier one.
  if (after == SignInStep::kMfa || after == SignInStep::kEmergencyCode) return SignInStep::kDone;
  if (facts.must_change_password && !after) return SignInStep::kPasswordChange;
  if (facts.emergency) return SignInStep::kEmergencyCode;
  if (!facts.mfa_enrolled) {
    // Enrolment ends with a TOTP code checked against the new key: that is the second factor.
    return after == SignInStep::kMfaEnrolment ? SignInStep::kDone : SignInStep::kMfaEnrolment;
  }
  return SignInStep::kMfa;
}

}  // namespace vigil::identity
