#include "identity/password_policy.h"

#include <crack.h>

#include <mutex>
#include <optional>
#include <system_error>
#include <utility>

namespace vigil::identity {
namespace {

constexpr std::size_t kNistMinLength = 8;
constexpr std::size_t kRequiredMaxLength = 128;
constexpr std::size_t kMinUsernameLength = 3;
constexpr std::string_view kServiceName = "vigil";

// libcrack2 keeps its mangling results in static buffers and FascistCheck is not reentrant:
// every call into it, from every PasswordPolicy, goes through this one mutex.
std::mutex& CracklibMutex() {
  static std::mutex mutex;
  return mutex;
}

// cracklib's verdict on `password`, nullptr if it has no objection. The user name and the
// service name go in as user and gecos, so cracklib also tries its manglings of them; passing
// them explicitly also keeps cracklib from looking up the process's own passwd entry (which
// fails, rejecting everything, for a uid without one, as in many containers).
std::optional<std::string> CracklibVerdict(const std::string& password,
                                           const std::string& dictionary,
                                           const std::string& username) {
  const std::lock_guard<std::mutex> lock(CracklibMutex());
  const char* verdict = FascistCheckUser(password.c_str(), dictionary.c_str(), username.c_str(),
                                         std::string(kServiceName).c_str());
  if (verdict == nullptr) return std::nullopt;
  return std::string(verdict);
}

bool Contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

Error Weak(std::string message) { return Error{ErrorCode::kInvalidArgument, std::move(message)}; }

// Turns cracklib's reason (English unless a translation is installed and the locale selects it)
// into advice; anything unrecognised is passed on.
Error FromCracklib(const std::string& verdict) {
  if (Contains(verdict, "dictionary word")) {
    return Weak("password is too common or based on a dictionary word");
  }
  if (Contains(verdict, "simplistic") || Contains(verdict, "DIFFERENT")) {
    return Weak("password is too simple: avoid sequences (abcd, 1234, qwerty) and repeats");
  }
  if (Contains(verdict, "username") || Contains(verdict, "password entry")) {
    return Weak("password must not contain the user name or the service name");
  }
  if (Contains(verdict, "error loading dictionary")) {
    return Error{ErrorCode::kFailedPrecondition,
                 "password policy: the cracklib dictionary no longer loads"};
  }
  return Weak("password is too weak (" + verdict + ")");
}

// RFC 3629 UTF-8. Returns the number of code points, or nullopt for invalid UTF-8 (overlong
// forms, surrogates, values above U+10FFFF, truncated sequences). Sets `control` if a C0 or C1
// control character or DEL occurs.
std::optional<std::size_t> CountCodePoints(std::string_view text, bool& control) {
  control = false;
  std::size_t count = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    unsigned char low = 0x80, high = 0xbf;  // Allowed range of the second byte.
    std::uint32_t value = 0;
    if (lead < 0x80) {
      value = lead;
    } else if (lead >= 0xc2 && lead <= 0xdf) {
      extra = 1;
      value = lead & 0x1fu;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      extra = 2;
      value = lead & 0x0fu;
      if (lead == 0xe0) low = 0xa0;   // Overlong.
      if (lead == 0xed) high = 0x9f;  // Surrogates.
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      extra = 3;
      value = lead & 0x07u;
      if (lead == 0xf0) low = 0x90;   // Overlong.
      if (lead == 0xf4) high = 0x8f;  // Above U+10FFFF.
    } else {
      return std::nullopt;
    }
    if (text.size() - i - 1 < extra) return std::nullopt;
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto byte = static_cast<unsigned char>(text[i + k]);
      const unsigned char lo = k == 1 ? low : 0x80, hi = k == 1 ? high : 0xbf;
      if (byte < lo || byte > hi) return std::nullopt;
      value = (value << 6) | (byte & 0x3fu);
    }
    if (value < 0x20 || (value >= 0x7f && value <= 0x9f)) control = true;
    i += extra + 1;
    ++count;
  }
  return count;
}

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// The password without leading and trailing ASCII digits, punctuation and spaces: the word a
// "Password123!" is built on. Bytes of non-ASCII characters are kept.
std::string_view Stem(std::string_view password) {
  const auto strip = [](char c) {
    return static_cast<unsigned char>(c) < 0x80 && !IsAsciiLetter(c);
  };
  while (!password.empty() && strip(password.front())) password.remove_prefix(1);
  while (!password.empty() && strip(password.back())) password.remove_suffix(1);
  return password;
}

// True if `text`, lower-cased and without spaces, is one shorter string said at least twice
// ("passwordpassword", "monkey monkey monkey", "abcabcabcabc").
bool IsRepetition(std::string_view text) {
  std::string squeezed;
  for (const char c : AsciiLower(text)) {
    if (c != ' ') squeezed.push_back(c);
  }
  const std::size_t n = squeezed.size();
  for (std::size_t period = 1; period <= n / 2; ++period) {
    if (n % period != 0) continue;
    if (squeezed.compare(period, n - period, squeezed, 0, n - period) == 0) return true;
  }
  return false;
}

}  // namespace

PasswordPolicy::PasswordPolicy(PasswordPolicyOptions options)
    : options_(std::move(options)),
      dictionary_(options_.dictionary.empty() ? std::string(GetDefaultCracklibDict())
                                              : options_.dictionary.string()) {}

Result<PasswordPolicy> PasswordPolicy::Create(PasswordPolicyOptions options) {
  if (options.min_length < kNistMinLength) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "password policy: min_length must be at least 8 (NIST SP 800-63B)");
  }
  if (options.max_length < kRequiredMaxLength) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "password policy: max_length must be at least 128 (NIST SP 800-63B)");
  }
  if (options.min_length > options.max_length) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "password policy: min_length is larger than max_length");
  }
  PasswordPolicy policy(std::move(options));
  for (const char* suffix : {".pwd", ".pwi", ".hwm"}) {
    const std::string file = policy.dictionary_ + suffix;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
      return MakeError(ErrorCode::kFailedPrecondition,
                       "password policy: cracklib dictionary " + policy.dictionary_ +
                           " not found (no " + file +
                           "); install the Debian package cracklib-runtime or set the dictionary");
    }
  }
  // The files exist; make sure cracklib can read them (a wrong magic or a truncated index).
  const auto probe = CracklibVerdict("vigil dictionary probe", policy.dictionary_, "");
  if (probe && Contains(*probe, "error loading dictionary")) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "password policy: cracklib dictionary " + policy.dictionary_ +
                         " does not load; reinstall the Debian package cracklib-runtime");
  }
  return policy;
}

Status PasswordPolicy::Check(std::string_view password, std::string_view username) const {
  bool control = false;
  const auto length = CountCodePoints(password, control);
  if (!length) return tl::unexpected(Weak("password must be valid UTF-8 text"));
  if (control) return tl::unexpected(Weak("password must not contain control characters"));
  if (*length < options_.min_length) {
    return tl::unexpected(
        Weak("password must be at least " + std::to_string(options_.min_length) + " characters"));
  }
  if (*length > options_.max_length) {
    return tl::unexpected(
        Weak("password must be at most " + std::to_string(options_.max_length) + " characters"));
  }

  // NIST SP 800-63B section 5.1.1.2: context-specific words.
  const std::string folded = AsciiLower(password);
  bool username_control = false;
  const auto username_length = CountCodePoints(username, username_control);
  const std::size_t username_size = username_length ? *username_length : username.size();
  if (username_size >= kMinUsernameLength && Contains(folded, AsciiLower(username))) {
    return tl::unexpected(Weak("password must not contain the user name"));
  }
  if (Contains(folded, kServiceName)) {
    return tl::unexpected(Weak("password must not contain the service name (vigil)"));
  }

  // Repetitive or sequential characters, and dictionary words, on the whole password and on
  // its stem. cracklib sees at most the first 255 bytes.
  const std::string_view stem = Stem(password);
  if (IsRepetition(password) || IsRepetition(stem)) {
    return tl::unexpected(Weak("password must not be one word or sequence repeated"));
  }
  const std::string user(username);
  if (const auto verdict = CracklibVerdict(std::string(password), dictionary_, user)) {
    return tl::unexpected(FromCracklib(*verdict));
  }
  if (stem.size() != password.size() && !stem.empty()) {
    // Only the dictionary and sequence findings count for a stem: "it is too short" for the
    // "cat" of "cat 7391 8264" says nothing about the whole password.
    if (const auto verdict = CracklibVerdict(std::string(stem), dictionary_, user);
        verdict && (Contains(*verdict, "dictionary word") || Contains(*verdict, "simplistic") ||
                    Contains(*verdict, "error loading dictionary"))) {
      return tl::unexpected(FromCracklib(*verdict));
    }
  }
  return OkStatus();
}

}  // namespace vigil::identity
