#pragma once

// Test helpers: BACnet/IP messages built by hand (ASHRAE 135 Annex J, clauses 6, 20, 21).

#include <cstdint>
#include <string_view>
#include <vector>

namespace vigil::sensor::bacnet {

using ByteVector = std::vector<std::uint8_t>;

// BVLC (type 0x81, `function`, total length) around an NPDU (version 1, control 0) or, for
// a non-NPDU function, around `body` as is.
inline ByteVector Bvlc(std::uint8_t function, const ByteVector& body, bool npdu = true) {
  ByteVector out{0x81, function, 0, 0};
  if (npdu) out.insert(out.end(), {0x01, 0x00});
  out.insert(out.end(), body.begin(), body.end());
  out[2] = static_cast<std::uint8_t>(out.size() >> 8);
  out[3] = static_cast<std::uint8_t>(out.size());
  return out;
}

inline ByteVector WhoIs() { return Bvlc(0x0b, {0x10, 0x08}); }

// I-Am of device `instance` (below 2^16 here), max APDU 1476, no segmentation, vendor 260.
inline ByteVector IAmOf(std::uint16_t instance) {
  return Bvlc(
      0x0b, {0x10, 0x00, 0xc4, 0x02, 0x00, static_cast<std::uint8_t>(instance >> 8),
             static_cast<std::uint8_t>(instance), 0x22, 0x05, 0xc4, 0x91, 0x00, 0x22, 0x01, 0x04});
}

// ReadProperty-ACK from device 1234 of `property` with a CharacterString value (UTF-8).
inline ByteVector ReadPropertyAck(std::uint8_t property, std::string_view text) {
  ByteVector apdu{0x30,
                  0x01,
                  0x0c,
                  0x0c,
                  0x02,
                  0x00,
                  0x04,
                  0xd2,
                  0x19,
                  property,
                  0x3e,
                  0x75,
                  static_cast<std::uint8_t>(text.size() + 1),
                  0x00};
  apdu.insert(apdu.end(), text.begin(), text.end());
  apdu.push_back(0x3f);
  return Bvlc(0x0a, apdu);
}

}  // namespace vigil::sensor::bacnet
