// Fuzz target: what a person or client types reaches these functions unfiltered: user names,
// passwords (through cracklib), recovery and emergency codes, API tokens, addresses, and the
// text turned into a QR code. None may crash, hang or read out of bounds.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/check.h"
#include "identity/credentials.h"
#include "identity/lockout.h"
#include "identity/password_policy.h"
#include "identity/qr_code.h"

namespace {

const std::optional<vigil::identity::PasswordPolicy>& Policy() {
  static const std::optional<vigil::identity::PasswordPolicy> policy = [] {
    auto created = vigil::identity::PasswordPolicy::Create();
    return created ? std::optional(std::move(*created)) : std::nullopt;
  }();
  return policy;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // The first line is a user name, the rest a password.
  const std::size_t newline = input.find('\n');
  const std::string_view user = input.substr(0, newline);
  const std::string_view password =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

  const std::string normalized = vigil::identity::NormalizeUsername(user);
  if (vigil::identity::CheckUsername(normalized)) {
    VIGIL_CHECK(!normalized.empty() && normalized.size() <= 64, "accepted a bad user name");
  }
  const std::string code = vigil::identity::NormalizeCode(input);
  VIGIL_CHECK(code.find('-') == std::string::npos, "a normalised code kept a hyphen");
  (void)vigil::identity::LooksLikeApiToken(input);
  (void)vigil::identity::AddressOf(input);
  if (const auto& policy = Policy(); policy && password.size() <= 512) {
    const auto verdict = policy->Check(password, normalized);
    VIGIL_CHECK(verdict || !verdict.error().message.empty(), "a refusal must say why");
  }
  if (size <= 256) (void)vigil::identity::QrSvg(input);
  return 0;
}
