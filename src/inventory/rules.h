#pragma once

// Identification rules: how a device's facts name its manufacturer, type, model and firmware.
// They live in TOML (docs/formats/inventory-rules.md): Vigil ships a default set
// (default_rules.toml, built in) and a hospital adds its own in <data dir>/inventory-rules.toml;
// the hospital's rules are asked first, so they win a tie.
//
//   [[rule]]
//   name = "dcmtk-storescu"                       # unique, shown as evidence
//   fact = "dicom.implementation_version"         # a fact key, or "oui" (the MAC's owner)
//   match = "OFFIS_DCMTK_*"                       # a glob (glob.h); each * is captured
//   also = { "dicom.calling_ae" = "STORESCU*" }   # optional: more facts that must match
//   manufacturer = "OFFIS"                        # any of these four, with {1}..{4} for
//   device_type = "workstation"                   #   the captures of `match`
//   model = "DCMTK"
//   firmware = "{1}"
//   confidence = 60                               # 1-100, default 50
//
// Parse errors are kInvalidArgument naming the source, the line and the field:
// "inventory-rules.toml:12: rule \"x\": device_type: unknown device type \"pmp\" (one of: ...)".

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace vigil::inventory {

struct Rule {
  std::string name;
  std::string fact;
  std::string match;
  std::vector<std::pair<std::string, std::string>> also;
  std::string manufacturer;
  std::string device_type;  // A name from model/device_type.h, checked when parsed.
  std::string model;
  std::string firmware;
  int confidence = 50;
};

class RuleSet {
 public:
  static Result<RuleSet> Parse(std::string_view toml_text, std::string_view source_name);
  // The rules Vigil ships (default_rules.toml).
  static const RuleSet& Defaults();

  // Puts `first`'s rules before this set's (a hospital's rules before the defaults).
  void Prepend(const RuleSet& first);

  const std::vector<Rule>& rules() const { return rules_; }

 private:
  std::vector<Rule> rules_;
};

}  // namespace vigil::inventory
