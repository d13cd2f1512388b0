#include "http/listen/listen_address.h"

namespace vigil::http {
namespace {

Error Invalid(std::string_view text, std::string_view reason) {
  std::string shown(text.substr(0, 64));
  for (char& c : shown) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '"') {
      c = '?';  // The text may come from an environment variable; keep the message one clean line.
    }
  }
  return Error{ErrorCode::kInvalidArgument, "listen \"" + shown + "\": " + std::string(reason)};
}

}  // namespace

std::string ListenAddress::ToString() const {
  const std::string host = address.ToString();
  return (address.is_v4() ? host : "[" + host + "]") + ":" + std::to_string(port);
}

Result<ListenAddress> ParseListenAddress(std::string_view text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    return tl::unexpected(Invalid(text, "expected ADDR:PORT"));
  }
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  const bool bracketed = host.size() >= 2 && host.front() == '[' && host.back() == ']';
  if (bracketed) {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return tl::unexpected(Invalid(text, "an ipv6 address must be in brackets, as [::1]:8443"));
  }
  if (host.empty()) {
    return tl::unexpected(Invalid(text, "missing address (use 0.0.0.0 or [::] for all)"));
  }
  const auto address = IpAddress::Parse(host);
  if (!address) {
    return tl::unexpected(Invalid(text, "address is not an ip literal"));
  }
  if (bracketed == address->is_v4()) {
    return tl::unexpected(Invalid(text, bracketed ? "an ipv4 address must not be in brackets"
                                                  : "an ipv6 address must be in brackets"));
  }
  if (port_text.empty() || port_text.size() > 5) {
    return tl::unexpected(Invalid(text, "port must be 0 to 65535"));
  }
  std::uint32_t port = 0;
  for (const char c : port_text) {
    if (c < '0' || c > '9') {
      return tl::unexpected(Invalid(text, "port must be decimal digits"));
    }
    port = port * 10 + static_cast<std::uint32_t>(c - '0');
  }
  if (port > 65535) {
    return tl::unexpected(Invalid(text, "port must be 0 to 65535"));
  }
  return ListenAddress{.address = *address, .port = static_cast<std::uint16_t>(port)};
}

}  // namespace vigil::http
