#include "crypto/totp.h"

#include <liboath/oath.h>

#include <array>
#include <cstddef>
#include <ctime>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/hex.h"
#include "crypto/hash.h"
#include "crypto/random.h"

namespace vigil::crypto {
namespace {

constexpr int kMinDigits = 6, kMaxDigits = 8;
constexpr std::int64_t kMaxStepSeconds = 86400;
constexpr int kMaxWindow = 10;
constexpr std::size_t kMinKeySize = 16, kMaxKeySize = 128;
constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

Error Invalid(std::string message) {
  return Error{ErrorCode::kInvalidArgument, std::move(message)};
}

// oath_init sets up liboath's crypto backend; it must run once before any other call, and is
// not documented as safe to run concurrently.
Status InitOath() {
  static std::once_flag once;
  static int rc = OATH_OK;
  std::call_once(once, [] { rc = oath_init(); });
  if (rc != OATH_OK) {
    return MakeError(ErrorCode::kInternal,
                     std::string("totp: oath_init: ") + oath_strerror_name(rc));
  }
  return OkStatus();
}

Status CheckKey(std::span<const std::uint8_t> key) {
  if (key.size() < kMinKeySize || key.size() > kMaxKeySize) {
    return tl::unexpected(Invalid("totp: key must be 16 to 128 bytes"));
  }
  return OkStatus();
}

Status CheckDigits(int digits) {
  if (digits < kMinDigits || digits > kMaxDigits) {
    return tl::unexpected(Invalid("totp: digits must be 6 to 8"));
  }
  return OkStatus();
}

Status CheckParams(const TotpParams& params) {
  VIGIL_RETURN_IF_ERROR(CheckDigits(params.digits));
  if (params.step_seconds < 1 || params.step_seconds > kMaxStepSeconds) {
    return tl::unexpected(Invalid("totp: step must be 1 to 86400 seconds"));
  }
  return OkStatus();
}

int OathFlags(TotpAlgorithm algorithm) {
  switch (algorithm) {
    case TotpAlgorithm::kSha1:
      return 0;
    case TotpAlgorithm::kSha256:
      return OATH_TOTP_HMAC_SHA256;
    case TotpAlgorithm::kSha512:
      return OATH_TOTP_HMAC_SHA512;
  }
  return 0;
}

std::string_view AlgorithmName(TotpAlgorithm algorithm) {
  switch (algorithm) {
    case TotpAlgorithm::kSha1:
      return "SHA1";
    case TotpAlgorithm::kSha256:
      return "SHA256";
    case TotpAlgorithm::kSha512:
      return "SHA512";
  }
  return "SHA1";
}

// The code of one step, parameters already checked. liboath has no HOTP call taking an
// algorithm, so the step is passed as a TOTP time with a 1-second step and start 0: liboath's
// counter (now - start) / step is then the step itself (RFC 6238 section 4.2: T is the HOTP
// counter).
Result<std::string> StepCode(std::span<const std::uint8_t> key, std::int64_t step, int digits,
                             TotpAlgorithm algorithm) {
  VIGIL_RETURN_IF_ERROR(InitOath());
  std::array<char, kMaxDigits + 1> out{};
  const int rc = oath_totp_generate2(reinterpret_cast<const char*>(key.data()), key.size(),
                                     static_cast<time_t>(step), 1, 0, static_cast<unsigned>(digits),
                                     OathFlags(algorithm), out.data());
  if (rc != OATH_OK) {
    return MakeError(ErrorCode::kInternal,
                     std::string("totp: oath_totp_generate2: ") + oath_strerror_name(rc));
  }
  return std::string(out.data(), static_cast<std::size_t>(digits));
}

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if (a % b != 0 && a < 0) --q;
  return q;
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

bool AllDigits(std::string_view s) {
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int Base32Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// RFC 3986 section 2.1 percent-encoding of every byte outside the unreserved set.
std::string PercentEncode(std::string_view text) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (IsUnreserved(c)) {
      out.push_back(c);
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[static_cast<std::size_t>(byte >> 4)]);
      out.push_back(kHex[static_cast<std::size_t>(byte & 0x0f)]);
    }
  }
  return out;
}

}  // namespace

Result<SecretBytes> NewTotpKey() { return RandomSecret(kTotpKeySize); }

Result<std::string> HotpCode(std::span<const std::uint8_t> key, std::uint64_t counter, int digits) {
  VIGIL_RETURN_IF_ERROR(CheckKey(key));
  VIGIL_RETURN_IF_ERROR(CheckDigits(digits));
  VIGIL_RETURN_IF_ERROR(InitOath());
  std::array<char, kMaxDigits + 1> out{};
  const int rc = oath_hotp_generate(reinterpret_cast<const char*>(key.data()), key.size(), counter,
                                    static_cast<unsigned>(digits), false,
                                    OATH_HOTP_DYNAMIC_TRUNCATION, out.data());
  if (rc != OATH_OK) {
    return MakeError(ErrorCode::kInternal,
                     std::string("totp: oath_hotp_generate: ") + oath_strerror_name(rc));
  }
  return std::string(out.data(), static_cast<std::size_t>(digits));
}

std::int64_t TotpStep(std::int64_t unix_seconds, const TotpParams& params) {
  const std::int64_t step = params.step_seconds < 1 ? 1 : params.step_seconds;
  std::int64_t elapsed = 0;
  if (__builtin_sub_overflow(unix_seconds, params.t0, &elapsed)) {
    elapsed = unix_seconds < params.t0 ? std::numeric_limits<std::int64_t>::min()
                                       : std::numeric_limits<std::int64_t>::max();
  }
  return FloorDiv(elapsed, step);
}

Result<std::string> TotpCode(std::span<const std::uint8_t> key, std::int64_t unix_seconds,
                             const TotpParams& params) {
  VIGIL_RETURN_IF_ERROR(CheckKey(key));
  VIGIL_RETURN_IF_ERROR(CheckParams(params));
  const std::int64_t step = TotpStep(unix_seconds, params);
  if (step < 0) return tl::unexpected(Invalid("totp: time is before t0"));
  return StepCode(key, step, params.digits, params.algorithm);
}

Result<std::optional<std::int64_t>> VerifyTotp(std::span<const std::uint8_t> key,
                                               std::string_view code, std::int64_t unix_seconds,
                                               int window, std::int64_t after_step,
                                               const TotpParams& params) {
  VIGIL_RETURN_IF_ERROR(CheckKey(key));
  VIGIL_RETURN_IF_ERROR(CheckParams(params));
  if (window < 0 || window > kMaxWindow) {
    return tl::unexpected(Invalid("totp: window must be 0 to 10 steps"));
  }
  code = TrimSpaces(code);
  if (code.size() != static_cast<std::size_t>(params.digits) || !AllDigits(code)) {
    return std::optional<std::int64_t>();
  }

  const std::int64_t now_step = TotpStep(unix_seconds, params);
  std::optional<std::int64_t> match;
  // All candidates are computed and compared, without stopping at a match, so timing does not
  // reveal which step (or whether an earlier one) matched.
  for (int offset = -window; offset <= window; ++offset) {
    std::int64_t step = 0;
    if (__builtin_add_overflow(now_step, offset, &step)) continue;
    if (step < 0 || step <= after_step) continue;
    const auto expected = StepCode(key, step, params.digits, params.algorithm);
    if (!expected) return tl::unexpected(expected.error());
    if (ConstantTimeEquals(AsBytes(*expected), AsBytes(code)) && !match) match = step;
  }
  return match;
}

std::string Base32Encode(std::span<const std::uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const std::uint8_t byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push_back(kBase32Alphabet[(buffer >> bits) & 0x1f]);
    }
  }
  if (bits > 0) out.push_back(kBase32Alphabet[(buffer << (5 - bits)) & 0x1f]);
  return out;
}

Result<SecretBytes> Base32Decode(std::string_view text) {
  // First pass: validate and count, so the key is written once, straight into its SecretBytes.
  std::size_t symbols = 0, padding = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == '-') continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    if (Base32Value(c) < 0) {
      return tl::unexpected(Invalid("base32: invalid character at offset " + std::to_string(i)));
    }
    if (padding > 0) return tl::unexpected(Invalid("base32: data after '=' padding"));
    ++symbols;
  }
  // RFC 4648 section 6: a final group holds 2, 4, 5 or 7 symbols (1, 2, 3 or 4 bytes).
  const std::size_t last_group = symbols % 8;
  if (last_group == 1 || last_group == 3 || last_group == 6) {
    return tl::unexpected(Invalid("base32: truncated input (impossible length)"));
  }
  if (padding > 0 && (last_group == 0 || symbols % 8 + padding != 8)) {
    return tl::unexpected(Invalid("base32: wrong amount of '=' padding"));
  }

  SecretBytes out(symbols * 5 / 8);
  std::size_t written = 0;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : text) {
    const int value = Base32Value(c);
    if (value < 0) continue;
    buffer = ((buffer << 5) | static_cast<std::uint32_t>(value)) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.data()[written++] = static_cast<std::uint8_t>(buffer >> bits);
    }
  }
  // RFC 4648 section 3.5: the bits of the last symbol beyond the last byte must be zero.
  if (bits > 0 && (buffer & ((1u << bits) - 1)) != 0) {
    return tl::unexpected(Invalid("base32: non-zero bits after the last byte"));
  }
  return out;
}

std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::span<const std::uint8_t> key, const TotpParams& params) {
  std::string uri = "otpauth://totp/";
  if (!issuer.empty()) uri += PercentEncode(issuer) + ":";
  uri += PercentEncode(account);
  uri += "?secret=" + Base32Encode(key);
  if (!issuer.empty()) uri += "&issuer=" + PercentEncode(issuer);
  uri += "&algorithm=";
  uri += AlgorithmName(params.algorithm);
  uri += "&digits=" + std::to_string(params.digits);
  uri += "&period=" + std::to_string(params.step_seconds);
  return uri;
}

}  // namespace vigil::crypto
