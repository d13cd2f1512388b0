#include "net/base_url.h"

#include <charconv>

#include "core/net_address.h"

namespace vigil::net {
namespace {

constexpr std::string_view kScheme = "https://";
constexpr std::size_t kMaxHostChars = 253;

bool IsHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.';
}

}  // namespace

std::string BaseUrl::Authority() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string BaseUrl::ToString() const { return std::string(kScheme) + Authority(); }

Result<BaseUrl> ParseBaseUrl(std::string_view url) {
  const auto fail = [&](std::string_view reason) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "url \"" + std::string(url.substr(0, 300)) + "\": " + std::string(reason));
  };
  if (url.substr(0, kScheme.size()) != kScheme) {
    return fail("only https://host[:port] is supported");
  }
  auto rest = url.substr(kScheme.size());
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  BaseUrl out;
  std::string_view port_text;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return fail("unclosed '[' in the host");
    const auto host = rest.substr(1, close - 1);
    const auto ip = IpAddress::Parse(host);
    if (!ip || ip->is_v4()) return fail("expected an IPv6 address inside [ ]");
    out.host = std::string(host);
    rest.remove_prefix(close + 1);
    if (!rest.empty() && rest.front() != ':') return fail("unexpected text after the host");
    if (!rest.empty()) port_text = rest.substr(1);
  } else {
    const auto colon = rest.find(':');
    const auto host = rest.substr(0, colon);
    if (host.empty() || host.size() > kMaxHostChars) return fail("missing or overlong host");
    for (const char c : host) {
      if (!IsHostChar(c)) return fail("the host may hold letters, digits, '-' and '.' only");
    }
    out.host = std::string(host);
    if (colon != std::string_view::npos) port_text = rest.substr(colon + 1);
    if (colon != std::string_view::npos && port_text.empty()) return fail("empty port");
  }
  if (!port_text.empty()) {
    unsigned value = 0;
    const auto* end = port_text.data() + port_text.size();
    const auto [ptr, ec] = std::from_chars(port_text.data(), end, value);
    if (ec != std::errc() || ptr != end || value == 0 || value > 65535 || port_text.size() > 5) {
      return fail("port must be 1 to 65535 (and nothing may follow it)");
    }
    out.port = static_cast<std::uint16_t>(value);
  }
  return out;
}

}  // namespace vigil::net
