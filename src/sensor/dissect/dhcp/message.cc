#include "sensor/dissect/dhcp/message.h"

#include "sensor/decode/byte_reader.h"

namespace vigil::sensor::dhcp {
namespace {

// Offsets of the fixed header (RFC 2131 section 2, figure 1).
constexpr std::size_t kSnameOffset = 44;
constexpr std::size_t kSnameSize = 64;
constexpr std::size_t kFileOffset = 108;
constexpr std::size_t kFileSize = 128;

constexpr std::uint8_t kOptionPad = 0;
constexpr std::uint8_t kOptionEnd = 255;
constexpr std::uint8_t kOptionOverload = 52;

std::optional<std::uint32_t> U32Option(std::span<const std::uint8_t> value) {
  if (value.size() != 4) return std::nullopt;
  ByteReader reader(value);
  return reader.U32();
}

void Keep(std::span<const std::uint8_t>& field, std::span<const std::uint8_t> value) {
  if (field.empty()) field = value;
}

// Reads one option area (RFC 2132 section 2), keeping the first instance of each option.
// Returns the value of option 52 seen in this area (0 if none).
std::uint8_t ReadOptions(std::span<const std::uint8_t> area, Message& message) {
  ByteReader reader(area);
  std::uint8_t overload = 0;
  while (!reader.empty()) {
    const std::uint8_t code = reader.U8();
    if (code == kOptionPad) continue;
    if (code == kOptionEnd) break;
    const std::uint8_t length = reader.U8();
    const auto value = reader.Bytes(length);
    if (!reader.ok()) {
      message.options_truncated = true;
      break;
    }
    switch (code) {
      case 12:
        Keep(message.host_name, value);
        break;
      case 15:
        Keep(message.domain_name, value);
        break;
      case 50:
        if (!message.requested_address) message.requested_address = U32Option(value);
        break;
      case 51:
        if (!message.lease_time) message.lease_time = U32Option(value);
        break;
      case kOptionOverload:
        if (length == 1) overload = value[0];
        break;
      case 53:
        if (length == 1 && message.message_type == 0) message.message_type = value[0];
        break;
      case 54:
        if (!message.server_id) message.server_id = U32Option(value);
        break;
      case 55:
        Keep(message.parameter_list, value);
        break;
      case 60:
        Keep(message.vendor_class, value);
        break;
      case 61:
        Keep(message.client_id, value);
        break;
      case 77:
        Keep(message.user_class, value);
        break;
      case 81:
        Keep(message.client_fqdn, value);
        break;
      case 82:
        Keep(message.relay_agent, value);
        break;
      case 161:
        Keep(message.mud_url, value);
        break;
      default:
        break;
    }
  }
  return overload;
}

}  // namespace

std::string_view ParseErrorName(ParseError error) {
  switch (error) {
    case ParseError::kTruncated:
      return "truncated";
    case ParseError::kBadOp:
      return "bad_op";
    case ParseError::kBadCookie:
      return "bad_cookie";
  }
  return "unknown";
}

tl::expected<Message, ParseError> ParseDhcp(std::span<const std::uint8_t> payload) {
  if (payload.size() < kMinMessageSize) return tl::unexpected(ParseError::kTruncated);
  ByteReader reader(payload);
  Message message;
  message.op = reader.U8();
  message.htype = reader.U8();
  message.hlen = reader.U8();
  message.hops = reader.U8();
  message.xid = reader.U32();
  message.secs = reader.U16();
  message.flags = reader.U16();
  message.ciaddr = reader.U32();
  message.yiaddr = reader.U32();
  message.siaddr = reader.U32();
  message.giaddr = reader.U32();
  const auto chaddr = reader.Bytes(16);
  message.chaddr = chaddr.first(message.hlen < 16 ? message.hlen : 16);
  if (message.op != 1 && message.op != 2) return tl::unexpected(ParseError::kBadOp);
  reader.Skip(kSnameSize + kFileSize);
  if (reader.U32() != kMagicCookie) return tl::unexpected(ParseError::kBadCookie);

  const std::uint8_t overload = ReadOptions(reader.rest(), message);
  // RFC 2132 section 9.3: 1 file holds options, 2 sname does, 3 both; file is read first.
  if (overload == 1 || overload == 3) {
    ReadOptions(payload.subspan(kFileOffset, kFileSize), message);
  }
  if (overload == 2 || overload == 3) {
    ReadOptions(payload.subspan(kSnameOffset, kSnameSize), message);
  }
  return message;
}

std::string_view MessageTypeName(std::uint8_t type) {
  static constexpr std::string_view kNames[] = {"",
                                                "discover",
                                                "offer",
                                                "request",
                                                "decline",
                                                "ack",
                                                "nak",
                                                "release",
                                                "inform",
                                                "forcerenew",
                                                "leasequery",
                                                "leaseunassigned",
                                                "leaseunknown",
                                                "leaseactive",
                                                "bulkleasequery",
                                                "leasequerydone"};
  return type < std::size(kNames) ? kNames[type] : std::string_view();
}

std::string ClientFqdnName(std::span<const std::uint8_t> option) {
  if (option.size() < 3) return {};
  const bool wire_format = (option[0] & 0x04) != 0;  // RFC 4702 section 2.1, the E bit.
  const auto name = option.subspan(3);
  if (!wire_format) return std::string(AsText(name));
  std::string out;
  ByteReader reader(name);
  while (!reader.empty()) {
    const std::uint8_t length = reader.U8();
    if (length == 0) break;
    if (length > 63) return {};  // No compression in this option (RFC 4702 section 2.3.1).
    const auto label = reader.Text(length);
    if (!reader.ok()) return {};
    if (!out.empty()) out += '.';
    out.append(label);
  }
  return out;
}

std::span<const std::uint8_t> RelayAgentSubOption(std::span<const std::uint8_t> option,
                                                  std::uint8_t code) {
  ByteReader reader(option);
  while (!reader.empty()) {
    const std::uint8_t sub_code = reader.U8();
    const std::uint8_t length = reader.U8();
    const auto value = reader.Bytes(length);
    if (!reader.ok()) return {};
    if (sub_code == code) return value;
  }
  return {};
}

std::string UserClassText(std::span<const std::uint8_t> option) {
  std::string joined;
  ByteReader reader(option);
  bool well_formed = !option.empty();
  while (well_formed && !reader.empty()) {
    const std::uint8_t length = reader.U8();
    const auto instance = reader.Text(length);
    well_formed = reader.ok() && length > 0;
    if (!joined.empty()) joined += ',';
    joined.append(instance);
  }
  if (well_formed) return joined;
  return std::string(AsText(option));
}

}  // namespace vigil::sensor::dhcp
