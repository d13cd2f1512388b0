#pragma once

// One-time passwords for second-factor login: HOTP (RFC 4226) and TOTP (RFC 6238) computed by
// liboath, the base32 text (RFC 4648 section 6) in which authenticator apps exchange keys, and
// the otpauth:// URI (Google's Key Uri Format) that an enrolment QR code carries.
//
// The caller owns the key (a SecretBytes from NewTotpKey or Base32Decode) and the highest step
// it has accepted, which it stores per account and passes back to VerifyTotp so that a code is
// accepted once only. The time is passed in (unix seconds), so tests and callers pick the clock.
//
// Parameters accepted (outside them kInvalidArgument): 6 to 8 digits, a step of 1 to 86400
// seconds, a time not before t0, a window of 0 to 10 steps, and keys of 16 to 128 bytes
// (RFC 4226 section 4 asks for at least 128 bits; RFC 6238 keys are 20, 32 or 64 bytes).
//
// Thread safety: every function may be called concurrently; liboath is initialised once per
// process on first use.
//
// Errors: kInvalidArgument for parameters or keys outside the limits above and for malformed
// base32; kInternal if liboath or the random generator fails. A wrong, malformed or replayed
// code is not an error: VerifyTotp returns std::nullopt.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"
#include "crypto/secret.h"

namespace vigil::crypto {

enum class TotpAlgorithm { kSha1, kSha256, kSha512 };

struct TotpParams {
  int digits = 6;  // 6 to 8.
  std::int64_t step_seconds = 30;
  std::int64_t t0 = 0;  // Unix time at which step 0 starts.
  TotpAlgorithm algorithm = TotpAlgorithm::kSha1;
};

// A new random TOTP key: 20 bytes, the HMAC-SHA-1 size authenticator apps expect.
inline constexpr std::size_t kTotpKeySize = 20;
Result<SecretBytes> NewTotpKey();

// The HOTP value (HMAC-SHA-1, dynamic truncation) of `counter`, as `digits` decimal digits.
Result<std::string> HotpCode(std::span<const std::uint8_t> key, std::uint64_t counter, int digits);

// The TOTP value at `unix_seconds`: HOTP of TotpStep(unix_seconds) with params.algorithm.
Result<std::string> TotpCode(std::span<const std::uint8_t> key, std::int64_t unix_seconds,
                             const TotpParams& params = {});

// The time step of `unix_seconds`: floor((unix_seconds - t0) / step_seconds), negative before
// t0. A step_seconds below 1 counts as 1 here (TotpCode and VerifyTotp reject it); the result
// saturates at the int64 range for absurd inputs.
std::int64_t TotpStep(std::int64_t unix_seconds, const TotpParams& params = {});

// Looks for `code` among the steps TotpStep(unix_seconds) - window .. + window that are greater
// than `after_step` (the highest step accepted before, or any negative number if none: a code
// is accepted once, never replayed) and not before t0. Returns the matching step (the caller
// stores it as the new `after_step`), or std::nullopt for a wrong, malformed (not exactly
// `digits` ASCII digits; surrounding spaces are tolerated) or replayed code. Every candidate is
// computed and compared in constant time, so the time taken does not tell which step matched.
Result<std::optional<std::int64_t>> VerifyTotp(std::span<const std::uint8_t> key,
                                               std::string_view code, std::int64_t unix_seconds,
                                               int window, std::int64_t after_step,
                                               const TotpParams& params = {});

// RFC 4648 base32 with the upper-case alphabet and no '=' padding (what authenticator apps
// and `oathtool -b` take).
std::string Base32Encode(std::span<const std::uint8_t> bytes);

// The inverse of Base32Encode. Accepts upper and lower case and the '=' padding (all of it or
// none, at the end only); spaces and hyphens anywhere are ignored. kInvalidArgument for any
// other character, a length no encoding has (1, 3 or 6 symbols in the last group) or non-zero
// unused bits in the last symbol (RFC 4648 section 3.5), so each key has one spelling.
Result<SecretBytes> Base32Decode(std::string_view text);

// otpauth://totp/<issuer>:<account>?secret=<BASE32>&issuer=<issuer>&algorithm=SHA1&digits=6
// &period=30, with issuer and account percent-encoded (everything but RFC 3986 unreserved
// characters). An empty issuer leaves out the "<issuer>:" prefix and the issuer parameter.
// params.t0 has no place in the format: apps assume 0.
std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::span<const std::uint8_t> key, const TotpParams& params = {});

}  // namespace vigil::crypto
