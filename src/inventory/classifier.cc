#include "inventory/classifier.h"

#include "inventory/glob.h"

namespace vigil::inventory {
namespace {

using Facts = std::vector<std::pair<std::string, std::string>>;

// Replaces {1}..{9} with the captures of the rule's match.
std::string Expand(const std::string& text, const std::vector<std::string_view>& captures) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{' && i + 2 < text.size() && text[i + 2] == '}') {
      auto n = static_cast<std::size_t>(text[i + 1] - '1');
      if (n < captures.size()) out += captures[n];
      i += 2;
    } else {
      out += text[i];
    }
  }
  // Trim: a capture often brings the spaces around it.
  std::size_t b = out.find_first_not_of(' ');
  std::size_t e = out.find_last_not_of(' ');
  return b == std::string::npos ? std::string() : out.substr(b, e - b + 1);
}

bool AnyMatches(const Facts& facts, const std::string& key, const std::string& glob) {
  for (const auto& [k, v] : facts) {
    if (k == key && GlobMatch(glob, v)) return true;
  }
  return false;
}

void Offer(model::IdentifiedValue& slot, std::string value, int confidence) {
  if (value.empty() || confidence <= slot.confidence) return;
  slot.value = std::move(value);
  slot.confidence = confidence;
}

}  // namespace

model::Identification Classify(const Facts& facts, const RuleSet& rules) {
  model::Identification id;
  std::vector<std::string_view> captures;
  for (const Rule& rule : rules.rules()) {
    for (const auto& [key, value] : facts) {
      if (key != rule.fact || !GlobMatch(rule.match, value, &captures)) continue;
      bool all = true;
      for (const auto& [also_key, also_glob] : rule.also) {
        all = all && AnyMatches(facts, also_key, also_glob);
      }
      if (!all) continue;
      Offer(id.manufacturer, Expand(rule.manufacturer, captures), rule.confidence);
      Offer(id.device_type, rule.device_type, rule.confidence);
      Offer(id.model, Expand(rule.model, captures), rule.confidence);
      Offer(id.firmware, Expand(rule.firmware, captures), rule.confidence);
      id.evidence.push_back(
          {.source = key, .value = value, .rule = rule.name, .confidence = rule.confidence});
      break;  // One piece of evidence per rule.
    }
  }
  // No rule named the maker: the MAC's registered owner is the best guess left. It names who
  // made the network interface, often not the device (a module maker, a virtual machine), so
  // it is offered with little confidence and any rule overrides it.
  if (id.manufacturer.value.empty()) {
    for (const auto& [key, value] : facts) {
      if (key != "oui" || value.empty()) continue;
      Offer(id.manufacturer, value, kOuiConfidence);
      id.evidence.push_back({.source = key, .value = value, .confidence = kOuiConfidence});
      break;
    }
  }
  return id;
}

}  // namespace vigil::inventory
