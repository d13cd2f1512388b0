#include "sensor/dissect/bacnet/message.h"

#include <algorithm>

#include "sensor/decode/byte_reader.h"

namespace vigil::sensor::bacnet {
namespace {

using Bytes = std::span<const std::uint8_t>;

constexpr std::uint8_t kTagUnsigned = 2;
constexpr std::uint8_t kTagCharacterString = 7;
constexpr std::uint8_t kTagEnumerated = 9;
constexpr std::uint8_t kTagObjectIdentifier = 12;

// One tag (clause 20.2.1): number, class, and its content (none for opening/closing tags and
// application booleans, whose value sits in the length bits).
struct Tag {
  std::uint8_t number = 0;
  bool context = false;
  bool opening = false;
  bool closing = false;
  Bytes data;
};

bool ReadTag(ByteReader& reader, Tag& tag) {
  std::uint8_t first = reader.U8();
  tag = Tag{.number = static_cast<std::uint8_t>(first >> 4), .context = (first & 0x08) != 0};
  if (tag.number == 15) tag.number = reader.U8();
  std::uint32_t length = first & 0x07;
  if (tag.context && length == 6) {
    tag.opening = true;
    return reader.ok();
  }
  if (tag.context && length == 7) {
    tag.closing = true;
    return reader.ok();
  }
  if (!tag.context && tag.number == 1) return reader.ok();  // Boolean.
  if (length == 5) {
    length = reader.U8();
    if (length == 254) {
      length = reader.U16();
    } else if (length == 255) {
      length = reader.U32();
    }
  }
  tag.data = reader.Bytes(length);
  return reader.ok();
}

bool Unsigned(Bytes data, std::uint32_t& out) {
  if (data.empty() || data.size() > 4) return false;
  out = 0;
  for (std::uint8_t b : data) out = (out << 8) | b;
  return true;
}

// Clause 20.2.14: 10 bits of object type, 22 bits of instance.
bool ObjectId(Bytes data, std::uint16_t& type, std::uint32_t& instance) {
  std::uint32_t raw = 0;
  if (data.size() != 4 || !Unsigned(data, raw)) return false;
  type = static_cast<std::uint16_t>(raw >> 22);
  instance = raw & 0x3fffff;
  return true;
}

// I-Am-Request (clause 16.10): object identifier, max APDU, segmentation, vendor id.
std::optional<IAm> ReadIAm(Bytes data) {
  ByteReader reader(data);
  Tag id, max_apdu, segmentation, vendor;
  if (!ReadTag(reader, id) || !ReadTag(reader, max_apdu) || !ReadTag(reader, segmentation) ||
      !ReadTag(reader, vendor)) {
    return std::nullopt;
  }
  IAm i_am;
  if (id.context || id.number != kTagObjectIdentifier ||
      !ObjectId(id.data, i_am.object_type, i_am.instance) || vendor.context ||
      vendor.number != kTagUnsigned || !Unsigned(vendor.data, i_am.vendor_id)) {
    return std::nullopt;
  }
  return i_am;
}

std::string ValueText(const Tag& tag) {
  std::uint32_t number = 0;
  std::uint16_t type = 0;
  if (tag.number == kTagCharacterString && !tag.data.empty()) {
    // The first byte is the character set (clause 20.2.9); 0 is UTF-8. Others are kept as
    // bytes for SafeText to escape.
    std::string_view text = AsText(tag.data.subspan(1));
    return std::string(text.substr(0, std::min(text.size(), kMaxTextBytes)));
  }
  if ((tag.number == kTagUnsigned || tag.number == kTagEnumerated) && Unsigned(tag.data, number)) {
    return std::to_string(number);
  }
  if (tag.number == kTagObjectIdentifier && ObjectId(tag.data, type, number)) {
    return std::to_string(type) + ":" + std::to_string(number);
  }
  return {};
}

// ReadProperty-ACK (clause 15.5.1.3): [0] object, [1] property, optional [2] array index,
// then the value between opening and closing tags [3].
std::optional<PropertyValue> ReadPropertyAck(Bytes data) {
  ByteReader reader(data);
  Tag object, property, next, value;
  PropertyValue out;
  if (!ReadTag(reader, object) || !object.context || object.number != 0 ||
      !ObjectId(object.data, out.object_type, out.instance) || !ReadTag(reader, property) ||
      !property.context || property.number != 1 || !Unsigned(property.data, out.property) ||
      !ReadTag(reader, next)) {
    return std::nullopt;
  }
  if (next.context && next.number == 2 && !next.opening && !ReadTag(reader, next)) {
    return std::nullopt;
  }
  if (!next.opening || next.number != 3 || !ReadTag(reader, value) || value.context) {
    return std::nullopt;
  }
  out.value = ValueText(value);
  return out;
}

// APDU header (clause 20.1); reads the service data of I-Am and ReadProperty-ACK.
void ReadApdu(Bytes apdu, BacnetMessage& message) {
  ByteReader reader(apdu);
  std::uint8_t first = reader.U8();
  if (!reader.ok()) return;
  message.has_apdu = true;
  message.apdu_type = static_cast<ApduType>(first >> 4);
  bool segmented = (first & 0x08) != 0;
  std::uint8_t sequence = 0;
  switch (message.apdu_type) {
    case ApduType::kConfirmedRequest:
      reader.Skip(2);  // Max segments and APDU size, invoke id.
      if (segmented) {
        sequence = reader.U8();
        reader.Skip(1);  // Proposed window size.
      }
      break;
    case ApduType::kUnconfirmedRequest:
      break;
    case ApduType::kSimpleAck:
    case ApduType::kError:
      reader.Skip(1);  // Invoke id.
      break;
    case ApduType::kComplexAck:
      reader.Skip(1);
      if (segmented) {
        sequence = reader.U8();
        reader.Skip(1);  // Proposed window size.
      }
      break;
    default:
      return;  // Segment-ACK, Reject and Abort carry no service choice.
  }
  std::uint8_t service = reader.U8();
  if (!reader.ok()) return;
  message.service = service;
  if (sequence != 0) return;  // A later segment: the service data starts elsewhere.
  if (message.apdu_type == ApduType::kUnconfirmedRequest && service == kServiceIAm) {
    message.i_am = ReadIAm(reader.rest());
  } else if (message.apdu_type == ApduType::kComplexAck && service == kServiceReadProperty &&
             !segmented) {
    message.property = ReadPropertyAck(reader.rest());
  }
}

// NPDU header (clause 6.2.2): version, control, optional destination and source, hop count,
// then a network layer message or an APDU.
ParseResult<void> ReadNpdu(Bytes npdu, BacnetMessage& message) {
  ByteReader reader(npdu);
  std::uint8_t version = reader.U8();
  std::uint8_t control = reader.U8();
  if (!reader.ok()) return tl::unexpected(ParseError::kTruncated);
  if (version != 1) return tl::unexpected(ParseError::kMalformed);
  message.has_npdu = true;
  const bool destination = (control & 0x20) != 0;
  if (destination) {
    reader.Skip(2);
    reader.Skip(reader.U8());
  }
  if (control & 0x08) {
    reader.Skip(2);
    reader.Skip(reader.U8());
  }
  if (destination) reader.Skip(1);  // Hop count.
  if (control & 0x80) {
    std::uint8_t type = reader.U8();
    if (!reader.ok()) return tl::unexpected(ParseError::kTruncated);
    message.network_message = type;
    return {};
  }
  if (!reader.ok()) return tl::unexpected(ParseError::kTruncated);
  ReadApdu(reader.rest(), message);
  return {};
}

}  // namespace

const char* ParseErrorName(ParseError error) {
  return error == ParseError::kTruncated ? "truncated" : "malformed";
}

ParseResult<BacnetMessage> ParseBacnet(Bytes payload) {
  ByteReader reader(payload);
  std::uint8_t type = reader.U8();
  BacnetMessage message{.bvlc_function = reader.U8()};
  std::uint16_t length = reader.U16();
  if (!reader.ok()) return tl::unexpected(ParseError::kTruncated);
  if (type != kBvlcType || length < 4) return tl::unexpected(ParseError::kMalformed);
  if (length > payload.size()) return tl::unexpected(ParseError::kTruncated);
  ByteReader body(payload.subspan(4, length - 4u));
  switch (message.bvlc_function) {
    case kForwardedNpdu: {
      Bytes address = body.Bytes(4);
      message.forwarded_port = body.U16();
      if (!body.ok()) return tl::unexpected(ParseError::kTruncated);
      message.forwarded_ip.emplace();
      std::copy(address.begin(), address.end(), message.forwarded_ip->begin());
      [[fallthrough]];
    }
    case 0x09:  // Distribute-Broadcast-To-Network.
    case 0x0a:  // Original-Unicast-NPDU.
    case 0x0b:  // Original-Broadcast-NPDU.
      if (auto npdu = ReadNpdu(body.rest(), message); !npdu) return tl::unexpected(npdu.error());
      break;
    default:
      break;  // BVLL management (Annex J.2): no NPDU.
  }
  return message;
}

std::string_view BvlcFunctionName(std::uint8_t function) {
  static constexpr std::string_view kNames[] = {"bvlc_result",
                                                "write_broadcast_distribution_table",
                                                "read_broadcast_distribution_table",
                                                "read_broadcast_distribution_table_ack",
                                                "forwarded_npdu",
                                                "register_foreign_device",
                                                "read_foreign_device_table",
                                                "read_foreign_device_table_ack",
                                                "delete_foreign_device_table_entry",
                                                "distribute_broadcast_to_network",
                                                "original_unicast_npdu",
                                                "original_broadcast_npdu",
                                                "secure_bvll"};
  return function < std::size(kNames) ? kNames[function] : "unknown";
}

std::string_view ApduTypeName(ApduType type) {
  static constexpr std::string_view kNames[] = {"confirmed_request",
                                                "unconfirmed_request",
                                                "simple_ack",
                                                "complex_ack",
                                                "segment_ack",
                                                "error",
                                                "reject",
                                                "abort"};
  auto index = static_cast<std::size_t>(type);
  return index < std::size(kNames) ? kNames[index] : "unknown";
}

std::string ServiceName(ApduType type, std::uint8_t service) {
  // Clause 21: BACnetUnconfirmedServiceChoice and BACnetConfirmedServiceChoice.
  static constexpr std::string_view kUnconfirmed[] = {"i_am",
                                                      "i_have",
                                                      "unconfirmed_cov_notification",
                                                      "unconfirmed_event_notification",
                                                      "unconfirmed_private_transfer",
                                                      "unconfirmed_text_message",
                                                      "time_synchronization",
                                                      "who_has",
                                                      "who_is",
                                                      "utc_time_synchronization",
                                                      "write_group"};
  static constexpr std::string_view kConfirmed[] = {"acknowledge_alarm",
                                                    "confirmed_cov_notification",
                                                    "confirmed_event_notification",
                                                    "get_alarm_summary",
                                                    "get_enrollment_summary",
                                                    "subscribe_cov",
                                                    "atomic_read_file",
                                                    "atomic_write_file",
                                                    "add_list_element",
                                                    "remove_list_element",
                                                    "create_object",
                                                    "delete_object",
                                                    "read_property",
                                                    "read_property_conditional",
                                                    "read_property_multiple",
                                                    "write_property",
                                                    "write_property_multiple",
                                                    "device_communication_control",
                                                    "confirmed_private_transfer",
                                                    "confirmed_text_message",
                                                    "reinitialize_device",
                                                    "vt_open",
                                                    "vt_close",
                                                    "vt_data",
                                                    "authenticate",
                                                    "request_key",
                                                    "read_range",
                                                    "life_safety_operation",
                                                    "subscribe_cov_property",
                                                    "get_event_information"};
  if (type == ApduType::kUnconfirmedRequest && service < std::size(kUnconfirmed)) {
    return std::string(kUnconfirmed[service]);
  }
  if (type != ApduType::kUnconfirmedRequest && service < std::size(kConfirmed)) {
    return std::string(kConfirmed[service]);
  }
  return "service_" + std::to_string(service);
}

}  // namespace vigil::sensor::bacnet
