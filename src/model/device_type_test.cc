#include "model/device_type.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace vigil::model {
namespace {

TEST(DeviceTypeTest, EveryTypeRoundTripsThroughItsName) {
  std::set<std::string_view> names;
  for (const DeviceTypeInfo& info : DeviceTypes()) {
    EXPECT_EQ(&Describe(info.type), &info) << info.name;
    auto parsed = ParseDeviceType(info.name);
    ASSERT_TRUE(parsed) << info.name;
    EXPECT_EQ(*parsed, info.type);
    EXPECT_TRUE(names.insert(info.name).second) << "duplicate " << info.name;
  }
  EXPECT_GE(names.size(), 7U);
}

TEST(DeviceTypeTest, ParsingAcceptsCaseAndDashes) {
  EXPECT_EQ(ParseDeviceType("Infusion-Pump").value(), DeviceType::kInfusionPump);
  EXPECT_EQ(ParseCriticality("Life-Sustaining").value(), Criticality::kLifeSustaining);
  EXPECT_EQ(ParseCriticality("non clinical").value(), Criticality::kNonClinical);
}

TEST(DeviceTypeTest, UnknownNamesAreRefusedWithTheChoices) {
  auto type = ParseDeviceType("toaster");
  ASSERT_FALSE(type);
  EXPECT_EQ(type.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(type.error().message.find("infusion_pump"), std::string::npos);
  auto criticality = ParseCriticality("");
  ASSERT_FALSE(criticality);
  EXPECT_NE(criticality.error().message.find("life_sustaining"), std::string::npos);
}

TEST(DeviceTypeTest, OnlyPatientDependentDevicesNeedApprovalToContain) {
  EXPECT_TRUE(NeedsApprovalToContain(Criticality::kLifeSustaining));
  EXPECT_TRUE(NeedsApprovalToContain(Criticality::kLifeSupporting));
  EXPECT_FALSE(NeedsApprovalToContain(Criticality::kDiagnostic));
  EXPECT_FALSE(NeedsApprovalToContain(Criticality::kNonClinical));
  EXPECT_EQ(Describe(DeviceType::kVentilator).typical, Criticality::kLifeSustaining);
  EXPECT_FALSE(Describe(DeviceType::kPrinter).clinical);
}

}  // namespace
}  // namespace vigil::model
