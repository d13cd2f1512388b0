#pragma once

// Classify: what the identification rules make of a device's facts. Each rule that matches adds
// one piece of evidence; for each attribute (manufacturer, type, model, firmware) the value with
// the highest confidence wins, and among equals the earlier rule (a hospital's rules come
// first). The MAC's registered owner takes part as the fact "oui". Pure.

#include <string>
#include <utility>
#include <vector>

#include "inventory/rules.h"
#include "model/inventory.h"

namespace vigil::inventory {

model::Identification Classify(const std::vector<std::pair<std::string, std::string>>& facts,
                               const RuleSet& rules);

}  // namespace vigil::inventory
