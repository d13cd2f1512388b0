#pragma once

// DICOM upper layer PDUs (PS3.8 section 9.3): the 6-byte PDU header (type, reserved, 32-bit
// big-endian length) and the PDUs that open and close an association: A-ASSOCIATE-RQ (9.3.2)
// and -AC (9.3.3) with their items (application context 9.3.2.1, presentation contexts 9.3.2.2
// and 9.3.3.2, user information 9.3.2.3 with maximum length D.1, implementation class UID
// D.3.3.2 and version name D.3.3.2), A-ASSOCIATE-RJ (9.3.4) and A-ABORT (9.3.8). P-DATA-TF
// (9.3.5) is only framed, never parsed: datasets carry patient data.
//
// Each Parse* takes one whole PDU, header included, and returns kInvalidArgument when it is not
// of that type, is shorter than its fixed part, or declares a length beyond the bytes given.
// Items are read within their declared lengths; an item that runs past its parent ends the list
// (what was read before it is kept). AE titles lose their space padding, UIDs their NUL
// padding; both stay raw bytes (the dissector passes them through SafeText).
//
// Bounded: at most kMaxPresentationContexts contexts, kMaxTransferSyntaxes each, strings cut to
// kMaxUidBytes. Pure functions; thread-safe.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"

namespace vigil::sensor::dicom {

enum class PduType : std::uint8_t {
  kAssociateRequest = 0x01,
  kAssociateAccept = 0x02,
  kAssociateReject = 0x03,
  kData = 0x04,
  kReleaseRequest = 0x05,
  kReleaseResponse = 0x06,
  kAbort = 0x07,
};

inline constexpr std::size_t kPduHeaderBytes = 6;
inline constexpr std::size_t kAssociateFixedBytes = 68;  // After the PDU header (9.3.2).
inline constexpr std::size_t kMaxPresentationContexts = 128;
inline constexpr std::size_t kMaxTransferSyntaxes = 16;
inline constexpr std::size_t kMaxUidBytes = 64;

struct PduHeader {
  PduType type = PduType::kAssociateRequest;
  std::uint32_t length = 0;  // Bytes after the header.
};

// The header at the front of `bytes`; nullopt if fewer than 6 bytes or the type is not 1 to 7.
std::optional<PduHeader> ReadPduHeader(std::span<const std::uint8_t> bytes);

struct PresentationContext {
  std::uint8_t id = 0;
  std::uint8_t result = 0;                     // -AC only: 0 acceptance (PS3.8 Table 9-18).
  std::string abstract_syntax;                 // -RQ only: the SOP class UID.
  std::vector<std::string> transfer_syntaxes;  // -RQ: proposed; -AC: the one accepted.
};

// An A-ASSOCIATE-RQ or -AC: same layout, the -AC echoing the AE titles (which it need not).
struct Association {
  PduType type = PduType::kAssociateRequest;
  std::uint16_t protocol_version = 0;
  std::string called_ae;
  std::string calling_ae;
  std::string application_context;
  std::vector<PresentationContext> presentation_contexts;
  std::uint32_t max_pdu_length = 0;  // 0: not sent, or unlimited.
  std::string implementation_class_uid;
  std::string implementation_version;
};

Result<Association> ParseAssociation(std::span<const std::uint8_t> pdu);

struct Reject {
  std::uint8_t result = 0;
  std::uint8_t source = 0;
  std::uint8_t reason = 0;
};

Result<Reject> ParseReject(std::span<const std::uint8_t> pdu);

struct Abort {
  std::uint8_t source = 0;
  std::uint8_t reason = 0;
};

Result<Abort> ParseAbort(std::span<const std::uint8_t> pdu);

}  // namespace vigil::sensor::dicom
