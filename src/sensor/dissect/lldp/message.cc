#include "sensor/dissect/lldp/message.h"

#include "core/net_address.h"
#include "sensor/decode/byte_reader.h"

namespace vigil::sensor::lldp {
namespace {

// TLV types (802.1AB section 8.4.1).
constexpr std::uint8_t kEnd = 0;
constexpr std::uint8_t kChassisId = 1;
constexpr std::uint8_t kPortId = 2;
constexpr std::uint8_t kTtl = 3;
constexpr std::uint8_t kPortDescription = 4;
constexpr std::uint8_t kSystemName = 5;
constexpr std::uint8_t kSystemDescription = 6;
constexpr std::uint8_t kCapabilities = 7;
constexpr std::uint8_t kManagementAddress = 8;
constexpr std::uint8_t kOrganizational = 127;

constexpr std::uint32_t kOuiIeee8021 = 0x0080C2;
constexpr std::uint32_t kOuiIana = 0x00005E;
constexpr std::uint32_t kOuiTiaMed = 0x0012BB;

void Keep(std::span<const std::uint8_t>& field, std::span<const std::uint8_t> value) {
  if (field.empty()) field = value;
}

void ReadSubtyped(std::span<const std::uint8_t> value, std::uint8_t& subtype,
                  std::span<const std::uint8_t>& id) {
  if (value.empty() || !id.empty()) return;
  subtype = value[0];
  id = value.subspan(1);
}

// 802.1AB section 8.5.9: length, family, address, then interface numbering and OID (ignored).
void ReadManagementAddress(std::span<const std::uint8_t> value, Message& message) {
  if (message.management_count == kMaxManagementAddresses) return;
  ByteReader reader(value);
  const std::uint8_t length = reader.U8();  // Family byte plus address.
  const std::uint8_t family = reader.U8();
  const auto address = reader.Bytes(length > 0 ? length - 1u : 0u);
  if (!reader.ok() || length < 2) return;
  message.management_storage[message.management_count++] = {.family = family, .address = address};
}

void ReadOrganizational(std::span<const std::uint8_t> value, Message& message) {
  ByteReader reader(value);
  const std::uint32_t oui = reader.U24();
  const std::uint8_t subtype = reader.U8();
  if (!reader.ok()) return;
  const auto info = reader.rest();
  if (oui == kOuiIeee8021 && subtype == 1 && info.size() == 2 && !message.port_vlan) {
    message.port_vlan = static_cast<std::uint16_t>((info[0] << 8) | info[1]);
  } else if (oui == kOuiIana && subtype == 1) {
    Keep(message.mud_url, info);
  } else if (oui == kOuiTiaMed) {
    switch (subtype) {
      case 5:
        Keep(message.hardware_revision, info);
        break;
      case 6:
        Keep(message.firmware_revision, info);
        break;
      case 7:
        Keep(message.software_revision, info);
        break;
      case 8:
        Keep(message.serial_number, info);
        break;
      case 9:
        Keep(message.manufacturer, info);
        break;
      case 10:
        Keep(message.model, info);
        break;
      default:
        break;
    }
  }
}

std::string MacText(std::span<const std::uint8_t> id) {
  std::array<std::uint8_t, 6> bytes{};
  std::copy(id.begin(), id.end(), bytes.begin());
  return MacAddress(bytes).ToString();
}

// An IANA family byte then the address (802.1AB section 8.5.2.3).
std::string NetworkAddressText(std::span<const std::uint8_t> id) {
  if (id.empty()) return {};
  return ManagementAddressText({.family = id[0], .address = id.subspan(1)});
}

}  // namespace

std::string_view ParseErrorName(ParseError error) {
  switch (error) {
    case ParseError::kTruncated:
      return "truncated";
    case ParseError::kNoChassisId:
      return "no_chassis_id";
  }
  return "unknown";
}

tl::expected<Message, ParseError> ParseLldp(std::span<const std::uint8_t> payload) {
  ByteReader reader(payload);
  Message message;
  bool first = true;
  while (!reader.empty()) {
    const std::uint16_t header = reader.U16();
    const auto type = static_cast<std::uint8_t>(header >> 9);
    const auto value = reader.Bytes(header & 0x01FF);
    if (!reader.ok()) {
      if (first) return tl::unexpected(ParseError::kTruncated);
      message.truncated = true;
      break;
    }
    if (first && type != kChassisId) return tl::unexpected(ParseError::kNoChassisId);
    first = false;
    switch (type) {
      case kEnd:
        return message;
      case kChassisId:
        ReadSubtyped(value, message.chassis_id_subtype, message.chassis_id);
        break;
      case kPortId:
        ReadSubtyped(value, message.port_id_subtype, message.port_id);
        break;
      case kTtl:
        if (value.size() == 2 && !message.ttl) {
          message.ttl = static_cast<std::uint16_t>((value[0] << 8) | value[1]);
        }
        break;
      case kPortDescription:
        Keep(message.port_description, value);
        break;
      case kSystemName:
        Keep(message.system_name, value);
        break;
      case kSystemDescription:
        Keep(message.system_description, value);
        break;
      case kCapabilities:
        if (value.size() == 4 && !message.system_capabilities) {
          message.system_capabilities = static_cast<std::uint16_t>((value[0] << 8) | value[1]);
          message.enabled_capabilities = static_cast<std::uint16_t>((value[2] << 8) | value[3]);
        }
        break;
      case kManagementAddress:
        ReadManagementAddress(value, message);
        break;
      case kOrganizational:
        ReadOrganizational(value, message);
        break;
      default:
        break;
    }
  }
  if (first) return tl::unexpected(ParseError::kTruncated);
  return message;
}

std::string ChassisIdText(std::uint8_t subtype, std::span<const std::uint8_t> id) {
  if (subtype == 4 && id.size() == 6) return MacText(id);
  if (subtype == 5) {
    if (auto text = NetworkAddressText(id); !text.empty()) return text;
  }
  return std::string(AsText(id));
}

std::string PortIdText(std::uint8_t subtype, std::span<const std::uint8_t> id) {
  if (subtype == 3 && id.size() == 6) return MacText(id);
  if (subtype == 4) {
    if (auto text = NetworkAddressText(id); !text.empty()) return text;
  }
  return std::string(AsText(id));
}

std::string ManagementAddressText(const ManagementAddress& address) {
  const auto& a = address.address;
  if (address.family == 1 && a.size() == 4) {
    return IpAddress::V4(std::array<std::uint8_t, 4>{a[0], a[1], a[2], a[3]}).ToString();
  }
  if (address.family == 2 && a.size() == 16) {
    std::array<std::uint8_t, 16> bytes{};
    std::copy(a.begin(), a.end(), bytes.begin());
    return IpAddress::V6(bytes).ToString();
  }
  if (address.family == 6 && a.size() == 6) return MacText(a);
  return {};
}

std::string CapabilityNames(std::uint16_t bits) {
  static constexpr std::string_view kNames[] = {"other",  "repeater",  "bridge", "wlan_ap",
                                                "router", "telephone", "docsis", "station",
                                                "c_vlan", "s_vlan",    "tpmr"};
  std::string names;
  for (std::size_t i = 0; i < std::size(kNames); ++i) {
    if ((bits & (1u << i)) == 0) continue;
    if (!names.empty()) names += ',';
    names += kNames[i];
  }
  return names;
}

}  // namespace vigil::sensor::lldp
