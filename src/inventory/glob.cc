#include "inventory/glob.h"

namespace vigil::inventory {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool Match(std::string_view p, std::string_view t, std::vector<std::string_view>* captures) {
  while (!p.empty()) {
    if (p[0] == '*') {
      // Try the shortest capture first, so "Philips *" takes the least that lets the rest match.
      for (std::size_t n = 0; n <= t.size(); ++n) {
        std::size_t mark = captures != nullptr ? captures->size() : 0;
        if (captures != nullptr) captures->push_back(t.substr(0, n));
        if (Match(p.substr(1), t.substr(n), captures)) return true;
        if (captures != nullptr) captures->resize(mark);
      }
      return false;
    }
    if (t.empty()) return false;
    if (p[0] != '?' && Lower(p[0]) != Lower(t[0])) return false;
    p.remove_prefix(1);
    t.remove_prefix(1);
  }
  return t.empty();
}

}  // namespace

std::size_t CountStars(std::string_view pattern) {
  std::size_t n = 0;
  for (char c : pattern) n += c == '*' ? 1 : 0;
  return n;
}

bool GlobMatch(std::string_view pattern, std::string_view text,
               std::vector<std::string_view>* captures) {
  if (captures != nullptr) captures->clear();
  if (CountStars(pattern) > kMaxStars) return false;
  return Match(pattern, text, captures);
}

}  // namespace vigil::inventory
