#include "inventory/rules.h"

#include <toml++/toml.h>

#include <set>

#include "core/check.h"
#include "inventory/glob.h"
#include "model/device_type.h"

namespace vigil::inventory {
namespace {

std::string Where(std::string_view source, const toml::node& node) {
  return std::string(source) + ":" + std::to_string(node.source().begin.line);
}

Error Bad(std::string_view source, const toml::node& node, const std::string& rule,
          const std::string& why) {
  std::string prefix = Where(source, node) + ": ";
  if (!rule.empty()) prefix += "rule \"" + rule + "\": ";
  return Error{ErrorCode::kInvalidArgument, prefix + why};
}

// The highest {n} a template uses, or -1 for a malformed brace.
int HighestCapture(std::string_view text) {
  int highest = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '{') continue;
    if (i + 2 >= text.size() || text[i + 2] != '}' || text[i + 1] < '1' || text[i + 1] > '9') {
      return -1;
    }
    highest = std::max(highest, text[i + 1] - '0');
  }
  return highest;
}

Result<Rule> ReadRule(const toml::table& t, const toml::node& where, std::string_view source) {
  Rule rule;
  static const std::set<std::string_view> kKeys = {"name",     "fact",         "match",
                                                   "also",     "manufacturer", "model",
                                                   "firmware", "confidence",   "device_type"};
  for (const auto& [key, node] : t) {
    if (!kKeys.contains(key.str())) {
      return tl::unexpected(
          Bad(source, node, "", "unknown key \"" + std::string(key.str()) + "\" in a rule"));
    }
  }
  auto text = [&](std::string_view key, std::string& out, bool required) -> Status {
    const toml::node* n = t.get(key);
    if (n == nullptr) {
      if (!required) return OkStatus();
      return tl::unexpected(Bad(source, where, rule.name, std::string(key) + ": missing"));
    }
    if (!n->is_string() || n->value<std::string>()->empty()) {
      return tl::unexpected(
          Bad(source, *n, rule.name, std::string(key) + ": expected a non-empty string"));
    }
    out = *n->value<std::string>();
    return OkStatus();
  };
  VIGIL_RETURN_IF_ERROR(text("name", rule.name, true));
  VIGIL_RETURN_IF_ERROR(text("fact", rule.fact, true));
  VIGIL_RETURN_IF_ERROR(text("match", rule.match, true));
  VIGIL_RETURN_IF_ERROR(text("manufacturer", rule.manufacturer, false));
  VIGIL_RETURN_IF_ERROR(text("device_type", rule.device_type, false));
  VIGIL_RETURN_IF_ERROR(text("model", rule.model, false));
  VIGIL_RETURN_IF_ERROR(text("firmware", rule.firmware, false));
  std::size_t stars = CountStars(rule.match);
  if (stars > kMaxStars) {
    return tl::unexpected(Bad(source, *t.get("match"), rule.name,
                              "match: at most " + std::to_string(kMaxStars) + " '*'"));
  }
  if (const toml::node* also = t.get("also")) {
    const toml::table* table = also->as_table();
    if (table == nullptr) {
      return tl::unexpected(
          Bad(source, *also, rule.name, "also: expected a table of fact = \"glob\""));
    }
    for (const auto& [key, node] : *table) {
      if (!node.is_string() || CountStars(*node.value<std::string>()) > kMaxStars) {
        return tl::unexpected(
            Bad(source, node, rule.name, "also." + std::string(key.str()) + ": expected a glob"));
      }
      rule.also.emplace_back(std::string(key.str()), *node.value<std::string>());
    }
  }
  if (rule.manufacturer.empty() && rule.device_type.empty() && rule.model.empty() &&
      rule.firmware.empty()) {
    return tl::unexpected(Bad(source, where, rule.name,
                              "says nothing: give manufacturer, device_type, model or firmware"));
  }
  for (const auto& [key, value] :
       {std::pair<std::string_view, const std::string&>{"manufacturer", rule.manufacturer},
        {"model", rule.model},
        {"firmware", rule.firmware}}) {
    int highest = HighestCapture(value);
    if (highest < 0 || static_cast<std::size_t>(highest) > stars) {
      return tl::unexpected(Bad(source, *t.get(key), rule.name,
                                std::string(key) + ": {n} must name one of the " +
                                    std::to_string(stars) + " captures of match"));
    }
  }
  if (!rule.device_type.empty()) {
    auto type = model::ParseDeviceType(rule.device_type);
    if (!type) {
      return tl::unexpected(
          Bad(source, *t.get("device_type"), rule.name, "device_type: " + type.error().message));
    }
    rule.device_type = std::string(model::Name(*type));
  }
  if (const toml::node* c = t.get("confidence")) {
    std::optional<std::int64_t> v = c->value<std::int64_t>();
    if (!c->is_integer() || !v || *v < 1 || *v > 100) {
      return tl::unexpected(
          Bad(source, *c, rule.name, "confidence: expected an integer from 1 to 100"));
    }
    rule.confidence = static_cast<int>(*v);
  }
  return rule;
}

}  // namespace

Result<RuleSet> RuleSet::Parse(std::string_view toml_text, std::string_view source_name) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& e) {
    return MakeError(ErrorCode::kInvalidArgument, std::string(source_name) + ":" +
                                                      std::to_string(e.source().begin.line) + ": " +
                                                      std::string(e.description()));
  }
  RuleSet set;
  std::set<std::string> names;
  for (const auto& [key, node] : root) {
    if (key.str() != "rule") {
      return tl::unexpected(
          Bad(source_name, node, "",
              "unknown key \"" + std::string(key.str()) + "\" (expected [[rule]])"));
    }
  }
  const toml::node* rules = root.get("rule");
  if (rules == nullptr) return set;
  const toml::array* array = rules->as_array();
  if (array == nullptr || !array->is_array_of_tables()) {
    return tl::unexpected(Bad(source_name, *rules, "", "rule: expected [[rule]] tables"));
  }
  for (const toml::node& node : *array) {
    auto rule = ReadRule(*node.as_table(), node, source_name);
    if (!rule) return tl::unexpected(rule.error());
    if (!names.insert(rule->name).second) {
      return tl::unexpected(Bad(source_name, node, rule->name, "name: given twice"));
    }
    set.rules_.push_back(std::move(*rule));
  }
  return set;
}

void RuleSet::Prepend(const RuleSet& first) {
  rules_.insert(rules_.begin(), first.rules_.begin(), first.rules_.end());
}

}  // namespace vigil::inventory

namespace vigil::inventory {

extern const std::string_view kDefaultRulesToml;  // default_rules.cc, generated by CMake.

const RuleSet& RuleSet::Defaults() {
  static const RuleSet defaults = [] {
    auto parsed = Parse(kDefaultRulesToml, "default_rules.toml");
    VIGIL_CHECK(parsed.has_value(), "the built-in identification rules parse");
    return *std::move(parsed);
  }();
  return defaults;
}

}  // namespace vigil::inventory
