#pragma once

// A DHCPv4 message (RFC 2131 section 2, options RFC 2132) read from one UDP payload, as plain
// values and spans into the payload (which must outlive the Message). Only what the sensor needs
// is kept: the fixed header, the message type and the options that identify a client. Parsing
// allocates nothing, so it runs on every DHCP packet.
//
// Options are read from the options field and, when option 52 (overload) says so, from the
// `file` then the `sname` field (RFC 2131 section 4.1). An option that repeats keeps its first
// instance (RFC 3396 concatenation is not done). A truncated option ends the option list and sets
// options_truncated; what came before it is kept.
//
// Errors (a small enum: hostile traffic must not make the parser allocate):
//   kTruncated  fewer than 240 bytes (fixed header and magic cookie)
//   kBadOp      op is neither 1 (BOOTREQUEST) nor 2 (BOOTREPLY)
//   kBadCookie  the four bytes at offset 236 are not 99.130.83.99 (RFC 2131 section 3)
// Thread safety: pure functions.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

namespace vigil::sensor::dhcp {

inline constexpr std::size_t kCookieOffset = 236;
inline constexpr std::size_t kMinMessageSize = 240;
inline constexpr std::uint32_t kMagicCookie = 0x63825363;

enum class ParseError : std::uint8_t { kTruncated, kBadOp, kBadCookie };
std::string_view ParseErrorName(ParseError error);  // "truncated", "bad_op", "bad_cookie"

struct Message {
  std::uint8_t op = 0;  // 1 request (client to server), 2 reply.
  std::uint8_t htype = 0;
  std::uint8_t hlen = 0;
  std::uint8_t hops = 0;
  std::uint32_t xid = 0;
  std::uint16_t secs = 0;
  std::uint16_t flags = 0;
  std::uint32_t ciaddr = 0;  // Addresses in host order; 0 when unset.
  std::uint32_t yiaddr = 0;
  std::uint32_t siaddr = 0;
  std::uint32_t giaddr = 0;
  std::span<const std::uint8_t> chaddr;  // The first min(hlen, 16) bytes.

  std::uint8_t message_type = 0;                   // Option 53; 0 when absent (plain BOOTP).
  std::optional<std::uint32_t> requested_address;  // Option 50.
  std::optional<std::uint32_t> lease_time;         // Option 51, seconds.
  std::optional<std::uint32_t> server_id;          // Option 54.
  std::span<const std::uint8_t> host_name;         // Option 12.
  std::span<const std::uint8_t> domain_name;       // Option 15.
  std::span<const std::uint8_t> parameter_list;    // Option 55, in the client's order.
  std::span<const std::uint8_t> vendor_class;      // Option 60.
  std::span<const std::uint8_t> client_id;         // Option 61: type byte, then identifier.
  std::span<const std::uint8_t> user_class;        // Option 77.
  std::span<const std::uint8_t> client_fqdn;       // Option 81: flags, rcode1, rcode2, name.
  std::span<const std::uint8_t> relay_agent;       // Option 82: sub-options.
  std::span<const std::uint8_t> mud_url;           // Option 161 (RFC 8520).
  bool options_truncated = false;

  // The client's Ethernet address when htype is 1 and hlen 6.
  bool HasEthernetClient() const { return htype == 1 && hlen == 6 && chaddr.size() == 6; }
};

tl::expected<Message, ParseError> ParseDhcp(std::span<const std::uint8_t> payload);

// "discover", "offer", "request", "decline", "ack", "nak", "release", "inform" and the RFC 4388
// and RFC 6926 types; "" for 0 and unknown values.
std::string_view MessageTypeName(std::uint8_t type);

// Option 81's domain name (RFC 4702 section 2.3): DNS wire format when the E flag is set, else
// ASCII. Returns "" when the option is too short or the wire name is malformed. Bounded by the
// option's length (at most 255 bytes).
std::string ClientFqdnName(std::span<const std::uint8_t> option);

// Sub-option `code` of option 82 (RFC 3046 section 2.0: 1 circuit id, 2 remote id); empty when
// absent or malformed.
std::span<const std::uint8_t> RelayAgentSubOption(std::span<const std::uint8_t> option,
                                                  std::uint8_t code);

// Option 77 as text: RFC 3004 instances (length-prefixed) joined by ","; when the bytes are not a
// well-formed instance list (Microsoft clients send a bare string), the bytes as they are.
std::string UserClassText(std::span<const std::uint8_t> option);

}  // namespace vigil::sensor::dhcp
