#include "inventory/classifier.h"

#include <gtest/gtest.h>

namespace vigil::inventory {
namespace {

using Facts = std::vector<std::pair<std::string, std::string>>;

TEST(Classify, ASwitchThatAnnouncesItselfOverCdp) {
  Facts facts = {{"cdp.platform", "cisco WS-C3560-24TS"},
                 {"cdp.software_version",
                  "Cisco IOS Software, C3560 Software (C3560-ADVIPSERVICESK9-M), Version "
                  "12.2(44)SE, RELEASE SOFTWARE (fc1)"},
                 {"oui", "Cisco Systems, Inc"}};

  model::Identification id = Classify(facts, RuleSet::Defaults());

  EXPECT_EQ(id.manufacturer.value, "Cisco");
  EXPECT_EQ(id.manufacturer.confidence, 85);
  EXPECT_EQ(id.device_type.value, "network_device");
  EXPECT_EQ(id.model.value, "WS-C3560-24TS");
  EXPECT_EQ(id.firmware.value, "12.2(44)SE");
  ASSERT_EQ(id.evidence.size(), 3u);
  EXPECT_EQ(id.evidence[0].rule, "oui-cisco");
  EXPECT_EQ(id.evidence[0].source, "oui");
}

TEST(Classify, TheStrongestEvidenceWinsAndEqualsKeepTheFirstRule) {
  auto rules = RuleSet::Parse(R"(
[[rule]]
name = "weak"
fact = "oui"
match = "Acme*"
manufacturer = "Acme"
device_type = "printer"
confidence = 30
[[rule]]
name = "strong"
fact = "dhcp.vendor_class"
match = "ACME-PUMP-*"
device_type = "infusion_pump"
firmware = "{1}"
confidence = 70
[[rule]]
name = "equal"
fact = "dhcp.vendor_class"
match = "ACME-*"
device_type = "ventilator"
confidence = 70
)",
                              "r.toml");
  ASSERT_TRUE(rules);

  auto id = Classify({{"oui", "Acme Medical"}, {"dhcp.vendor_class", "ACME-PUMP-4.2.1"}}, *rules);

  EXPECT_EQ(id.manufacturer.value, "Acme");
  EXPECT_EQ(id.device_type.value, "infusion_pump");
  EXPECT_EQ(id.device_type.confidence, 70);
  EXPECT_EQ(id.firmware.value, "4.2.1");
  EXPECT_EQ(id.evidence.size(), 3u);
}

TEST(Classify, AlsoConditionsMustAllHold) {
  auto rules = RuleSet::Parse(R"(
[[rule]]
name = "r"
fact = "dicom.calling_ae"
match = "CT*"
also = { "oui" = "Siemens*" }
device_type = "imaging_modality"
)",
                              "r.toml");
  ASSERT_TRUE(rules);

  auto without = Classify({{"dicom.calling_ae", "CT01"}}, *rules);
  auto with = Classify({{"dicom.calling_ae", "CT01"}, {"oui", "Siemens Healthineers"}}, *rules);

  EXPECT_TRUE(without.device_type.value.empty());
  EXPECT_EQ(with.device_type.value, "imaging_modality");
}

TEST(Classify, TheMacsOwnerIsTheManufacturerOnlyWhenNoRuleNamesOne) {
  auto rules = RuleSet::Parse(R"(
[[rule]]
name = "acme-pump"
fact = "dhcp.vendor_class"
match = "ACME-PUMP*"
manufacturer = "Acme Medical"
device_type = "infusion_pump"
confidence = 80

[[rule]]
name = "typed-only"
fact = "hl7.sending_application"
match = "*"
device_type = "patient_monitor"
confidence = 50
)",
                              "r.toml");
  ASSERT_TRUE(rules);

  const auto unknown = Classify({{"oui", "VMware, Inc."}}, *rules);
  const auto typed = Classify({{"hl7.sending_application", "MON"}, {"oui", "Intel"}}, *rules);
  const auto named =
      Classify({{"dhcp.vendor_class", "ACME-PUMP-2"}, {"oui", "Murata Manufacturing"}}, *rules);
  const auto nothing = Classify({{"dhcp.hostname", "x"}}, *rules);

  EXPECT_EQ(unknown.manufacturer.value, "VMware, Inc.");
  EXPECT_EQ(unknown.manufacturer.confidence, kOuiConfidence);
  ASSERT_EQ(unknown.evidence.size(), 1u);
  EXPECT_EQ(unknown.evidence[0].source, "oui");
  EXPECT_EQ(unknown.evidence[0].rule, "");
  EXPECT_TRUE(unknown.device_type.value.empty());
  EXPECT_EQ(typed.manufacturer.value, "Intel");
  EXPECT_EQ(typed.device_type.value, "patient_monitor");
  EXPECT_EQ(named.manufacturer.value, "Acme Medical") << "a rule outranks the interface's maker";
  EXPECT_EQ(named.evidence.size(), 1u);
  EXPECT_TRUE(nothing.manufacturer.value.empty());
  EXPECT_TRUE(nothing.evidence.empty());
}

}  // namespace
}  // namespace vigil::inventory
