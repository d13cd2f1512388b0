#include "sensor/dissect/lldp/message.h"

#include <gtest/gtest.h>

#include <vector>

#include "sensor/decode/byte_reader.h"
#include "sensor/dissect/lldp/lldp_testing.h"

namespace vigil::sensor::lldp {
namespace {

using testing::LldpBuilder;

TEST(ParseLldp, ReadsMandatoryAndBasicTlvs) {
  const auto bytes = LldpBuilder()
                         .Tlv(1, {4, 0x00, 0x19, 0x2f, 0xa7, 0xb2, 0x8d})
                         .Text(2, {5}, "Gi0/13")
                         .Tlv(3, {0, 120})
                         .Text(4, {}, "GigabitEthernet0/13")
                         .Text(5, {}, "S2.cisco.com")
                         .Text(6, {}, "IOS 12.2\nCopyright")
                         .Tlv(7, {0x00, 0x14, 0x00, 0x04})
                         .Tlv(8, {5, 1, 10, 0, 0, 2, 2, 0, 0, 0, 1, 0})
                         .End();

  const auto message = ParseLldp(bytes);

  ASSERT_TRUE(message);
  EXPECT_EQ(ChassisIdText(message->chassis_id_subtype, message->chassis_id), "00:19:2f:a7:b2:8d");
  EXPECT_EQ(PortIdText(message->port_id_subtype, message->port_id), "Gi0/13");
  EXPECT_EQ(message->ttl, 120);
  EXPECT_EQ(AsText(message->system_name), "S2.cisco.com");
  EXPECT_EQ(CapabilityNames(*message->system_capabilities), "bridge,router");
  EXPECT_EQ(CapabilityNames(*message->enabled_capabilities), "bridge");
  ASSERT_EQ(message->management_addresses().size(), 1u);
  EXPECT_EQ(ManagementAddressText(message->management_addresses()[0]), "10.0.0.2");
  EXPECT_FALSE(message->truncated);
}

TEST(ParseLldp, ReadsOrganizationalTlvs) {
  const auto bytes = LldpBuilder()
                         .Text(1, {7}, "sw1")
                         .Tlv(127, {0x00, 0x80, 0xc2, 1, 0x00, 0x14})
                         .Text(127, {0x00, 0x00, 0x5e, 1}, "https://example.com/mud")
                         .Text(127, {0x00, 0x12, 0xbb, 9}, "Acme Medical")
                         .Text(127, {0x00, 0x12, 0xbb, 10}, "Pump 9000")
                         .End();

  const auto message = ParseLldp(bytes);

  ASSERT_TRUE(message);
  EXPECT_EQ(message->port_vlan, 20);
  EXPECT_EQ(AsText(message->mud_url), "https://example.com/mud");
  EXPECT_EQ(AsText(message->manufacturer), "Acme Medical");
  EXPECT_EQ(AsText(message->model), "Pump 9000");
}

TEST(ParseLldp, RequiresAChassisIdFirst) {
  const auto bytes = LldpBuilder().Text(2, {5}, "Gi0/1").End();

  EXPECT_EQ(ParseLldp(bytes).error(), ParseError::kNoChassisId);
  EXPECT_EQ(ParseLldp(std::vector<std::uint8_t>{0x02}).error(), ParseError::kTruncated);
  EXPECT_EQ(ParseLldp(std::vector<std::uint8_t>{0x02, 0x07, 4}).error(), ParseError::kTruncated);
}

TEST(ParseLldp, KeepsTlvsBeforeACutOne) {
  const auto whole = LldpBuilder().Text(1, {7}, "sw1").Text(5, {}, "switch-one").End();
  const std::vector<std::uint8_t> bytes(whole.begin(), whole.begin() + 14);  // Name cut short.

  const auto message = ParseLldp(bytes);

  ASSERT_TRUE(message);
  EXPECT_EQ(AsText(message->chassis_id), "sw1");
  EXPECT_TRUE(message->system_name.empty());
  EXPECT_TRUE(message->truncated);
}

TEST(ParseLldp, BoundsManagementAddresses) {
  LldpBuilder builder;
  builder.Text(1, {7}, "sw1");
  for (int i = 0; i < 10; ++i) builder.Tlv(8, {5, 1, 10, 0, 0, 2, 2, 0, 0, 0, 1, 0});

  const auto message = ParseLldp(builder.End());

  ASSERT_TRUE(message);
  EXPECT_EQ(message->management_addresses().size(), kMaxManagementAddresses);
}

TEST(IdText, FormatsNetworkAddressesAndFallsBackToBytes) {
  const std::vector<std::uint8_t> ipv4 = {1, 192, 0, 2, 7};
  const std::vector<std::uint8_t> short_mac = {0x00, 0x19};

  EXPECT_EQ(ChassisIdText(5, ipv4), "192.0.2.7");
  EXPECT_EQ(PortIdText(4, ipv4), "192.0.2.7");
  EXPECT_EQ(ChassisIdText(4, short_mac).size(), 2u);
  EXPECT_EQ(ManagementAddressText({.family = 9, .address = ipv4}), "");
}

}  // namespace
}  // namespace vigil::sensor::lldp
