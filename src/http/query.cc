#include "http/query.h"

#include <algorithm>
#include <charconv>

namespace vigil::http {
namespace {

// The raw (still encoded) value of `name`, if present.
std::optional<std::string_view> RawValue(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const std::size_t end = std::min(query.find('&'), query.size());
    const std::string_view pair = query.substr(0, end);
    query.remove_prefix(std::min(end + 1, query.size()));
    if (pair.size() >= name.size() && pair.starts_with(name) &&
        (pair.size() == name.size() || pair[name.size()] == '=')) {
      return pair.size() == name.size() ? std::string_view() : pair.substr(name.size() + 1);
    }
  }
  return std::nullopt;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> QueryValue(std::string_view query, std::string_view name) {
  const auto raw = RawValue(query, name);
  if (!raw) return std::nullopt;
  std::string out;
  out.reserve(raw->size());
  for (std::size_t i = 0; i < raw->size(); ++i) {
    const char c = (*raw)[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= raw->size()) return std::nullopt;
      const int hi = HexDigit((*raw)[i + 1]);
      const int lo = HexDigit((*raw)[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

bool ReadQueryInt(std::string_view query, std::string_view name, std::int64_t& out) {
  const auto raw = RawValue(query, name);
  if (!raw) return true;
  std::int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), value);
  if (ec != std::errc() || ptr != raw->data() + raw->size()) return false;
  out = value;
  return true;
}

}  // namespace vigil::http
