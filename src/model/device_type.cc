#include "model/device_type.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace vigil::model {
namespace {

using enum DeviceType;
constexpr Criticality kSustaining = Criticality::kLifeSustaining;
constexpr Criticality kSupporting = Criticality::kLifeSupporting;
constexpr Criticality kDiagnostic = Criticality::kDiagnostic;
constexpr Criticality kNone = Criticality::kNonClinical;

constexpr std::array kTypes = {
    DeviceTypeInfo{kInfusionPump, "infusion_pump", "Infusion pump", kSustaining, true},
    DeviceTypeInfo{kPatientMonitor, "patient_monitor", "Patient monitor", kSupporting, true},
    DeviceTypeInfo{kVentilator, "ventilator", "Ventilator", kSustaining, true},
    DeviceTypeInfo{kAnesthesiaMachine, "anesthesia_machine", "Anaesthesia machine", kSustaining,
                   true},
    DeviceTypeInfo{kDefibrillator, "defibrillator", "Defibrillator", kSustaining, true},
    DeviceTypeInfo{kImagingModality, "imaging_modality", "Imaging modality", kDiagnostic, true},
    DeviceTypeInfo{kPacs, "pacs", "PACS", kDiagnostic, true},
    DeviceTypeInfo{kLabAnalyzer, "lab_analyzer", "Lab analyser", kDiagnostic, true},
    DeviceTypeInfo{kNurseCall, "nurse_call", "Nurse call", kSupporting, true},
    DeviceTypeInfo{kMedicationCabinet, "medication_cabinet", "Medication cabinet", kSupporting,
                   true},
    DeviceTypeInfo{kClinicalGateway, "clinical_gateway", "Clinical gateway", kSupporting, true},
    DeviceTypeInfo{kWorkstation, "workstation", "Workstation", kNone, false},
    DeviceTypeInfo{kServer, "server", "Server", kNone, false},
    DeviceTypeInfo{kPrinter, "printer", "Printer", kNone, false},
    DeviceTypeInfo{kNetworkDevice, "network_device", "Network device", kNone, false},
    DeviceTypeInfo{kBuildingSystem, "building_system", "Building system", kNone, false},
    DeviceTypeInfo{kPhone, "phone", "Phone", kNone, false},
    DeviceTypeInfo{kCamera, "camera", "Camera", kNone, false},
    DeviceTypeInfo{kSensor, "sensor", "Vigil sensor", kNone, false},
    DeviceTypeInfo{kOther, "other", "Other", kNone, false},
};

constexpr std::array kCriticalities = {
    CriticalityInfo{kSustaining, "life_sustaining", "Life-sustaining"},
    CriticalityInfo{kSupporting, "life_supporting", "Life-supporting"},
    CriticalityInfo{kDiagnostic, "diagnostic", "Diagnostic"},
    CriticalityInfo{kNone, "non_clinical", "Non-clinical"},
};

// Lowercase, '-' and ' ' as '_'.
std::string Normalise(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    out.push_back(c == '-' || c == ' '
                      ? '_'
                      : static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

template <typename Table>
std::string NameList(const Table& table) {
  std::string out;
  for (const auto& entry : table) {
    if (!out.empty()) out += ", ";
    out += entry.name;
  }
  return out;
}

}  // namespace

std::span<const DeviceTypeInfo> DeviceTypes() { return kTypes; }
std::span<const CriticalityInfo> Criticalities() { return kCriticalities; }

const DeviceTypeInfo& Describe(DeviceType type) { return kTypes[static_cast<std::size_t>(type)]; }
std::string_view Name(DeviceType type) { return Describe(type).name; }
std::string_view Name(Criticality criticality) {
  return kCriticalities[static_cast<std::size_t>(criticality)].name;
}
std::string_view Label(Criticality criticality) {
  return kCriticalities[static_cast<std::size_t>(criticality)].label;
}

Result<DeviceType> ParseDeviceType(std::string_view text) {
  const std::string key = Normalise(text);
  const auto* it = std::find_if(kTypes.begin(), kTypes.end(),
                                [&](const DeviceTypeInfo& info) { return info.name == key; });
  if (it == kTypes.end()) {
    return MakeError(ErrorCode::kInvalidArgument, "unknown device type \"" + std::string(text) +
                                                      "\" (one of: " + NameList(kTypes) + ")");
  }
  return it->type;
}

Result<Criticality> ParseCriticality(std::string_view text) {
  const std::string key = Normalise(text);
  const auto* it = std::find_if(kCriticalities.begin(), kCriticalities.end(),
                                [&](const CriticalityInfo& info) { return info.name == key; });
  if (it == kCriticalities.end()) {
    return MakeError(ErrorCode::kInvalidArgument, "unknown criticality \"" + std::string(text) +
                                                      "\" (one of: " + NameList(kCriticalities) +
                                                      ")");
  }
  return it->criticality;
}

bool NeedsApprovalToContain(Criticality criticality) {
  return criticality == Criticality::kLifeSustaining || criticality == Criticality::kLifeSupporting;
}

}  // namespace vigil::model
