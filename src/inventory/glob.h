#pragma once

// Glob: the patterns of identification rules. '*' matches any run of characters (and captures
// it), '?' any one character; letters compare without regard to ASCII case; everything else is
// literal. A pattern has at most kMaxStars stars, so a match costs at most a small polynomial in
// the text's length.

#include <cstddef>
#include <string_view>
#include <vector>

namespace vigil::inventory {

inline constexpr std::size_t kMaxStars = 4;

// True if `pattern` matches the whole of `text`; `captures` (if given) receives what each star
// matched, in order.
bool GlobMatch(std::string_view pattern, std::string_view text,
               std::vector<std::string_view>* captures = nullptr);

std::size_t CountStars(std::string_view pattern);

}  // namespace vigil::inventory
