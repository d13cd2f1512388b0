#pragma once

// HL7 v2 messages as they cross an MLLP connection: the framing (HL7 v2.5.1 Implementation
// Guide, Appendix C "Minimal Lower Layer Protocol": 0x0B, the message, 0x1C 0x0D) and the few
// header fields a sensor may keep. Segments are separated by CR (HL7 v2 section 2.5.1; LF and
// CR LF are accepted too). The field separator is the fourth byte of MSH and the component
// separator the first encoding character (MSH-2), as section 2.5.4 defines.
//
// What is kept, and what is not: MSH-3/4/5/6 (first component), MSH-9 (message code and
// trigger event, "ADT^A01"), MSH-12 (first component), MSA-1 (acknowledgement code), the ids of
// the segments seen and whether any of them carries patient data. MSH-10 (control id) and every
// field of PID, NK1, PV1 and the other segments are never copied: the parser only looks at them.
// Strings are raw bytes from the wire; the dissector passes them through SafeText.
//
// Bounded: at most kMaxSegmentIds distinct segment ids and kMaxFieldBytes per kept field.
// Pure functions; thread-safe.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"

namespace vigil::sensor::hl7 {

inline constexpr std::uint8_t kStartBlock = 0x0B;
inline constexpr std::uint8_t kEndBlock = 0x1C;
inline constexpr std::uint8_t kCarriageReturn = 0x0D;
inline constexpr std::size_t kMaxSegmentIds = 32;
inline constexpr std::size_t kMaxFieldBytes = 128;

struct Message {
  std::string sending_application;           // MSH-3.1
  std::string sending_facility;              // MSH-4.1
  std::string receiving_application;         // MSH-5.1
  std::string receiving_facility;            // MSH-6.1
  std::string message_type;                  // MSH-9.1 "^" MSH-9.2, or MSH-9.1 alone.
  std::string version;                       // MSH-12.1
  std::string ack_code;                      // MSA-1 when an MSA segment is present.
  std::vector<std::string> segment_ids;      // Distinct, in order of first appearance.
  std::vector<std::string> phi_segment_ids;  // Those of segment_ids that carry patient data.
  bool truncated = false;  // Parsed from a prefix of the message (the end was not seen).
};

// Parses the bytes between the start and end blocks. `truncated` says the message's end was not
// seen (it was too long to buffer): the last, possibly cut segment is then not counted.
// Returns kInvalidArgument when `body` does not start with "MSH" and a field separator.
Result<Message> ParseMessage(std::span<const std::uint8_t> body, bool truncated = false);

// True for the segments that carry patient data when present: PID, PD1, MRG, NK1, PV1, PV2,
// IN1, IN2, IN3, GT1, DG1, AL1 always; OBX only with a value (OBX-5 not empty).
bool IsPatientSegment(std::string_view segment_id);

}  // namespace vigil::sensor::hl7
