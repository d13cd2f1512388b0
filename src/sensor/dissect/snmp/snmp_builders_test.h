#pragma once

// Test helpers: BER elements and SNMP messages built by hand (RFC 3416, RFC 3412).

#include <cstdint>
#include <string_view>
#include <vector>

namespace vigil::sensor::snmp {

using ByteVector = std::vector<std::uint8_t>;

inline ByteVector Ber(std::uint8_t tag, const ByteVector& content) {
  ByteVector out{tag};
  if (content.size() < 0x80) {
    out.push_back(static_cast<std::uint8_t>(content.size()));
  } else {
    out.push_back(0x82);
    out.push_back(static_cast<std::uint8_t>(content.size() >> 8));
    out.push_back(static_cast<std::uint8_t>(content.size()));
  }
  out.insert(out.end(), content.begin(), content.end());
  return out;
}

inline ByteVector Cat(std::initializer_list<ByteVector> parts) {
  ByteVector out;
  for (const auto& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

inline ByteVector Str(std::string_view s) { return Ber(0x04, {s.begin(), s.end()}); }
inline ByteVector Int(std::uint8_t v) { return Ber(0x02, {v}); }
inline ByteVector Null() { return {0x05, 0x00}; }

// OIDs used by the tests, BER-encoded (tag and length included).
inline ByteVector SysDescrOid() { return Ber(0x06, {0x2b, 6, 1, 2, 1, 1, 1, 0}); }
inline ByteVector SysObjectIdOid() { return Ber(0x06, {0x2b, 6, 1, 2, 1, 1, 2, 0}); }
inline ByteVector SysNameOid() { return Ber(0x06, {0x2b, 6, 1, 2, 1, 1, 5, 0}); }
// 1.3.6.1.4.1.9.1.1208, a vendor's sysObjectID (Cisco's enterprise 9).
inline ByteVector VendorOid() { return Ber(0x06, {0x2b, 6, 1, 4, 1, 9, 1, 0x89, 0x38}); }

inline ByteVector Binding(const ByteVector& oid, const ByteVector& value) {
  return Ber(0x30, Cat({oid, value}));
}

inline ByteVector Pdu(std::uint8_t tag, const ByteVector& varbinds) {
  return Ber(tag, Cat({Int(0x2a), Int(0), Int(0), Ber(0x30, varbinds)}));
}

// A v1 (0) or v2c (1) message.
inline ByteVector Community(std::uint8_t version, std::string_view community,
                            const ByteVector& pdu) {
  return Ber(0x30, Cat({Int(version), Str(community), pdu}));
}

// A v3 message with USM user `user`, msgFlags `flags` and `data` (a ScopedPDU or ciphertext).
inline ByteVector V3(std::string_view user, std::uint8_t flags, const ByteVector& data) {
  ByteVector header =
      Ber(0x30, Cat({Int(0x11), Ber(0x02, {0x05, 0xdc}), Ber(0x04, {flags}), Int(3)}));
  ByteVector usm =
      Ber(0x30, Cat({Str("\x80\x00\x00\x09"), Int(12), Int(0x44), Str(user), Str(""), Str("")}));
  return Ber(0x30, Cat({Int(3), header, Ber(0x04, usm), data}));
}

inline ByteVector Scoped(const ByteVector& pdu) {
  return Ber(0x30, Cat({Str("\x80\x00\x00\x09"), Str(""), pdu}));
}

}  // namespace vigil::sensor::snmp
