#pragma once

// MQTT control packets, versions 3.1 (protocol name "MQIsdp", level 3), 3.1.1 (OASIS standard,
// "MQTT", level 4) and 5.0 (OASIS standard, level 5): the fixed header (3.1.1 section 2.2, with
// the variable-length Remaining Length of section 2.2.3), CONNECT (3.1.1 section 3.1, 5.0
// section 3.1), CONNACK (3.2), the topic name of PUBLISH (3.3.2) and the topic filters of
// SUBSCRIBE (3.8.3). MQTT 5 properties (5.0 section 2.2.2) are skipped by their length.
//
// Parsers take the packet's body (after the fixed header), or a prefix of it when the packet
// is too large to buffer; a field that does not fit is an error. They never copy the will
// message, the user name or the password: only whether the flags announce them. Returns
// kInvalidArgument for a body that is truncated or breaks the packet's layout. Strings are
// raw bytes (the dissector passes them through SafeText), cut to kMaxStringBytes.
// Pure functions; thread-safe.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace vigil::sensor::mqtt {

inline constexpr std::size_t kMaxStringBytes = 256;

enum class PacketType : std::uint8_t {
  kConnect = 1,
  kConnack = 2,
  kPublish = 3,
  kSubscribe = 8,
  kDisconnect = 14,
};

struct FixedHeader {
  std::uint8_t type = 0;   // High nibble of byte 1.
  std::uint8_t flags = 0;  // Low nibble.
  std::uint32_t remaining_length = 0;
  std::uint8_t header_bytes = 0;  // 2 to 5.
};

enum class HeaderStatus : std::uint8_t { kOk, kIncomplete, kInvalid };

// The fixed header at the front of `bytes`; kInvalid for type 0 or a Remaining Length longer
// than four bytes.
HeaderStatus ReadFixedHeader(std::span<const std::uint8_t> bytes, FixedHeader& header);

struct Connect {
  std::string protocol_name;  // "MQTT" or "MQIsdp".
  std::uint8_t level = 0;     // 3, 4 or 5.
  bool clean_session = false;
  bool will = false;
  bool username = false;  // The User Name flag.
  bool password = false;  // The Password flag.
  std::uint16_t keepalive = 0;
  std::string client_id;
};

Result<Connect> ParseConnect(std::span<const std::uint8_t> body);

struct Connack {
  bool session_present = false;
  std::uint8_t code = 0;  // Return code (3.1, 3.1.1) or reason code (5.0).
};

Result<Connack> ParseConnack(std::span<const std::uint8_t> body);

// The topic name of a PUBLISH (the first field of its variable header, in every version).
Result<std::string> ParsePublishTopic(std::span<const std::uint8_t> body);

// The topic filters of a SUBSCRIBE, at most `max_topics`; `level` says whether properties
// precede them (5).
Result<std::vector<std::string>> ParseSubscribeTopics(std::span<const std::uint8_t> body,
                                                      std::uint8_t level, std::size_t max_topics);

// "3.1", "3.1.1", "5.0"; "unknown" otherwise.
std::string_view VersionName(std::uint8_t level);

// CONNACK codes as snake_case names ("accepted", "not_authorized", "bad_user_name_or_password");
// empty for an unknown code.
std::string_view ConnackCodeName(std::uint8_t code, std::uint8_t level);

}  // namespace vigil::sensor::mqtt
