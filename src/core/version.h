#pragma once

// Version: a firmware or software version as vendors write it, with a total ordering that
// copes with real strings: "3.2.1", "V2.03b", "10.1.0.22 build 7", "2019.1 SP2", "012u000062".
//
// Parsing splits the text into segments: runs of digits (numbers) and runs of letters (words,
// compared case-insensitively); '.', '-', '_', '+', '/', ',', ':' and spaces only separate.
// A leading "v", "ver", "version" or "rev" word is dropped ("V2.03b" = "2.03b").
//
// Ordering (docs/formats/version-ordering.md has the table), segment by segment:
//   1. number vs number: by value; leading zeros do not count ("2.03" == "2.3"), and numbers of
//      any length compare correctly ("012u000062" < "012u000100").
//   2. word vs word: the pre-release words sort first, in the order dev < alpha < beta <
//      preview < pre < rc; other words (single letters too) compare alphabetically after them
//      ("b" < "c", "sp" < "u").
//   3. number vs word: the number is newer ("1.0.1" > "1.0a"), as in RPM.
//   4. when one side runs out: trailing zero numbers do not count ("1.0" == "1.0.0"); then a
//      pre-release word on the longer side makes it older ("1.0rc1" < "1.0"), anything else
//      makes it newer ("2.03" < "2.03b", "2019.1" < "2019.1 SP2", "10.1.0.22" < "10.1.0.22 build
//      7").
//
// Equal versions may have different text; text() keeps what was parsed. Thread-compatible.

#include <compare>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace vigil {

class Version {
 public:
  struct Segment {
    bool is_number = false;
    std::string text;  // Digits without leading zeros ("0" for zero), or a lowercase word.
  };

  // kInvalidArgument for empty text, text over 128 bytes, control or non-ASCII characters, or
  // text with no digit at all ("latest" is not a version).
  static Result<Version> Parse(std::string_view text);

  const std::string& text() const { return text_; }
  const std::vector<Segment>& segments() const { return segments_; }

  // Three-way comparison by the rules above.
  friend std::strong_ordering operator<=>(const Version& a, const Version& b);
  friend bool operator==(const Version& a, const Version& b) { return (a <=> b) == 0; }

 private:
  std::string text_;
  std::vector<Segment> segments_;
};

}  // namespace vigil
