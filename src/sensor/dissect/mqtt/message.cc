#include "sensor/dissect/mqtt/message.h"

#include <algorithm>

#include "sensor/decode/byte_reader.h"

namespace vigil::sensor::mqtt {
namespace {

Error Invalid(std::string_view what) {
  return Error{ErrorCode::kInvalidArgument, "mqtt " + std::string(what)};
}

// A UTF-8 string or binary data: two-byte length, then the bytes (3.1.1 section 1.5.3).
bool ReadString(ByteReader& reader, std::string* out) {
  const std::uint16_t length = reader.U16();
  const std::string_view text = reader.Text(length);
  if (!reader.ok()) return false;
  if (out != nullptr) *out = std::string(text.substr(0, kMaxStringBytes));
  return true;
}

// A Variable Byte Integer (5.0 section 1.5.5), at most four bytes.
bool ReadVarint(ByteReader& reader, std::uint32_t& value) {
  value = 0;
  for (int i = 0; i < 4; ++i) {
    const std::uint8_t byte = reader.U8();
    if (!reader.ok()) return false;
    value |= static_cast<std::uint32_t>(byte & 0x7F) << (7 * i);
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

bool SkipProperties(ByteReader& reader) {
  std::uint32_t length = 0;
  return ReadVarint(reader, length) && reader.Skip(length);
}

}  // namespace

HeaderStatus ReadFixedHeader(std::span<const std::uint8_t> bytes, FixedHeader& header) {
  if (bytes.empty()) return HeaderStatus::kIncomplete;
  header.type = static_cast<std::uint8_t>(bytes[0] >> 4);
  header.flags = static_cast<std::uint8_t>(bytes[0] & 0x0F);
  if (header.type == 0) return HeaderStatus::kInvalid;
  // The flags each type must carry (MQTT 3.1.1 section 2.2.2, 5.0 section 2.1.3): a broker
  // closes the connection on others, and opaque bytes rarely have them.
  const bool flags_0010 = header.type == 6 || header.type == 8 || header.type == 10;
  if (header.type == 3) {
    if ((header.flags & 0x06) == 0x06) return HeaderStatus::kInvalid;  // QoS 3.
  } else if (header.flags != (flags_0010 ? 0x02 : 0x00)) {
    return HeaderStatus::kInvalid;
  }
  header.remaining_length = 0;
  for (std::size_t i = 1; i <= 4; ++i) {
    if (i >= bytes.size()) return HeaderStatus::kIncomplete;
    header.remaining_length |= static_cast<std::uint32_t>(bytes[i] & 0x7F) << (7 * (i - 1));
    if ((bytes[i] & 0x80) == 0) {
      header.header_bytes = static_cast<std::uint8_t>(i + 1);
      return HeaderStatus::kOk;
    }
  }
  return HeaderStatus::kInvalid;
}

Result<Connect> ParseConnect(std::span<const std::uint8_t> body) {
  ByteReader reader(body);
  Connect connect;
  if (!ReadString(reader, &connect.protocol_name))
    return tl::unexpected(Invalid("connect: truncated"));
  connect.level = reader.U8();
  const std::uint8_t flags = reader.U8();
  connect.keepalive = reader.U16();
  if (!reader.ok()) return tl::unexpected(Invalid("connect: truncated"));
  if (connect.protocol_name != "MQTT" && connect.protocol_name != "MQIsdp") {
    return tl::unexpected(Invalid("connect: unknown protocol name"));
  }
  if ((flags & 0x01) != 0) return tl::unexpected(Invalid("connect: reserved flag set"));
  connect.clean_session = (flags & 0x02) != 0;
  connect.will = (flags & 0x04) != 0;
  connect.password = (flags & 0x40) != 0;
  connect.username = (flags & 0x80) != 0;
  if (connect.level >= 5 && !SkipProperties(reader)) {
    return tl::unexpected(Invalid("connect: truncated properties"));
  }
  // The payload starts with the client identifier (3.1.1 section 3.1.3.1); the will, user
  // name and password that may follow are not read.
  if (!ReadString(reader, &connect.client_id)) {
    return tl::unexpected(Invalid("connect: truncated client identifier"));
  }
  return connect;
}

Result<Connack> ParseConnack(std::span<const std::uint8_t> body) {
  ByteReader reader(body);
  Connack connack{.session_present = (reader.U8() & 0x01) != 0};
  connack.code = reader.U8();
  if (!reader.ok()) return tl::unexpected(Invalid("connack: truncated"));
  return connack;
}

Result<std::string> ParsePublishTopic(std::span<const std::uint8_t> body) {
  ByteReader reader(body);
  std::string topic;
  if (!ReadString(reader, &topic)) return tl::unexpected(Invalid("publish: truncated topic"));
  return topic;
}

Result<std::vector<std::string>> ParseSubscribeTopics(std::span<const std::uint8_t> body,
                                                      std::uint8_t level, std::size_t max_topics) {
  ByteReader reader(body);
  reader.U16();  // Packet identifier.
  if (level >= 5 && !SkipProperties(reader)) {
    return tl::unexpected(Invalid("subscribe: truncated properties"));
  }
  if (!reader.ok()) return tl::unexpected(Invalid("subscribe: truncated"));
  std::vector<std::string> topics;
  while (!reader.empty() && topics.size() < max_topics) {
    std::string topic;
    if (!ReadString(reader, &topic)) break;  // A cut list keeps the filters before the cut.
    reader.U8();                             // Requested QoS or subscription options.
    topics.push_back(std::move(topic));
  }
  if (topics.empty()) return tl::unexpected(Invalid("subscribe: no topic filter"));
  return topics;
}

std::string_view VersionName(std::uint8_t level) {
  switch (level) {
    case 3:
      return "3.1";
    case 4:
      return "3.1.1";
    case 5:
      return "5.0";
    default:
      return "unknown";
  }
}

std::string_view ConnackCodeName(std::uint8_t code, std::uint8_t level) {
  if (level < 5) {  // 3.1.1 section 3.2.2.3, Table 3.1.
    switch (code) {
      case 0:
        return "accepted";
      case 1:
        return "unacceptable_protocol_version";
      case 2:
        return "identifier_rejected";
      case 3:
        return "server_unavailable";
      case 4:
        return "bad_user_name_or_password";
      case 5:
        return "not_authorized";
      default:
        return {};
    }
  }
  switch (code) {  // 5.0 section 3.2.2.2.
    case 0x00:
      return "accepted";
    case 0x80:
      return "unspecified_error";
    case 0x81:
      return "malformed_packet";
    case 0x82:
      return "protocol_error";
    case 0x83:
      return "implementation_specific_error";
    case 0x84:
      return "unsupported_protocol_version";
    case 0x85:
      return "client_identifier_not_valid";
    case 0x86:
      return "bad_user_name_or_password";
    case 0x87:
      return "not_authorized";
    case 0x88:
      return "server_unavailable";
    case 0x89:
      return "server_busy";
    case 0x8A:
      return "banned";
    case 0x8C:
      return "bad_authentication_method";
    case 0x90:
      return "topic_name_invalid";
    case 0x95:
      return "packet_too_large";
    case 0x97:
      return "quota_exceeded";
    case 0x99:
      return "payload_format_invalid";
    case 0x9A:
      return "retain_not_supported";
    case 0x9B:
      return "qos_not_supported";
    case 0x9C:
      return "use_another_server";
    case 0x9D:
      return "server_moved";
    case 0x9F:
      return "connection_rate_exceeded";
    default:
      return {};
  }
}

}  // namespace vigil::sensor::mqtt
