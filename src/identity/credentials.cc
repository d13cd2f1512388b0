#include "identity/credentials.h"

#include <cctype>

#include "core/hex.h"
#include "crypto/random.h"

namespace vigil::identity {
namespace {

// 32 characters without 0, 1, l and o: one per 5 random bits.
constexpr std::string_view kAlphabet = "abcdefghijkmnpqrstuvwxyz23456789";
static_assert(kAlphabet.size() == 32);

Result<std::string> Grouped(std::size_t length, std::size_t group) {
  auto random = crypto::RandomBytes(length);
  if (!random) return tl::unexpected(std::move(random).error());
  std::string text;
  for (std::size_t i = 0; i < length; ++i) {
    if (i > 0 && i % group == 0) text += '-';
    text += kAlphabet[(*random)[i] & 31U];
  }
  return text;
}

}  // namespace

Result<std::string> NewOneTimePassword() { return Grouped(20, 5); }

Result<std::vector<std::string>> NewRecoveryCodes(std::size_t count) {
  std::vector<std::string> codes;
  for (std::size_t i = 0; i < count; ++i) {
    auto code = Grouped(12, 4);
    if (!code) return tl::unexpected(std::move(code).error());
    codes.push_back(std::move(*code));
  }
  return codes;
}

Result<std::string> NewEmergencyCode() { return Grouped(30, 5); }

Result<std::string> NewApiToken() {
  auto random = crypto::RandomBytes(32);
  if (!random) return tl::unexpected(std::move(random).error());
  return "vgl_" + HexEncode(*random);
}

bool LooksLikeApiToken(std::string_view text) {
  if (text.size() != 68 || !text.starts_with("vgl_")) return false;
  for (char c : text.substr(4)) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string NormalizeCode(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == '-' || c == ' ') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string NormalizeUsername(std::string_view username) {
  while (!username.empty() && std::isspace(static_cast<unsigned char>(username.front()))) {
    username.remove_prefix(1);
  }
  while (!username.empty() && std::isspace(static_cast<unsigned char>(username.back()))) {
    username.remove_suffix(1);
  }
  std::string out;
  for (char c : username) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Status CheckUsername(std::string_view normalized) {
  if (normalized.empty() || normalized.size() > 64) {
    return MakeError(ErrorCode::kInvalidArgument, "user name must be 1 to 64 characters");
  }
  if (!std::isalnum(static_cast<unsigned char>(normalized.front()))) {
    return MakeError(ErrorCode::kInvalidArgument, "user name must start with a letter or digit");
  }
  for (char c : normalized) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "user name may contain only a-z, 0-9, '.', '_' and '-'");
    }
  }
  return OkStatus();
}

}  // namespace vigil::identity
