#pragma once

// An LLDPDU (IEEE 802.1AB-2016 section 8; ethertype 0x88cc) read from a frame's layer 2
// payload: the mandatory chassis id, port id and TTL, the optional basic TLVs (port and system
// description, system name, capabilities, management addresses), and the organisationally
// specific TLVs the sensor uses: IEEE 802.1 port VLAN id, the MUD URL (RFC 8520 section 4.3,
// IANA OUI 00-00-5E subtype 1) and the LLDP-MED inventory TLVs (ANSI/TIA-1057 section 10.2.6).
// Values are spans into the payload (which must outlive the Message); parsing allocates
// nothing. A repeated TLV keeps its first instance; at most kMaxManagementAddresses management
// addresses are kept. A TLV cut by the end of the payload ends the LLDPDU and sets `truncated`.
//
// Errors (a small enum: hostile traffic must not make the parser allocate):
//   kTruncated     fewer than two bytes, or the first TLV is cut
//   kNoChassisId   the first TLV is not a chassis id (802.1AB section 8.2 requires it first)
// Thread safety: pure functions.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

namespace vigil::sensor::lldp {

inline constexpr std::uint16_t kEthertype = 0x88cc;
inline constexpr std::size_t kMaxManagementAddresses = 4;

enum class ParseError : std::uint8_t { kTruncated, kNoChassisId };
std::string_view ParseErrorName(ParseError error);  // "truncated", "no_chassis_id"

struct ManagementAddress {
  std::uint8_t family = 0;  // IANA address family: 1 IPv4, 2 IPv6, 6 802 (MAC).
  std::span<const std::uint8_t> address;
};

struct Message {
  std::uint8_t chassis_id_subtype = 0;  // 4 MAC address, 5 network address, 7 local...
  std::span<const std::uint8_t> chassis_id;
  std::uint8_t port_id_subtype = 0;  // 3 MAC address, 4 network address, 5 name, 7 local...
  std::span<const std::uint8_t> port_id;
  std::optional<std::uint16_t> ttl;
  std::span<const std::uint8_t> port_description;
  std::span<const std::uint8_t> system_name;
  std::span<const std::uint8_t> system_description;
  std::optional<std::uint16_t> system_capabilities;
  std::optional<std::uint16_t> enabled_capabilities;
  std::array<ManagementAddress, kMaxManagementAddresses> management_storage{};
  std::size_t management_count = 0;
  std::optional<std::uint16_t> port_vlan;  // IEEE 802.1, subtype 1.
  std::span<const std::uint8_t> mud_url;
  // LLDP-MED inventory.
  std::span<const std::uint8_t> hardware_revision;
  std::span<const std::uint8_t> firmware_revision;
  std::span<const std::uint8_t> software_revision;
  std::span<const std::uint8_t> serial_number;
  std::span<const std::uint8_t> manufacturer;
  std::span<const std::uint8_t> model;
  bool truncated = false;

  std::span<const ManagementAddress> management_addresses() const {
    return std::span(management_storage).first(management_count);
  }
};

tl::expected<Message, ParseError> ParseLldp(std::span<const std::uint8_t> payload);

// A chassis or port id as text: a MAC address ("00:19:2f:a7:b2:8d") for the MAC subtype (chassis
// 4, port 3), an IP address for the network address subtype (chassis 5, port 4), else the raw
// bytes (names, aliases, locally assigned), which the caller makes safe.
std::string ChassisIdText(std::uint8_t subtype, std::span<const std::uint8_t> id);
std::string PortIdText(std::uint8_t subtype, std::span<const std::uint8_t> id);

// A management address as text (IPv4, IPv6 or MAC); "" for other families or wrong sizes.
std::string ManagementAddressText(const ManagementAddress& address);

// Capability bits (802.1AB section 8.5.8.1) as names joined by ",": "bridge,router".
std::string CapabilityNames(std::uint16_t bits);

}  // namespace vigil::sensor::lldp
