#pragma once

// ListenAddress: where a server binds, parsed from configuration text such as "127.0.0.1:8443",
// "0.0.0.0:443" or "[::1]:8443".
//
// Only IP literals are accepted, never host names: what a server binds to must not depend on
// DNS at start-up. Port 0 means "any free port" (tests use it). Pure and thread-compatible.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/net_address.h"
#include "core/result.h"

namespace vigil::http {

struct ListenAddress {
  IpAddress address;
  std::uint16_t port = 0;

  // "127.0.0.1:8443" or "[::1]:8443".
  std::string ToString() const;
};

// Parses "IPV4:PORT" or "[IPV6]:PORT"; PORT is 1 to 5 decimal digits, at most 65535.
// kInvalidArgument with a message starting "listen \"<text>\": " and the reason.
Result<ListenAddress> ParseListenAddress(std::string_view text);

}  // namespace vigil::http
