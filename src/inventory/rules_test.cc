#include "inventory/rules.h"

#include <gtest/gtest.h>

namespace vigil::inventory {
namespace {

TEST(Rules, ParsesARule) {
  auto set = RuleSet::Parse(R"(
[[rule]]
name = "pump"
fact = "dhcp.vendor_class"
match = "ACME-PUMP-*"
also = { "oui" = "Acme*" }
manufacturer = "Acme"
device_type = "Infusion-Pump"
firmware = "{1}"
confidence = 70
)",
                            "r.toml");

  ASSERT_TRUE(set) << set.error().message;
  ASSERT_EQ(set->rules().size(), 1u);
  const Rule& r = set->rules()[0];
  EXPECT_EQ(r.device_type, "infusion_pump");
  EXPECT_EQ(r.confidence, 70);
  ASSERT_EQ(r.also.size(), 1u);
  EXPECT_EQ(r.also[0].first, "oui");
}

TEST(Rules, ErrorsNameTheLineAndTheField) {
  struct Case {
    const char* toml;
    const char* message;
  };
  const Case cases[] = {
      {"[[rule]]\nname = \"a\"\nfact = \"x\"\nmatch = \"*\"\ndevice_type = \"pmp\"\n",
       "r.toml:5: rule \"a\": device_type: unknown device type \"pmp\""},
      {"[[rule]]\nname = \"a\"\nfact = \"x\"\nmatch = \"*\"\nmodel = \"{2}\"\n",
       "r.toml:5: rule \"a\": model: {n} must name one of the 1 captures of match"},
      {"[[rule]]\nname = \"a\"\nfact = \"x\"\nmatch = \"*\"\n",
       "r.toml:1: rule \"a\": says nothing"},
      {"[[rule]]\nname = \"a\"\nmatch = \"*\"\nmodel = \"m\"\n",
       "r.toml:1: rule \"a\": fact: missing"},
      {"[[rule]]\nname = \"a\"\nfact = \"x\"\nmatch = \"*\"\nmodel = \"m\"\nconfidence = 101\n",
       "r.toml:6: rule \"a\": confidence: expected an integer from 1 to 100"},
      {"[[rule]]\nname = \"a\"\nfact = \"x\"\nmatch = \"*\"\nmodle = \"m\"\n",
       "r.toml:5: unknown key \"modle\" in a rule"},
      {"[[rule]]\nname = \"a\"\nfact = \"x\"\nmatch = \"*\"\nmodel = \"m\"\n"
       "[[rule]]\nname = \"a\"\nfact = \"x\"\nmatch = \"*\"\nmodel = \"m\"\n",
       "r.toml:6: rule \"a\": name: given twice"},
      {"rules = 1\n", "r.toml:1: unknown key \"rules\""},
      {"[[rule]\n", "r.toml:1: "},
  };
  for (const Case& c : cases) {
    auto set = RuleSet::Parse(c.toml, "r.toml");
    ASSERT_FALSE(set) << c.toml;
    EXPECT_EQ(set.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(set.error().message.rfind(c.message, 0), 0u)
        << "got: " << set.error().message << "\nwant: " << c.message;
  }
}

TEST(Rules, TheBuiltInRulesParse) { EXPECT_GT(RuleSet::Defaults().rules().size(), 40u); }

TEST(Rules, AHospitalsRulesComeFirst) {
  auto mine = RuleSet::Parse(
      "[[rule]]\nname = \"mine\"\nfact = \"x\"\nmatch = \"*\"\nmodel = "
      "\"m\"\n",
      "mine.toml");
  ASSERT_TRUE(mine);
  RuleSet all = RuleSet::Defaults();

  all.Prepend(*mine);

  EXPECT_EQ(all.rules().front().name, "mine");
  EXPECT_EQ(all.rules().size(), RuleSet::Defaults().rules().size() + 1);
}

}  // namespace
}  // namespace vigil::inventory
