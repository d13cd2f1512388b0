#pragma once

// Names for the numbers and UIDs of the DICOM upper layer, as facts show them: SOP classes
// (PS3.4 Annex B and C, PS3.6 Annex A; the common storage classes, Verification and the
// query/retrieve and worklist models), transfer syntaxes, and the reasons of A-ASSOCIATE-RJ
// (PS3.8 Table 9-21) and A-ABORT (PS3.8 Table 9-26). Pure lookups in static tables;
// thread-safe.

#include <cstdint>
#include <string_view>

namespace vigil::sensor::dicom {

inline constexpr std::string_view kVerificationSopClass = "1.2.840.10008.1.1";

// "CT Image Storage" for "1.2.840.10008.5.1.4.1.1.2"; empty for a UID not in the table.
std::string_view SopClassName(std::string_view uid);

// "Explicit VR Little Endian" for "1.2.840.10008.1.2.1"; empty for a UID not in the table.
std::string_view TransferSyntaxName(std::string_view uid);

// Every storage SOP class lives under 1.2.840.10008.5.1.4.1.1 (PS3.4 Annex B).
bool IsStorageSopClass(std::string_view uid);
// Query/retrieve models (PS3.4 Annex C) and Modality Worklist (PS3.4 Annex K).
bool IsQueryRetrieveSopClass(std::string_view uid);
bool IsWorklistSopClass(std::string_view uid);

// A-ASSOCIATE-RJ: "rejected-permanent", "dicom-ul-service-user", "called-ae-title-not-recognized".
std::string_view RejectResultName(std::uint8_t result);
std::string_view RejectSourceName(std::uint8_t source);
std::string_view RejectReasonName(std::uint8_t source, std::uint8_t reason);

// A-ABORT: "dicom-ul-service-user", "unexpected-pdu".
std::string_view AbortSourceName(std::uint8_t source);
std::string_view AbortReasonName(std::uint8_t source, std::uint8_t reason);

// A-ASSOCIATE-AC presentation context result (PS3.8 Table 9-18): "acceptance"...
std::string_view ContextResultName(std::uint8_t result);

}  // namespace vigil::sensor::dicom
