#pragma once

// BACnet/IP messages (ANSI/ASHRAE 135-2020): the BVLC header (Annex J.2), the NPDU header
// (clause 6.2) and the APDU header (clause 20.1), and the service data the sensor reads:
// I-Am (clause 16.10) and ReadProperty-ACK (clause 15.5) of the properties that identify a
// device (object name, vendor, model, firmware). Application and context tags follow clause
// 20.2; only the tags needed are decoded, each bounded by its length.
//
// ParseBacnet never reads outside `payload` and copies only the property text (cut at
// kMaxTextBytes). Errors (small enum): kTruncated when a header or tag runs past the payload,
// kMalformed for a BVLC type other than 0x81, a BVLC length that disagrees with the payload,
// or an NPDU version other than 1. A segment other than the first leaves the service unread.
// Thread safety: pure function.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

namespace vigil::sensor::bacnet {

enum class ParseError : std::uint8_t { kTruncated, kMalformed };
const char* ParseErrorName(ParseError error);  // "truncated", "malformed"

template <typename T>
using ParseResult = tl::expected<T, ParseError>;

inline constexpr std::uint8_t kBvlcType = 0x81;
inline constexpr std::uint8_t kForwardedNpdu = 0x04;
inline constexpr std::size_t kMaxTextBytes = 256;

enum class ApduType : std::uint8_t {
  kConfirmedRequest = 0,
  kUnconfirmedRequest = 1,
  kSimpleAck = 2,
  kComplexAck = 3,
  kSegmentAck = 4,
  kError = 5,
  kReject = 6,
  kAbort = 7,
};

// Service choices read (clause 21).
inline constexpr std::uint8_t kServiceIAm = 0;            // Unconfirmed.
inline constexpr std::uint8_t kServiceReadProperty = 12;  // Confirmed.

inline constexpr std::uint16_t kObjectDevice = 8;

struct IAm {
  std::uint16_t object_type = 0;  // 8 for a device.
  std::uint32_t instance = 0;
  std::uint32_t vendor_id = 0;
};

// A ReadProperty-ACK's object, property and value: text for a CharacterString, decimal for
// an unsigned or enumerated value, "type:instance" for an object identifier.
struct PropertyValue {
  std::uint16_t object_type = 0;
  std::uint32_t instance = 0;
  std::uint32_t property = 0;
  std::string value;
};

struct BacnetMessage {
  std::uint8_t bvlc_function = 0;
  // Forwarded-NPDU: the B/IP address of the original sender (Annex J.2.9).
  std::optional<std::array<std::uint8_t, 4>> forwarded_ip;
  std::uint16_t forwarded_port = 0;
  bool has_npdu = false;
  std::optional<std::uint8_t> network_message;  // NPDU network layer message type.
  bool has_apdu = false;
  ApduType apdu_type = ApduType::kConfirmedRequest;
  std::optional<std::uint8_t> service;  // Service choice, when the APDU type carries one.
  std::optional<IAm> i_am;
  std::optional<PropertyValue> property;
};

ParseResult<BacnetMessage> ParseBacnet(std::span<const std::uint8_t> payload);

std::string_view BvlcFunctionName(std::uint8_t function);  // "original_unicast_npdu"...
std::string_view ApduTypeName(ApduType type);              // "confirmed_request"...
// "who_is", "i_am", "read_property"...; "service_N" for others.
std::string ServiceName(ApduType type, std::uint8_t service);

}  // namespace vigil::sensor::bacnet
