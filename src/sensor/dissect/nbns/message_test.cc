#include "sensor/dissect/nbns/message.h"

#include <gtest/gtest.h>

#include <vector>

#include "sensor/dissect/nbns/nbns_builders_test.h"

namespace vigil::sensor::nbns {
namespace {

using testing::MessageBuilder;

TEST(ParseNbns, DecodesTheFirstLevelEncoding) {
  const auto bytes = MessageBuilder(0x0110, 1, 0).Question("PUMP12", 0x20, kTypeNb).Build();

  const auto message = ParseNbns(bytes);

  ASSERT_TRUE(message);
  EXPECT_EQ(message->opcode(), kOpQuery);
  EXPECT_TRUE(message->broadcast());
  ASSERT_EQ(message->questions().size(), 1u);
  EXPECT_EQ(message->questions()[0].name.text(), "PUMP12");
  EXPECT_EQ(NameText(message->questions()[0].name), "PUMP12<20>");
}

TEST(ParseNbns, FollowsARecordPointerToTheQuestion) {
  const auto bytes = MessageBuilder(0x2910, 1, 0, 1)
                         .Question("WARD3", 0x00, kTypeNb)
                         .RecordAtQuestion(kTypeNb, 6)
                         .Raw({0x80, 0, 10, 0, 0, 4})
                         .Build();

  const auto message = ParseNbns(bytes);

  ASSERT_TRUE(message);
  ASSERT_EQ(message->records().size(), 1u);
  EXPECT_EQ(message->records()[0].name.text(), "WARD3");
  EXPECT_EQ(message->records()[0].data.size(), 6u);
}

TEST(ParseNbns, RejectsBadNamesAndForwardPointers) {
  auto bad_char = MessageBuilder(0, 1, 0).Question("X", 0, kTypeNb).Build();
  bad_char[14] = 'Z';
  const auto forward = MessageBuilder(0, 0, 1).Raw({0xC0, 40, 0, 0x20}).Build();
  const std::vector<std::uint8_t> short_header(11, 0);

  EXPECT_EQ(ParseNbns(bad_char).error(), ParseError::kBadName);
  EXPECT_EQ(ParseNbns(forward).error(), ParseError::kBadName);
  EXPECT_EQ(ParseNbns(short_header).error(), ParseError::kTruncated);
}

TEST(ParseNbns, KeepsTheQuestionBeforeACutRecord) {
  const auto bytes =
      MessageBuilder(0x2910, 1, 0, 1).Question("WARD3", 0, kTypeNb).Raw({0xC0, 12, 0}).Build();

  const auto message = ParseNbns(bytes);

  ASSERT_TRUE(message);
  EXPECT_EQ(message->questions().size(), 1u);
  EXPECT_TRUE(message->records().empty());
  EXPECT_TRUE(message->truncated);
}

TEST(ParseNodeStatus, ReadsNamesFlagsAndUnitId) {
  std::vector<std::uint8_t> data = {2};
  const std::string_view names[] = {"PUMP12         \x00", "WORKGROUP      \x00"};
  for (const auto& name : names) data.insert(data.end(), name.begin(), name.begin() + 16);
  data.insert(data.begin() + 17, {0x04, 0x00});
  data.insert(data.end(), {0x84, 0x00, 0x00, 0x1b, 0x21, 0x3a, 0x4b, 0x5c});

  const NodeStatus status = ParseNodeStatus(data);

  ASSERT_EQ(status.entries().size(), 2u);
  EXPECT_EQ(status.entries()[0].name.text(), "PUMP12");
  EXPECT_FALSE(status.entries()[0].group);
  EXPECT_TRUE(status.entries()[1].group);
  EXPECT_TRUE(status.has_unit_id);
  EXPECT_EQ(status.unit_id[5], 0x5c);
}

TEST(ParseNodeStatus, StopsAtACutEntry) {
  const std::vector<std::uint8_t> data = {5, 'A', 'B'};

  const NodeStatus status = ParseNodeStatus(data);

  EXPECT_TRUE(status.entries().empty());
  EXPECT_FALSE(status.has_unit_id);
}

}  // namespace
}  // namespace vigil::sensor::nbns
