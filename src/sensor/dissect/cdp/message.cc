#include "sensor/dissect/cdp/message.h"

#include <array>

#include "sensor/decode/byte_reader.h"

namespace vigil::sensor::cdp {
namespace {

void Keep(std::span<const std::uint8_t>& field, std::span<const std::uint8_t> value) {
  if (field.empty()) field = value;
}

}  // namespace

std::string_view ParseErrorName(ParseError error) {
  switch (error) {
    case ParseError::kTruncated:
      return "truncated";
    case ParseError::kBadVersion:
      return "bad_version";
  }
  return "unknown";
}

tl::expected<Message, ParseError> ParseCdp(std::span<const std::uint8_t> payload) {
  ByteReader reader(payload);
  Message message;
  message.version = reader.U8();
  message.ttl = reader.U8();
  reader.U16();  // Checksum: not verified (a capture's bytes are what was sent).
  if (!reader.ok()) return tl::unexpected(ParseError::kTruncated);
  if (message.version != 1 && message.version != 2) {
    return tl::unexpected(ParseError::kBadVersion);
  }
  while (!reader.empty()) {
    const std::uint16_t type = reader.U16();
    const std::uint16_t length = reader.U16();
    const auto value = reader.Bytes(length >= 4 ? length - 4u : 0u);
    if (!reader.ok() || length < 4) {
      message.truncated = true;
      break;
    }
    switch (type) {
      case 0x0001:
        Keep(message.device_id, value);
        break;
      case 0x0002:
        Keep(message.addresses, value);
        break;
      case 0x0003:
        Keep(message.port_id, value);
        break;
      case 0x0004:
        if (value.size() == 4 && !message.capabilities) {
          ByteReader field(value);
          message.capabilities = field.U32();
        }
        break;
      case 0x0005:
        Keep(message.software_version, value);
        break;
      case 0x0006:
        Keep(message.platform, value);
        break;
      case 0x0009:
        Keep(message.vtp_domain, value);
        break;
      case 0x000a:
        if (value.size() == 2 && !message.native_vlan) {
          message.native_vlan = static_cast<std::uint16_t>((value[0] << 8) | value[1]);
        }
        break;
      case 0x0016:
        Keep(message.management_addresses, value);
        break;
      default:
        break;
    }
  }
  return message;
}

std::optional<IpAddress> ReadAddress(std::span<const std::uint8_t> entry, std::size_t& consumed) {
  consumed = 0;
  ByteReader reader(entry);
  const std::uint8_t protocol_type = reader.U8();  // 1 NLPID, 2 802.2.
  const auto protocol = reader.Bytes(reader.U8());
  const auto address = reader.Bytes(reader.U16());
  if (!reader.ok()) return std::nullopt;
  consumed = reader.position();
  if (protocol_type == 1 && protocol.size() == 1 && protocol[0] == 0xCC && address.size() == 4) {
    return IpAddress::V4(
        std::array<std::uint8_t, 4>{address[0], address[1], address[2], address[3]});
  }
  static constexpr std::array<std::uint8_t, 8> kIpv6Snap = {0xAA, 0xAA, 0x03, 0x00,
                                                            0x00, 0x00, 0x86, 0xDD};
  if (protocol_type == 2 && protocol.size() == 8 &&
      std::equal(protocol.begin(), protocol.end(), kIpv6Snap.begin()) && address.size() == 16) {
    std::array<std::uint8_t, 16> bytes{};
    std::copy(address.begin(), address.end(), bytes.begin());
    return IpAddress::V6(bytes);
  }
  return std::nullopt;
}

std::string CapabilityNames(std::uint32_t bits) {
  static constexpr std::string_view kNames[] = {
      "router",   "trans_bridge", "source_route_bridge", "switch", "host",     "igmp",
      "repeater", "phone",        "remote_managed",      "cvta",   "mac_relay"};
  std::string names;
  for (std::size_t i = 0; i < std::size(kNames); ++i) {
    if ((bits & (1u << i)) == 0) continue;
    if (!names.empty()) names += ',';
    names += kNames[i];
  }
  return names;
}

}  // namespace vigil::sensor::cdp
