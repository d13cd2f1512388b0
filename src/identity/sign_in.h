#pragma once

// The steps of signing in, in the order a person meets them: a forced password change (first
// login, or after an administrator reset it), MFA enrolment (no TOTP key yet), the second factor
// (TOTP or a recovery code), or the emergency code for the break-glass account; then done.
//
// Thread safety: pure functions. Errors: none.

#include <optional>
#include <string_view>

namespace vigil::identity {

enum class SignInStep { kPasswordChange, kMfaEnrolment, kMfa, kEmergencyCode, kDone };

// "password_change", "mfa_enrolment", "mfa", "emergency_code", "done" (the API's `next`).
std::string_view StepName(SignInStep step);

struct AccountFacts {
  bool must_change_password = false;
  bool mfa_enrolled = false;
  bool emergency = false;
};

// The step after the password was checked (or after `after` was completed).
SignInStep NextStep(const AccountFacts& facts, std::optional<SignInStep> after = std::nullopt);

}  // namespace vigil::identity
