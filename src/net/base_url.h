#pragma once

// The base of every URL an HttpsClient requests: "https://host[:port]", with an optional
// trailing '/'. Host is a DNS name, an IPv4 address or a bracketed IPv6 address; port defaults
// to 443. Nothing else (no user info, path, query or fragment): the client adds the path.
//
// Errors: kInvalidArgument naming the URL and the reason ("url \"http://x\": only https is
// supported"). Thread safety: pure.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil::net {

struct BaseUrl {
  std::string host;  // Without brackets for IPv6.
  std::uint16_t port = 443;

  // "host:port", "[v6]:port": for messages and the Host header.
  std::string Authority() const;
  // "https://" + Authority().
  std::string ToString() const;
};

Result<BaseUrl> ParseBaseUrl(std::string_view url);

}  // namespace vigil::net
