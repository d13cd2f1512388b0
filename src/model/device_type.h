#pragma once

// The device vocabulary every module and the dashboard share: what kind of device it is and how
// much a patient depends on it. Names are the stable wire and storage form ("infusion_pump",
// "life_sustaining"); labels are for people ("Infusion pump", "Life-sustaining").
//
// Criticality follows the clinical-engineering scale: a life-sustaining device (ventilator,
// infusion pump on a critical drug) keeps a patient alive; life-supporting devices (patient
// monitor) support care directly; diagnostic devices (imaging, lab) inform it; non-clinical
// devices (printer, workstation) do not touch the patient. Vigil never blocks or isolates a
// life-sustaining or life-supporting device without a person's approval.
//
// Errors: Parse* return kInvalidArgument naming the accepted values. Pure values, no state.

#include <span>
#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil::model {

enum class DeviceType {
  kInfusionPump,
  kPatientMonitor,
  kVentilator,
  kAnesthesiaMachine,
  kDefibrillator,
  kImagingModality,
  kPacs,
  kLabAnalyzer,
  kNurseCall,
  kMedicationCabinet,
  kClinicalGateway,
  kWorkstation,
  kServer,
  kPrinter,
  kNetworkDevice,
  kBuildingSystem,
  kPhone,
  kCamera,
  kSensor,  // Vigil's own passive sensor (enrolled with `vigil sensor add`).
  kOther,
};

enum class Criticality { kLifeSustaining, kLifeSupporting, kDiagnostic, kNonClinical };

struct DeviceTypeInfo {
  DeviceType type;
  std::string_view name;   // "infusion_pump"
  std::string_view label;  // "Infusion pump"
  Criticality typical;     // The usual criticality of this kind, a default for new records.
  bool clinical;           // Touches patient care (everything but IT, building and other).
};

struct CriticalityInfo {
  Criticality criticality;
  std::string_view name;   // "life_sustaining"
  std::string_view label;  // "Life-sustaining"
};

// Every type, in the order above.
std::span<const DeviceTypeInfo> DeviceTypes();
std::span<const CriticalityInfo> Criticalities();

const DeviceTypeInfo& Describe(DeviceType type);
std::string_view Name(DeviceType type);
std::string_view Name(Criticality criticality);
std::string_view Label(Criticality criticality);

// Accepts the name, and also '-' for '_' and any letter case ("Life-Sustaining").
Result<DeviceType> ParseDeviceType(std::string_view text);
Result<Criticality> ParseCriticality(std::string_view text);

// Life-sustaining or life-supporting: containment needs a person's approval.
bool NeedsApprovalToContain(Criticality criticality);

}  // namespace vigil::model
