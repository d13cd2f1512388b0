#include "sensor/dissect/dns/message.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sensor/dissect/dns/dns_builders_test.h"

namespace vigil::sensor::dns {
namespace {

using testing::MessageBuilder;
using testing::NameLength;

TEST(ParseDns, ReadsHeaderQuestionsAndRecords) {
  const auto bytes = MessageBuilder(0x8400, 1, 1)
                         .Question("pump.local", kTypeA)
                         .Record("pump.local", kTypeA, 4)
                         .Raw({10, 0, 0, 5})
                         .Build();

  const auto message = ParseDns(bytes);

  ASSERT_TRUE(message);
  EXPECT_TRUE(message->header.response());
  EXPECT_TRUE(message->header.authoritative());
  EXPECT_EQ(message->header.opcode(), 0);
  ASSERT_EQ(message->questions().size(), 1u);
  EXPECT_EQ(DecodeName(bytes, message->questions()[0].name_offset), "pump.local");
  ASSERT_EQ(message->records().size(), 1u);
  EXPECT_EQ(AddressOf(*message, message->records()[0])->ToString(), "10.0.0.5");
  EXPECT_FALSE(message->truncated);
}

TEST(ParseDns, RejectsShortHeaderAndBadFirstName) {
  const std::vector<std::uint8_t> short_header(11, 0);
  const auto bad_label = MessageBuilder(0, 1, 0).Raw({0x40, 'a', 0, 0, 1, 0, 1}).Build();
  const auto cut = MessageBuilder(0, 1, 0).Raw({4, 'p', 'u'}).Build();

  EXPECT_EQ(ParseDns(short_header).error(), ParseError::kTruncated);
  EXPECT_EQ(ParseDns(bad_label).error(), ParseError::kBadName);
  EXPECT_EQ(ParseDns(cut).error(), ParseError::kTruncated);
}

TEST(ParseDns, KeepsRecordsBeforeACutOne) {
  const auto bytes = MessageBuilder(0x8000, 0, 2)
                         .Record("a.local", kTypeA, 4)
                         .Raw({10, 0, 0, 1})
                         .Record("b.local", kTypeA, 4)
                         .Raw({10, 0})
                         .Build();

  const auto message = ParseDns(bytes);

  ASSERT_TRUE(message);
  EXPECT_EQ(message->records().size(), 1u);
  EXPECT_TRUE(message->truncated);
}

TEST(ParseDns, KeepsAtMostMaxRecords) {
  MessageBuilder builder(0x8000, 0, 200);
  for (int i = 0; i < 200; ++i) builder.Record("a", kTypeA, 4).Raw({10, 0, 0, 1});

  const auto message = ParseDns(builder.Build());

  ASSERT_TRUE(message);
  EXPECT_EQ(message->records().size(), kMaxRecords);
  EXPECT_TRUE(message->truncated);
}

TEST(DecodeName, FollowsCompressionPointers) {
  // "pump" then a pointer to "local" at offset 12.
  const auto bytes =
      MessageBuilder(0, 1, 0).Name("local").Raw({4, 'p', 'u', 'm', 'p', 0xC0, 12}).Build();

  EXPECT_EQ(DecodeName(bytes, 12), "local");
  EXPECT_EQ(DecodeName(bytes, 19), "pump.local");
}

TEST(DecodeName, StopsAtPointerLoops) {
  const auto self = MessageBuilder(0, 1, 0).Raw({0xC0, 12}).Build();
  const auto pair = MessageBuilder(0, 1, 0).Raw({1, 'a', 0xC0, 16, 1, 'b', 0xC0, 12}).Build();

  EXPECT_EQ(DecodeName(self, 12), std::nullopt);
  EXPECT_EQ(DecodeName(pair, 12), std::nullopt);
}

TEST(DecodeName, RejectsOverlongNamesAndOutOfRangeOffsets) {
  MessageBuilder builder(0, 1, 0);
  std::string long_name;
  for (int i = 0; i < 5; ++i) long_name += std::string(60, 'x') + ".";
  const auto bytes = builder.Name(long_name + "local").Build();

  EXPECT_EQ(DecodeName(bytes, 12), std::nullopt);
  EXPECT_EQ(DecodeName(bytes, bytes.size()), std::nullopt);
  EXPECT_EQ(DecodeName(MessageBuilder(0, 1, 0).Raw({0xC0}).Build(), 12), std::nullopt);
}

TEST(ServiceOf, ReadsPortAndTarget) {
  const auto bytes = MessageBuilder(0x8400, 0, 1)
                         .Record("Pump._http._tcp.local", kTypeSrv,
                                 static_cast<std::uint16_t>(6 + NameLength("pump.local")))
                         .U16(0)
                         .U16(0)
                         .U16(8080)
                         .Name("pump.local")
                         .Build();
  const auto message = ParseDns(bytes);
  ASSERT_TRUE(message);

  const auto service = ServiceOf(*message, message->records()[0]);

  ASSERT_TRUE(service);
  EXPECT_EQ(service->port, 8080);
  EXPECT_EQ(service->target, "pump.local");
}

TEST(ForEachText, StopsAtAStringPastTheData) {
  const std::vector<std::uint8_t> data = {3, 'a', '=', 'b', 9, 'x'};
  std::vector<std::string> strings;

  ForEachText(data, 8, [&](std::string_view s) { strings.emplace_back(s); });

  EXPECT_EQ(strings, std::vector<std::string>{"a=b"});
}

}  // namespace
}  // namespace vigil::sensor::dns
