#pragma once

// SNMP messages (v1 RFC 1157, v2c RFC 1901/3416, v3 RFC 3412/3414) as the sensor reads them:
// the version, the community (v1/v2c), the PDU type and its variable bindings, and for v3 the
// USM user name and the auth/priv flags. An encrypted v3 PDU (priv) is not read.
//
// ParseSnmp never reads outside `payload`. Bounded: at most kMaxVarBinds bindings are kept,
// OIDs have at most 64 arcs, strings are cut at kMaxValueBytes; nothing else is copied.
// Errors (small enum, no allocation): kTruncated when an element runs past the payload,
// kMalformed when the layout is not SNMP's, kUnsupported for a version other than 0, 1 or 3.
// Thread safety: pure function.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sensor/dissect/snmp/ber.h"

namespace vigil::sensor::snmp {

inline constexpr std::size_t kMaxVarBinds = 32;
inline constexpr std::size_t kMaxValueBytes = 256;
inline constexpr std::size_t kMaxCommunityBytes = 64;

enum class Version : std::uint8_t { kV1 = 0, kV2c = 1, kV3 = 3 };

// RFC 3416 section 3 context tags [0]..[8] (v1's Trap is [4]).
enum class PduType : std::uint8_t {
  kGetRequest = 0xa0,
  kGetNextRequest = 0xa1,
  kResponse = 0xa2,
  kSetRequest = 0xa3,
  kTrapV1 = 0xa4,
  kGetBulkRequest = 0xa5,
  kInformRequest = 0xa6,
  kTrapV2 = 0xa7,
  kReport = 0xa8,
  kUnknown = 0,  // Not read: an encrypted v3 PDU, or a tag outside the list.
};
std::string_view PduTypeName(PduType type);  // "get_request", "response", "trap"...

// True for PDUs an agent sends (Response, Traps, Inform, Report): their sender is the managed
// device.
bool SentByAgent(PduType type);

struct VarBind {
  std::string oid;             // Dotted.
  std::uint8_t value_tag = 0;  // BER tag of the value (0x04 OCTET STRING, 0x06 OID...).
  std::string value;           // OCTET STRING raw bytes (cut), OID dotted, INTEGER decimal.
};

struct SnmpMessage {
  Version version = Version::kV1;
  std::string community;  // v1/v2c; raw bytes, cut at kMaxCommunityBytes. A secret: see dissector.
  PduType pdu = PduType::kUnknown;
  std::vector<VarBind> varbinds;
  // v3 (RFC 3412 section 6, RFC 3414 section 2.4).
  std::string user_name;  // msgUserName, raw bytes, cut.
  bool auth = false;      // msgFlags authFlag.
  bool priv = false;      // msgFlags privFlag: the PDU is encrypted.
};

ParseResult<SnmpMessage> ParseSnmp(std::span<const std::uint8_t> payload);

}  // namespace vigil::sensor::snmp
