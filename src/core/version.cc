#include "core/version.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace vigil {
namespace {

constexpr std::size_t kMaxLength = 128;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsSeparator(char c) {
  return c == '.' || c == '-' || c == '_' || c == '+' || c == '/' || c == ',' || c == ':' ||
         c == ' ' || c == '\t';
}

// Rank of a pre-release word (lower is older), or -1 for an ordinary word.
int PreReleaseRank(std::string_view word) {
  static constexpr std::array<std::string_view, 6> kWords = {"dev",     "alpha", "beta",
                                                             "preview", "pre",   "rc"};
  for (std::size_t i = 0; i < kWords.size(); ++i) {
    if (word == kWords[i]) return static_cast<int>(i);
  }
  return -1;
}

bool IsPrefixWord(std::string_view word) {
  return word == "v" || word == "ver" || word == "version" || word == "rev";
}

std::strong_ordering CompareNumbers(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() <=> b.size();
  return a.compare(b) <=> 0;
}

std::strong_ordering CompareWords(const std::string& a, const std::string& b) {
  const int ra = PreReleaseRank(a);
  const int rb = PreReleaseRank(b);
  if (ra >= 0 && rb >= 0) return ra <=> rb;
  if (ra >= 0) return std::strong_ordering::less;
  if (rb >= 0) return std::strong_ordering::greater;
  return a.compare(b) <=> 0;
}

std::strong_ordering CompareSegments(const Version::Segment& a, const Version::Segment& b) {
  if (a.is_number && b.is_number) return CompareNumbers(a.text, b.text);
  if (!a.is_number && !b.is_number) return CompareWords(a.text, b.text);
  return a.is_number ? std::strong_ordering::greater : std::strong_ordering::less;
}

// How the remaining segments (from `from` on) of the longer version compare with nothing.
std::strong_ordering CompareTail(const std::vector<Version::Segment>& segs, std::size_t from) {
  for (std::size_t i = from; i < segs.size(); ++i) {
    const auto& s = segs[i];
    if (s.is_number && s.text == "0") continue;
    if (!s.is_number && PreReleaseRank(s.text) >= 0) return std::strong_ordering::less;
    return std::strong_ordering::greater;
  }
  return std::strong_ordering::equal;
}

}  // namespace

Result<Version> Version::Parse(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty()) return MakeError(ErrorCode::kInvalidArgument, "version: empty");
  if (text.size() > kMaxLength) {
    return MakeError(ErrorCode::kInvalidArgument, "version: longer than 128 characters");
  }
  Version v;
  v.text_ = std::string(text);
  bool has_digit = false;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (IsSeparator(c)) {
      ++i;
      continue;
    }
    std::size_t j = i;
    Segment seg;
    if (IsDigit(c)) {
      while (j < text.size() && IsDigit(text[j])) ++j;
      std::string_view digits = text.substr(i, j - i);
      while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
      seg = {.is_number = true, .text = std::string(digits)};
      has_digit = true;
    } else if (IsAlpha(c)) {
      while (j < text.size() && IsAlpha(text[j])) ++j;
      std::string word(text.substr(i, j - i));
      std::transform(word.begin(), word.end(), word.begin(),
                     [](char ch) { return static_cast<char>(std::tolower(ch)); });
      seg = {.is_number = false, .text = std::move(word)};
    } else {
      return MakeError(ErrorCode::kInvalidArgument,
                       "version: unexpected character at offset " + std::to_string(i));
    }
    if (!(v.segments_.empty() && !seg.is_number && IsPrefixWord(seg.text))) {
      v.segments_.push_back(std::move(seg));
    }
    i = j;
  }
  if (!has_digit) {
    return MakeError(ErrorCode::kInvalidArgument, "version: '" + v.text_ + "' has no number");
  }
  return v;
}

std::strong_ordering operator<=>(const Version& a, const Version& b) {
  const std::size_t common = std::min(a.segments_.size(), b.segments_.size());
  for (std::size_t i = 0; i < common; ++i) {
    if (auto c = CompareSegments(a.segments_[i], b.segments_[i]); c != 0) return c;
  }
  if (a.segments_.size() > common) return CompareTail(a.segments_, common);
  if (b.segments_.size() > common) {
    const auto tail = CompareTail(b.segments_, common);
    if (tail == std::strong_ordering::less) return std::strong_ordering::greater;
    if (tail == std::strong_ordering::greater) return std::strong_ordering::less;
  }
  return std::strong_ordering::equal;
}

}  // namespace vigil
