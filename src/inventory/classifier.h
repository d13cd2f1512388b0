#pragma once

// Classify: what the identification rules make of a device's facts. Each rule that matches adds
// one piece of evidence; for each attribute (manufacturer, type, model, firmware) the value with
// the highest confidence wins, and among equals the earlier rule (a hospital's rules come
// first). The MAC's registered owner takes part as the fact "oui": rules may read it, and when
// no rule names the manufacturer, the owner itself is the manufacturer with kOuiConfidence and
// evidence from "oui" without a rule. Pure.

#include <string>
#include <utility>
#include <vector>

#include "inventory/rules.h"
#include "model/inventory.h"

namespace vigil::inventory {

inline constexpr int kOuiConfidence = 20;

model::Identification Classify(const std::vector<std::pair<std::string, std::string>>& facts,
                               const RuleSet& rules);

}  // namespace vigil::inventory
