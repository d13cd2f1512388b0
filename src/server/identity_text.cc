#include "server/identity_text.h"

#include "core/time_format.h"

namespace vigil::server {

std::string TotpSecretName(std::string_view user_id) { return "totp/" + std::string(user_id); }

std::string PendingTotpSecretName(std::string_view user_id) {
  return "totp-pending/" + std::string(user_id);
}

std::string EmergencySecretName(std::string_view user_id) {
  return "emergency-code/" + std::string(user_id);
}

std::string Printable(std::string_view text, std::size_t max) {
  std::string out;
  for (char c : text.substr(0, max)) {
    const auto byte = static_cast<unsigned char>(c);
    out += byte >= 0x20 && byte < 0x7f ? c : '?';
  }
  return out;
}

std::string FormatUnix(std::int64_t unix_seconds) {
  if (unix_seconds == 0) return {};
  return FormatRfc3339(unix_seconds * 1'000'000'000, 0);
}

}  // namespace vigil::server
