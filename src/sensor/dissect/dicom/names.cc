#include "sensor/dissect/dicom/names.h"

#include <array>
#include <utility>

namespace vigil::sensor::dicom {
namespace {

using Entry = std::pair<std::string_view, std::string_view>;

constexpr std::array kSopClasses = {
    Entry{"1.2.840.10008.1.1", "Verification"},
    Entry{"1.2.840.10008.5.1.4.1.1.1", "CR Image Storage"},
    Entry{"1.2.840.10008.5.1.4.1.1.1.1", "DX Image Storage - For Presentation"},
    Entry{"1.2.840.10008.5.1.4.1.1.1.1.1", "DX Image Storage - For Processing"},
    Entry{"1.2.840.10008.5.1.4.1.1.1.2", "MG Image Storage - For Presentation"},
    Entry{"1.2.840.10008.5.1.4.1.1.1.2.1", "MG Image Storage - For Processing"},
    Entry{"1.2.840.10008.5.1.4.1.1.2", "CT Image Storage"},
    Entry{"1.2.840.10008.5.1.4.1.1.2.1", "Enhanced CT Image Storage"},
    Entry{"1.2.840.10008.5.1.4.1.1.3.1", "US Multi-frame Image Storage"},
    Entry{"1.2.840.10008.5.1.4.1.1.4", "MR Image Storage"},
    Entry{"1.2.840.10008.5.1.4.1.1.4.1", "Enhanced MR Image Storage"},
    Entry{"1.2.840.10008.5.1.4.1.1.6.1", "US Image Storage"},
    Entry{"1.2.840.10008.5.1.4.1.1.7", "Secondary Capture Image Storage"},
    Entry{"1.2.840.10008.5.1.4.1.1.20", "NM Image Storage"},
    Entry{"1.2.840.10008.5.1.4.1.1.128", "PET Image Storage"},
    Entry{"1.2.840.10008.5.1.4.1.1.481.1", "RT Image Storage"},
    Entry{"1.2.840.10008.5.1.4.1.1.481.2", "RT Dose Storage"},
    Entry{"1.2.840.10008.5.1.4.1.1.481.3", "RT Structure Set Storage"},
    Entry{"1.2.840.10008.5.1.4.1.1.481.5", "RT Plan Storage"},
    Entry{"1.2.840.10008.5.1.4.1.1.88.11", "Basic Text SR Storage"},
    Entry{"1.2.840.10008.5.1.4.1.1.104.1", "Encapsulated PDF Storage"},
    Entry{"1.2.840.10008.5.1.4.1.2.1.1", "Patient Root Query/Retrieve - FIND"},
    Entry{"1.2.840.10008.5.1.4.1.2.1.2", "Patient Root Query/Retrieve - MOVE"},
    Entry{"1.2.840.10008.5.1.4.1.2.1.3", "Patient Root Query/Retrieve - GET"},
    Entry{"1.2.840.10008.5.1.4.1.2.2.1", "Study Root Query/Retrieve - FIND"},
    Entry{"1.2.840.10008.5.1.4.1.2.2.2", "Study Root Query/Retrieve - MOVE"},
    Entry{"1.2.840.10008.5.1.4.1.2.2.3", "Study Root Query/Retrieve - GET"},
    Entry{"1.2.840.10008.5.1.4.31", "Modality Worklist - FIND"},
    Entry{"1.2.840.10008.3.1.2.3.3", "Modality Performed Procedure Step"},
    Entry{"1.2.840.10008.1.20.1", "Storage Commitment Push Model"},
};

constexpr std::array kTransferSyntaxes = {
    Entry{"1.2.840.10008.1.2", "Implicit VR Little Endian"},
    Entry{"1.2.840.10008.1.2.1", "Explicit VR Little Endian"},
    Entry{"1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian"},
    Entry{"1.2.840.10008.1.2.2", "Explicit VR Big Endian"},
    Entry{"1.2.840.10008.1.2.4.50", "JPEG Baseline"},
    Entry{"1.2.840.10008.1.2.4.57", "JPEG Lossless"},
    Entry{"1.2.840.10008.1.2.4.70", "JPEG Lossless SV1"},
    Entry{"1.2.840.10008.1.2.4.80", "JPEG-LS Lossless"},
    Entry{"1.2.840.10008.1.2.4.90", "JPEG 2000 Lossless"},
    Entry{"1.2.840.10008.1.2.4.91", "JPEG 2000"},
    Entry{"1.2.840.10008.1.2.5", "RLE Lossless"},
};

template <std::size_t N>
std::string_view Lookup(const std::array<Entry, N>& table, std::string_view key) {
  for (const auto& [uid, name] : table) {
    if (uid == key) return name;
  }
  return {};
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::string_view SopClassName(std::string_view uid) { return Lookup(kSopClasses, uid); }

std::string_view TransferSyntaxName(std::string_view uid) { return Lookup(kTransferSyntaxes, uid); }

bool IsStorageSopClass(std::string_view uid) { return StartsWith(uid, "1.2.840.10008.5.1.4.1.1."); }

bool IsQueryRetrieveSopClass(std::string_view uid) {
  return StartsWith(uid, "1.2.840.10008.5.1.4.1.2.");
}

bool IsWorklistSopClass(std::string_view uid) { return uid == "1.2.840.10008.5.1.4.31"; }

std::string_view RejectResultName(std::uint8_t result) {
  switch (result) {
    case 1:
      return "rejected-permanent";
    case 2:
      return "rejected-transient";
    default:
      return "unknown";
  }
}

std::string_view RejectSourceName(std::uint8_t source) {
  switch (source) {
    case 1:
      return "dicom-ul-service-user";
    case 2:
      return "dicom-ul-service-provider-acse";
    case 3:
      return "dicom-ul-service-provider-presentation";
    default:
      return "unknown";
  }
}

std::string_view RejectReasonName(std::uint8_t source, std::uint8_t reason) {
  if (source == 1) {
    switch (reason) {
      case 1:
        return "no-reason-given";
      case 2:
        return "application-context-name-not-supported";
      case 3:
        return "calling-ae-title-not-recognized";
      case 7:
        return "called-ae-title-not-recognized";
      default:
        return "reserved";
    }
  }
  if (source == 2) {
    switch (reason) {
      case 1:
        return "no-reason-given";
      case 2:
        return "protocol-version-not-supported";
      default:
        return "reserved";
    }
  }
  if (source == 3) {
    switch (reason) {
      case 1:
        return "temporary-congestion";
      case 2:
        return "local-limit-exceeded";
      default:
        return "reserved";
    }
  }
  return "unknown";
}

std::string_view AbortSourceName(std::uint8_t source) {
  switch (source) {
    case 0:
      return "dicom-ul-service-user";
    case 2:
      return "dicom-ul-service-provider";
    default:
      return "reserved";
  }
}

std::string_view AbortReasonName(std::uint8_t source, std::uint8_t reason) {
  if (source != 2) return "not-specified";
  switch (reason) {
    case 0:
      return "reason-not-specified";
    case 1:
      return "unrecognized-pdu";
    case 2:
      return "unexpected-pdu";
    case 4:
      return "unrecognized-pdu-parameter";
    case 5:
      return "unexpected-pdu-parameter";
    case 6:
      return "invalid-pdu-parameter-value";
    default:
      return "reserved";
  }
}

std::string_view ContextResultName(std::uint8_t result) {
  switch (result) {
    case 0:
      return "acceptance";
    case 1:
      return "user-rejection";
    case 2:
      return "no-reason";
    case 3:
      return "abstract-syntax-not-supported";
    case 4:
      return "transfer-syntaxes-not-supported";
    default:
      return "unknown";
  }
}

}  // namespace vigil::sensor::dicom
