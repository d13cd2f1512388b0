#include "sensor/dissect/cdp/message.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sensor/decode/byte_reader.h"
#include "sensor/dissect/cdp/cdp_testing.h"

namespace vigil::sensor::cdp {
namespace {

using testing::CdpBuilder;

TEST(ParseCdp, ReadsFields) {
  const auto bytes = CdpBuilder()
                         .Text(0x0001, "S1")
                         .Field(0x0002, testing::Ipv4Addresses(10, 0, 0, 1))
                         .Text(0x0003, "FastEthernet0/13")
                         .Field(0x0004, {0, 0, 0, 0x28})
                         .Text(0x0005, "Cisco IOS Software\nCopyright")
                         .Text(0x0006, "cisco WS-C3560-24TS")
                         .Field(0x000a, {0, 1})
                         .Build();

  const auto message = ParseCdp(bytes);

  ASSERT_TRUE(message);
  EXPECT_EQ(message->version, 2);
  EXPECT_EQ(AsText(message->device_id), "S1");
  EXPECT_EQ(AsText(message->port_id), "FastEthernet0/13");
  EXPECT_EQ(CapabilityNames(*message->capabilities), "switch,igmp");
  EXPECT_EQ(AsText(message->platform), "cisco WS-C3560-24TS");
  EXPECT_EQ(message->native_vlan, 1);
  std::vector<std::string> addresses;
  ForEachAddress(message->addresses, 4,
                 [&](const IpAddress& ip) { addresses.push_back(ip.ToString()); });
  EXPECT_EQ(addresses, std::vector<std::string>{"10.0.0.1"});
  EXPECT_FALSE(message->truncated);
}

TEST(ParseCdp, RejectsShortHeadersAndUnknownVersions) {
  EXPECT_EQ(ParseCdp(std::vector<std::uint8_t>{2, 180, 0}).error(), ParseError::kTruncated);
  EXPECT_EQ(ParseCdp(CdpBuilder(3).Build()).error(), ParseError::kBadVersion);
}

TEST(ParseCdp, StopsAtACutOrUndersizedField) {
  auto cut = CdpBuilder().Text(0x0001, "S1").Build();
  cut.insert(cut.end(), {0x00, 0x06, 0x00, 0x40, 'c'});
  auto undersized = CdpBuilder().Text(0x0001, "S1").Build();
  undersized.insert(undersized.end(), {0x00, 0x06, 0x00, 0x02});

  const auto a = ParseCdp(cut);
  const auto b = ParseCdp(undersized);

  ASSERT_TRUE(a);
  EXPECT_EQ(AsText(a->device_id), "S1");
  EXPECT_TRUE(a->platform.empty());
  EXPECT_TRUE(a->truncated);
  ASSERT_TRUE(b);
  EXPECT_TRUE(b->truncated);
}

TEST(ForEachAddress, ReadsIpv6AndStopsAtMalformedEntries) {
  std::vector<std::uint8_t> field = {0, 0, 0, 3, 2, 8, 0xAA, 0xAA, 3, 0, 0, 0, 0x86, 0xDD, 0, 16};
  for (int i = 0; i < 15; ++i) field.push_back(0);
  field.push_back(1);
  field.insert(field.end(), {1, 1, 0xCC, 0, 9, 1});  // Declares 9 address bytes, has 1.
  std::vector<std::string> addresses;

  ForEachAddress(field, 4, [&](const IpAddress& ip) { addresses.push_back(ip.ToString()); });

  EXPECT_EQ(addresses, std::vector<std::string>{"::1"});
}

TEST(ForEachAddress, HonoursItsLimitWhateverTheCount) {
  std::vector<std::uint8_t> field = {0xFF, 0xFF, 0xFF, 0xFF};
  for (int i = 0; i < 10; ++i) field.insert(field.end(), {1, 1, 0xCC, 0, 4, 10, 0, 0, 1});
  std::size_t seen = 0;

  ForEachAddress(field, 4, [&](const IpAddress&) { ++seen; });

  EXPECT_EQ(seen, 4u);
}

}  // namespace
}  // namespace vigil::sensor::cdp
