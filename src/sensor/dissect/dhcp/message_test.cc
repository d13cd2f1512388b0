#include "sensor/dissect/dhcp/message.h"

#include <gtest/gtest.h>

#include <vector>

#include "sensor/decode/byte_reader.h"
#include "sensor/dissect/dhcp/dhcp_testing.h"

namespace vigil::sensor::dhcp {
namespace {

using testing::MessageBuilder;

TEST(ParseDhcp, ReadsHeaderAndClientOptions) {
  const auto bytes = MessageBuilder(1)
                         .Option(53, {3})
                         .Option(12, "pump-12")
                         .Option(55, {1, 3, 6, 15})
                         .Option(60, "MSFT 5.0")
                         .Option(50, {10, 0, 0, 7})
                         .Option(61, {1, 2, 0, 0, 0, 0, 1})
                         .End();

  const auto message = ParseDhcp(bytes);

  ASSERT_TRUE(message);
  EXPECT_EQ(message->op, 1);
  EXPECT_EQ(message->xid, 0x01020304u);
  EXPECT_TRUE(message->HasEthernetClient());
  EXPECT_EQ(message->message_type, 3);
  EXPECT_EQ(AsText(message->host_name), "pump-12");
  EXPECT_EQ(message->parameter_list.size(), 4u);
  EXPECT_EQ(AsText(message->vendor_class), "MSFT 5.0");
  EXPECT_EQ(message->requested_address, 0x0a000007u);
  EXPECT_EQ(message->client_id.size(), 7u);
  EXPECT_FALSE(message->options_truncated);
}

TEST(ParseDhcp, RejectsShortPayload) {
  const std::vector<std::uint8_t> bytes(239, 0);

  EXPECT_EQ(ParseDhcp(bytes).error(), ParseError::kTruncated);
}

TEST(ParseDhcp, RejectsBadCookie) {
  auto bytes = MessageBuilder(1).Option(53, {1}).End();
  bytes[239] = 0x64;

  EXPECT_EQ(ParseDhcp(bytes).error(), ParseError::kBadCookie);
}

TEST(ParseDhcp, RejectsBadOp) {
  const auto bytes = MessageBuilder(3).End();

  EXPECT_EQ(ParseDhcp(bytes).error(), ParseError::kBadOp);
}

TEST(ParseDhcp, KeepsOptionsBeforeATruncatedOne) {
  auto bytes = MessageBuilder(1).Option(12, "infusion").Raw({60, 20, 'a'}).bytes();

  const auto message = ParseDhcp(bytes);

  ASSERT_TRUE(message);
  EXPECT_EQ(AsText(message->host_name), "infusion");
  EXPECT_TRUE(message->vendor_class.empty());
  EXPECT_TRUE(message->options_truncated);
}

TEST(ParseDhcp, KeepsTheFirstInstanceOfARepeatedOption) {
  const auto bytes = MessageBuilder(1).Option(12, "first").Option(12, "second").End();

  const auto message = ParseDhcp(bytes);

  ASSERT_TRUE(message);
  EXPECT_EQ(AsText(message->host_name), "first");
}

TEST(ParseDhcp, ReadsOverloadedFileField) {
  auto builder = MessageBuilder(1);
  builder.Option(52, {1}).Option(53, {1});
  auto bytes = builder.End();
  // The file field (offset 108) carries option 12 (RFC 2131 section 4.1).
  const std::vector<std::uint8_t> in_file = {12, 3, 'c', 't', '1', 255};
  std::copy(in_file.begin(), in_file.end(), bytes.begin() + 108);

  const auto message = ParseDhcp(bytes);

  ASSERT_TRUE(message);
  EXPECT_EQ(AsText(message->host_name), "ct1");
}

TEST(ParseDhcp, IgnoresOptionsAfterEnd) {
  auto bytes = MessageBuilder(1).End();
  bytes.insert(bytes.end(), {12, 2, 'n', 'o'});

  const auto message = ParseDhcp(bytes);

  ASSERT_TRUE(message);
  EXPECT_TRUE(message->host_name.empty());
}

TEST(MessageTypeName, NamesKnownTypesOnly) {
  EXPECT_EQ(MessageTypeName(1), "discover");
  EXPECT_EQ(MessageTypeName(5), "ack");
  EXPECT_EQ(MessageTypeName(0), "");
  EXPECT_EQ(MessageTypeName(200), "");
}

TEST(ClientFqdnName, ReadsWireAndAsciiForms) {
  const std::vector<std::uint8_t> wire = {0x05, 0, 0, 3, 'c', 't', '1', 3, 'l', 'a', 'n', 0};
  const std::vector<std::uint8_t> ascii = {0x01, 0, 0, 'c', 't', '1', '.', 'l', 'a', 'n'};
  const std::vector<std::uint8_t> broken = {0x04, 0, 0, 9, 'c', 't'};

  EXPECT_EQ(ClientFqdnName(wire), "ct1.lan");
  EXPECT_EQ(ClientFqdnName(ascii), "ct1.lan");
  EXPECT_EQ(ClientFqdnName(broken), "");
  EXPECT_EQ(ClientFqdnName(std::vector<std::uint8_t>{0x04}), "");
}

TEST(RelayAgentSubOption, FindsCircuitAndRemoteIds) {
  const std::vector<std::uint8_t> option = {1, 2, 0xab, 0xcd, 2, 1, 0x13};

  EXPECT_EQ(RelayAgentSubOption(option, 1).size(), 2u);
  EXPECT_EQ(RelayAgentSubOption(option, 2)[0], 0x13);
  EXPECT_TRUE(RelayAgentSubOption(option, 6).empty());
  EXPECT_TRUE(RelayAgentSubOption(std::vector<std::uint8_t>{1, 9, 0}, 1).empty());
}

TEST(UserClassText, JoinsInstancesOrKeepsABareString) {
  const std::vector<std::uint8_t> instances = {3, 'a', 'b', 'c', 2, 'd', 'e'};
  const std::vector<std::uint8_t> bare = {'M', 'S', 'F', 'T'};

  EXPECT_EQ(UserClassText(instances), "abc,de");
  EXPECT_EQ(UserClassText(bare), "MSFT");
}

}  // namespace
}  // namespace vigil::sensor::dhcp
