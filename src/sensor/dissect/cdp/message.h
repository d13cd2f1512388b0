#pragma once

// A CDP message (Cisco Discovery Protocol v1/v2; LLC/SNAP OUI 00-00-0C, protocol 0x2000) read
// from the bytes after the SNAP header: version, TTL, checksum, then type-length-value fields
// (type and length 16 bits each, the length counting the 4-byte header). Values are spans into
// the payload (which must outlive the Message); parsing allocates nothing. A repeated field keeps
// its first instance. A field cut by the end of the payload, or with a length under 4, ends the
// message and sets `truncated`.
//
// Errors (a small enum: hostile traffic must not make the parser allocate):
//   kTruncated   fewer than the 4 header bytes
//   kBadVersion  version is neither 1 nor 2
// Thread safety: pure functions.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

#include "core/net_address.h"

namespace vigil::sensor::cdp {

inline constexpr std::uint32_t kSnapOui = 0x00000C;
inline constexpr std::uint16_t kSnapProtocol = 0x2000;

enum class ParseError : std::uint8_t { kTruncated, kBadVersion };
std::string_view ParseErrorName(ParseError error);  // "truncated", "bad_version"

struct Message {
  std::uint8_t version = 0;
  std::uint8_t ttl = 0;
  std::span<const std::uint8_t> device_id;             // 0x0001
  std::span<const std::uint8_t> addresses;             // 0x0002, see ForEachAddress.
  std::span<const std::uint8_t> port_id;               // 0x0003
  std::optional<std::uint32_t> capabilities;           // 0x0004
  std::span<const std::uint8_t> software_version;      // 0x0005
  std::span<const std::uint8_t> platform;              // 0x0006
  std::span<const std::uint8_t> vtp_domain;            // 0x0009
  std::optional<std::uint16_t> native_vlan;            // 0x000a
  std::span<const std::uint8_t> management_addresses;  // 0x0016, same form as 0x0002.
  bool truncated = false;
};

tl::expected<Message, ParseError> ParseCdp(std::span<const std::uint8_t> payload);

// Calls visit(IpAddress) for each IPv4 (NLPID 0xCC) and IPv6 (802.2 SNAP, ethertype 0x86DD)
// entry of an addresses field (a 32-bit count, then entries of protocol type, protocol length,
// protocol, address length, address), at most `limit` entries; stops at a malformed entry.
template <typename Visit>
void ForEachAddress(std::span<const std::uint8_t> field, std::size_t limit, Visit visit);

// Capability bits as names joined by ",": router, trans_bridge, source_route_bridge, switch,
// host, igmp, repeater, phone, remote_managed, cvta, mac_relay.
std::string CapabilityNames(std::uint32_t bits);

// The address entry at the front of `entry`; sets `consumed` to its size (0 when malformed).
std::optional<IpAddress> ReadAddress(std::span<const std::uint8_t> entry, std::size_t& consumed);

template <typename Visit>
void ForEachAddress(std::span<const std::uint8_t> field, std::size_t limit, Visit visit) {
  if (field.size() < 4) return;
  const std::uint32_t count = (std::uint32_t{field[0]} << 24) | (std::uint32_t{field[1]} << 16) |
                              (std::uint32_t{field[2]} << 8) | field[3];
  auto rest = field.subspan(4);
  for (std::uint32_t i = 0; i < count && i < limit; ++i) {
    std::size_t consumed = 0;
    const auto address = ReadAddress(rest, consumed);
    if (consumed == 0) return;
    if (address) visit(*address);
    rest = rest.subspan(consumed);
  }
}

}  // namespace vigil::sensor::cdp
