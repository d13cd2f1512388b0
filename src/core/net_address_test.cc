#include "core/net_address.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(MacAddress, ParsesThreeNotations) {
  const auto colon = MacAddress::Parse("00:1A:2b:3c:4d:5e");
  const auto dash = MacAddress::Parse("00-1a-2b-3c-4d-5e");
  const auto cisco = MacAddress::Parse("001a.2b3c.4d5e");

  ASSERT_TRUE(colon && dash && cisco);
  EXPECT_EQ(colon->ToString(), "00:1a:2b:3c:4d:5e");
  EXPECT_EQ(*colon, *dash);
  EXPECT_EQ(*colon, *cisco);
  EXPECT_EQ(colon->Oui(), 0x001a2bu);
}

TEST(MacAddress, RejectsMalformed) {
  EXPECT_FALSE(MacAddress::Parse(""));
  EXPECT_FALSE(MacAddress::Parse("00:1a:2b:3c:4d"));
  EXPECT_FALSE(MacAddress::Parse("00:1a:2b-3c:4d:5e"));
  EXPECT_FALSE(MacAddress::Parse("g0:1a:2b:3c:4d:5e"));
  EXPECT_FALSE(MacAddress::Parse("001a.2b3c:4d5e"));
}

TEST(MacAddress, FlagsLocalAndMulticast) {
  EXPECT_TRUE(MacAddress::Parse("02:00:00:00:00:01")->IsLocallyAdministered());
  EXPECT_TRUE(MacAddress::Parse("01:00:5e:00:00:fb")->IsMulticast());
  EXPECT_FALSE(MacAddress::Parse("00:09:fb:00:00:01")->IsMulticast());
}

TEST(IpAddress, ParsesAndPrintsBothFamilies) {
  const auto v4 = IpAddress::Parse("10.20.30.40");
  const auto v6 = IpAddress::Parse("FD00:0:0::1");

  ASSERT_TRUE(v4 && v6);
  EXPECT_TRUE(v4->is_v4());
  EXPECT_EQ(v4->v4_host_order(), 0x0a141e28u);
  EXPECT_EQ(v4->ToString(), "10.20.30.40");
  EXPECT_FALSE(v6->is_v4());
  EXPECT_EQ(v6->ToString(), "fd00::1");
  EXPECT_EQ(v6->bytes().size(), 16u);
}

TEST(IpAddress, RejectsMalformed) {
  EXPECT_FALSE(IpAddress::Parse(""));
  EXPECT_FALSE(IpAddress::Parse("10.0.0.256"));
  EXPECT_FALSE(IpAddress::Parse("10.0.0"));
  EXPECT_FALSE(IpAddress::Parse("fe80::1%eth0"));
  EXPECT_FALSE(IpAddress::Parse("hospital.example"));
  EXPECT_FALSE(IpAddress::Parse(std::string(100, '1')));
}

TEST(Cidr, ContainsAddressesOfItsFamily) {
  const auto net = Cidr::Parse("10.20.0.0/16");
  const auto v6 = Cidr::Parse("fd00::/8");

  ASSERT_TRUE(net && v6);
  EXPECT_TRUE(net->Contains(*IpAddress::Parse("10.20.255.1")));
  EXPECT_FALSE(net->Contains(*IpAddress::Parse("10.21.0.1")));
  EXPECT_FALSE(net->Contains(*IpAddress::Parse("fd00::1")));
  EXPECT_TRUE(v6->Contains(*IpAddress::Parse("fd12:3456::1")));
  EXPECT_FALSE(v6->Contains(*IpAddress::Parse("fe80::1")));
}

TEST(Cidr, ClearsHostBitsAndTreatsBareAddressAsHost) {
  const auto sloppy = Cidr::Parse("10.1.2.3/16");
  const auto host = Cidr::Parse("192.168.1.7");
  const auto all = Cidr::Parse("0.0.0.0/0");

  ASSERT_TRUE(sloppy && host && all);
  EXPECT_EQ(sloppy->ToString(), "10.1.0.0/16");
  EXPECT_EQ(host->ToString(), "192.168.1.7/32");
  EXPECT_TRUE(all->Contains(*IpAddress::Parse("8.8.8.8")));
  EXPECT_FALSE(host->Contains(*IpAddress::Parse("192.168.1.8")));
}

TEST(Cidr, RejectsBadPrefixes) {
  EXPECT_FALSE(Cidr::Parse("10.0.0.0/33"));
  EXPECT_FALSE(Cidr::Parse("10.0.0.0/"));
  EXPECT_FALSE(Cidr::Parse("10.0.0.0/-1"));
  EXPECT_FALSE(Cidr::Parse("10.0.0.0/8x"));
  EXPECT_FALSE(Cidr::Parse("fd00::/129"));
}

}  // namespace
}  // namespace vigil
