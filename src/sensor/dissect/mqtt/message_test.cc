#include "sensor/dissect/mqtt/message.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vigil::sensor::mqtt {
namespace {

using ::testing::ElementsAre;
using Bytes = std::vector<std::uint8_t>;

Bytes Str(std::string_view s) {
  Bytes out = {static_cast<std::uint8_t>(s.size() >> 8), static_cast<std::uint8_t>(s.size())};
  out.insert(out.end(), s.begin(), s.end());
  return out;
}

Bytes Cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

TEST(ReadFixedHeader, RefusesFlagsTheTypeMustNotCarry) {
  FixedHeader header;

  EXPECT_EQ(ReadFixedHeader(Bytes{0x10, 0x00}, header), HeaderStatus::kOk);  // CONNECT
  EXPECT_EQ(ReadFixedHeader(Bytes{0x3B, 0x00}, header), HeaderStatus::kOk);  // PUBLISH QoS 1
  EXPECT_EQ(ReadFixedHeader(Bytes{0x62, 0x02}, header), HeaderStatus::kOk);  // PUBREL
  EXPECT_EQ(ReadFixedHeader(Bytes{0x82, 0x05}, header), HeaderStatus::kOk);  // SUBSCRIBE
  EXPECT_EQ(ReadFixedHeader(Bytes{0xA2, 0x05}, header), HeaderStatus::kOk);  // UNSUBSCRIBE
  EXPECT_EQ(ReadFixedHeader(Bytes{0x11, 0x00}, header), HeaderStatus::kInvalid);
  EXPECT_EQ(ReadFixedHeader(Bytes{0x36, 0x00}, header), HeaderStatus::kInvalid);  // QoS 3
  EXPECT_EQ(ReadFixedHeader(Bytes{0x60, 0x02}, header), HeaderStatus::kInvalid);
  EXPECT_EQ(ReadFixedHeader(Bytes{0x80, 0x05}, header), HeaderStatus::kInvalid);
  EXPECT_EQ(ReadFixedHeader(Bytes{0xE8}, header), HeaderStatus::kInvalid) << "before the length";
}

TEST(ReadFixedHeader, ReadsVariableLengthRemainingLength) {
  FixedHeader header;

  ASSERT_EQ(ReadFixedHeader(Bytes{0x30, 0xC1, 0x02}, header), HeaderStatus::kOk);

  EXPECT_EQ(header.type, 3);
  EXPECT_EQ(header.flags, 0);
  EXPECT_EQ(header.remaining_length, 321u);
  EXPECT_EQ(header.header_bytes, 3);
  EXPECT_EQ(ReadFixedHeader(Bytes{0x30, 0xFF, 0xFF, 0xFF, 0x7F}, header), HeaderStatus::kOk);
  EXPECT_EQ(header.remaining_length, 268435455u);
  EXPECT_EQ(ReadFixedHeader(Bytes{0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}, header),
            HeaderStatus::kInvalid);
  EXPECT_EQ(ReadFixedHeader(Bytes{0x30, 0xFF}, header), HeaderStatus::kIncomplete);
  EXPECT_EQ(ReadFixedHeader(Bytes{}, header), HeaderStatus::kIncomplete);
  EXPECT_EQ(ReadFixedHeader(Bytes{0x00, 0x00}, header), HeaderStatus::kInvalid);
}

TEST(ParseConnect, ReadsFlagsKeepaliveAndClientId) {
  const Bytes body =
      Cat({Str("MQTT"), {4, 0xC2, 0, 60}, Str("pump-0042"), Str("nurse"), Str("secret")});

  const auto connect = ParseConnect(body);

  ASSERT_TRUE(connect) << connect.error().message;
  EXPECT_EQ(connect->protocol_name, "MQTT");
  EXPECT_EQ(connect->level, 4);
  EXPECT_TRUE(connect->username);
  EXPECT_TRUE(connect->password);
  EXPECT_TRUE(connect->clean_session);
  EXPECT_FALSE(connect->will);
  EXPECT_EQ(connect->keepalive, 60);
  EXPECT_EQ(connect->client_id, "pump-0042");
}

TEST(ParseConnect, SkipsMqtt5Properties) {
  const Bytes body = Cat({Str("MQTT"), {5, 0x02, 0, 30, 5, 0x11, 0, 0, 0, 10}, Str("mon-7")});

  const auto connect = ParseConnect(body);

  ASSERT_TRUE(connect) << connect.error().message;
  EXPECT_EQ(connect->level, 5);
  EXPECT_EQ(connect->client_id, "mon-7");
  EXPECT_EQ(VersionName(connect->level), "5.0");
}

TEST(ParseConnect, ReadsMqtt31) {
  const auto connect = ParseConnect(Cat({Str("MQIsdp"), {3, 0x02, 0, 10}, Str("paho/1")}));

  ASSERT_TRUE(connect);
  EXPECT_EQ(connect->protocol_name, "MQIsdp");
  EXPECT_EQ(VersionName(connect->level), "3.1");
}

TEST(ParseConnect, RejectsMalformed) {
  EXPECT_FALSE(ParseConnect(Cat({Str("MQTT"), {4, 0x02, 0}})));
  EXPECT_FALSE(ParseConnect(Cat({Str("HTTP"), {4, 0x02, 0, 60}, Str("x")})));
  EXPECT_FALSE(ParseConnect(Cat({Str("MQTT"), {4, 0x03, 0, 60}, Str("x")})));
  EXPECT_FALSE(ParseConnect(Cat({Str("MQTT"), {4, 0x02, 0, 60}, {0, 9, 'a'}})));
  EXPECT_FALSE(ParseConnect(Cat({Str("MQTT"), {5, 0x02, 0, 60, 0x80}})));
}

TEST(ParseConnect, BoundsClientId) {
  const auto connect =
      ParseConnect(Cat({Str("MQTT"), {4, 0x02, 0, 60}, Str(std::string(1000, 'c'))}));

  ASSERT_TRUE(connect);
  EXPECT_EQ(connect->client_id.size(), kMaxStringBytes);
}

TEST(ParseConnack, ReadsCodeAndNamesIt) {
  const auto connack = ParseConnack(Bytes{0x01, 0x05});

  ASSERT_TRUE(connack);
  EXPECT_TRUE(connack->session_present);
  EXPECT_EQ(ConnackCodeName(connack->code, 4), "not_authorized");
  EXPECT_EQ(ConnackCodeName(0x87, 5), "not_authorized");
  EXPECT_EQ(ConnackCodeName(0x86, 5), "bad_user_name_or_password");
  EXPECT_EQ(ConnackCodeName(9, 4), "");
  EXPECT_FALSE(ParseConnack(Bytes{0x00}));
}

TEST(ParsePublishTopic, ReadsTopicFromAPrefix) {
  const auto topic = ParsePublishTopic(Cat({Str("ward7/pump/rate"), {0, 1}}));

  ASSERT_TRUE(topic);
  EXPECT_EQ(*topic, "ward7/pump/rate");
  EXPECT_FALSE(ParsePublishTopic(Bytes{0, 10, 'a'}));
}

TEST(ParseSubscribeTopics, ReadsFiltersWithinBound) {
  const Bytes body = Cat({{0, 1}, Str("a/#"), {0}, Str("b/+"), {1}, Str("c"), {0}});

  EXPECT_THAT(*ParseSubscribeTopics(body, 4, 16), ElementsAre("a/#", "b/+", "c"));
  EXPECT_THAT(*ParseSubscribeTopics(body, 4, 2), ElementsAre("a/#", "b/+"));
}

TEST(ParseSubscribeTopics, SkipsMqtt5Properties) {
  const Bytes body = Cat({{0, 1, 2, 0x0B, 7}, Str("alarms/+"), {0}});

  EXPECT_THAT(*ParseSubscribeTopics(body, 5, 16), ElementsAre("alarms/+"));
  EXPECT_FALSE(ParseSubscribeTopics(Bytes{0, 1}, 4, 16));
}

}  // namespace
}  // namespace vigil::sensor::mqtt
