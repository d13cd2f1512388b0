#pragma once

// Which new passwords Vigil accepts, following NIST SP 800-63B section 5.1.1.2: a length in
// Unicode code points (12 to 256 by default; at least 128 must be allowed), no composition
// rules (no "one digit, one symbol"), and a check against passwords that are common, based on a
// dictionary word, repetitive or sequential, or made of context words (the user name, "vigil").
//
// The dictionary check is libcrack2's FascistCheckUser on the password and on its stem (the
// password without leading and trailing digits, punctuation and spaces). cracklib alone accepts
// "password1234", "Password123!" and "qwertyuiop12": its rules strip at most three characters
// at either end, so the stem check is ours. Reading cracklib's dictionary files (<prefix>.pwd,
// .pwi, .hwm from Debian's cracklib-runtime) is this module's one file access.
//
// Passphrases: cracklib looks up the whole password (and simple manglings of it), never its
// words one by one, so a passphrase of several dictionary words ("correct horse battery
// staple") passes, as NIST wants. A password that is one word or sequence repeated
// ("passwordpassword", "abcabcabcabc") is refused by our own check. Because the stem check
// trims digits and symbols, "sunshine!2024" is refused while "blue harbor 2024 lantern" is not.
// The user name counts only from 3 code points on; it and "vigil" are refused case-insensitively
// anywhere in the password, so "vigilant ..." is refused too.
//
// Thread safety: a PasswordPolicy is immutable and Check may be called concurrently. libcrack2
// keeps state in static buffers, so every call into it, from any PasswordPolicy, holds one
// process-wide mutex. A cracklib call reopens the dictionary and looks up a few hundred
// variants (about 3 ms here), and Check makes one or two: concurrent checks queue. Only
// setting a password needs Check; signing in does not.
//
// Errors: Create returns kInvalidArgument for inconsistent options and kFailedPrecondition when
// the dictionary files are missing or unreadable. Check returns kInvalidArgument with a message
// a person can act on, and kFailedPrecondition if the dictionary stopped loading.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil::identity {

struct PasswordPolicyOptions {
  std::size_t min_length = 12;   // Unicode code points; at least 8 (NIST's floor).
  std::size_t max_length = 256;  // Code points; at least 128.
  // cracklib dictionary prefix; empty: cracklib's compiled-in default (GetDefaultCracklibDict(),
  // /var/cache/cracklib/cracklib_dict on Debian).
  std::filesystem::path dictionary;
};

class PasswordPolicy {
 public:
  // kInvalidArgument if min_length < 8, max_length < 128 or min_length > max_length;
  // kFailedPrecondition if the dictionary files (<prefix>.pwd/.pwi/.hwm) are missing or do not
  // load, naming the path and the Debian package (cracklib-runtime).
  static Result<PasswordPolicy> Create(PasswordPolicyOptions options = {});

  // OkStatus, or kInvalidArgument saying what to change, for example "password must be at least
  // 12 characters", "password is too common or based on a dictionary word", "password must not
  // contain the user name". Also refuses invalid UTF-8 and control characters. `username` may
  // be empty.
  Status Check(std::string_view password, std::string_view username) const;

  const PasswordPolicyOptions& options() const { return options_; }

 private:
  explicit PasswordPolicy(PasswordPolicyOptions options);

  PasswordPolicyOptions options_;
  std::string dictionary_;  // The prefix handed to cracklib.
};

}  // namespace vigil::identity
