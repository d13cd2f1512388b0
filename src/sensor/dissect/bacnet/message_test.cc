#include "sensor/dissect/bacnet/message.h"

#include <gtest/gtest.h>

#include "sensor/dissect/bacnet/bacnet_builders_test.h"

namespace vigil::sensor::bacnet {
namespace {

TEST(ParseBacnet, ReadsWhoIs) {
  const auto message = ParseBacnet(WhoIs());

  ASSERT_TRUE(message) << ParseErrorName(message.error());
  EXPECT_EQ(message->bvlc_function, 0x0b);
  EXPECT_TRUE(message->has_apdu);
  EXPECT_EQ(message->apdu_type, ApduType::kUnconfirmedRequest);
  EXPECT_EQ(ServiceName(message->apdu_type, *message->service), "who_is");
}

TEST(ParseBacnet, ReadsIAm) {
  const auto message = ParseBacnet(IAmOf(1234));

  ASSERT_TRUE(message) << ParseErrorName(message.error());
  ASSERT_TRUE(message->i_am);
  EXPECT_EQ(message->i_am->object_type, kObjectDevice);
  EXPECT_EQ(message->i_am->instance, 1234u);
  EXPECT_EQ(message->i_am->vendor_id, 260u);
}

TEST(ParseBacnet, ReadsAReadPropertyAck) {
  const auto message = ParseBacnet(ReadPropertyAck(77, "AHU-2 controller"));

  ASSERT_TRUE(message) << ParseErrorName(message.error());
  ASSERT_TRUE(message->property);
  EXPECT_EQ(message->property->object_type, kObjectDevice);
  EXPECT_EQ(message->property->instance, 1234u);
  EXPECT_EQ(message->property->property, 77u);
  EXPECT_EQ(message->property->value, "AHU-2 controller");
}

TEST(ParseBacnet, ReadsTheSourceOfAForwardedNpdu) {
  ByteVector forwarded = IAmOf(7);
  forwarded[1] = kForwardedNpdu;
  forwarded.insert(forwarded.begin() + 4, {192, 168, 5, 9, 0xba, 0xc0});
  forwarded[3] = static_cast<std::uint8_t>(forwarded.size());

  const auto message = ParseBacnet(forwarded);

  ASSERT_TRUE(message) << ParseErrorName(message.error());
  ASSERT_TRUE(message->forwarded_ip);
  EXPECT_EQ((*message->forwarded_ip)[3], 9);
  EXPECT_EQ(message->forwarded_port, 47808);
  EXPECT_EQ(message->i_am->instance, 7u);
}

TEST(ParseBacnet, ReadsANetworkLayerMessage) {
  ByteVector bytes = Bvlc(0x0b, {0x00, 0x00});
  bytes[5] = 0x80;  // Control: network layer message; type 0 (Who-Is-Router-To-Network).

  const auto message = ParseBacnet(bytes);

  ASSERT_TRUE(message);
  EXPECT_EQ(message->network_message, 0);
  EXPECT_FALSE(message->has_apdu);
}

TEST(ParseBacnet, SkipsRoutingAddresses) {
  // NPDU control 0x28: destination (network 1, address 07) and source (network 2, address 09)
  // specifiers, then the hop count, then a Who-Is.
  const ByteVector routed = Bvlc(
      0x0a, {0x01, 0x28, 0x00, 0x01, 0x01, 0x07, 0x00, 0x02, 0x01, 0x09, 0xff, 0x10, 0x08}, false);

  const auto message = ParseBacnet(routed);

  ASSERT_TRUE(message) << ParseErrorName(message.error());
  ASSERT_TRUE(message->service);
  EXPECT_EQ(ServiceName(message->apdu_type, *message->service), "who_is");
}

TEST(ParseBacnet, RefusesOtherTypesAndBadLengths) {
  ByteVector other = WhoIs();
  other[0] = 0x82;
  ByteVector long_length = WhoIs();
  long_length[3] = 0x40;
  ByteVector bad_version = WhoIs();
  bad_version[4] = 2;

  EXPECT_EQ(ParseBacnet(other).error(), ParseError::kMalformed);
  EXPECT_EQ(ParseBacnet(long_length).error(), ParseError::kTruncated);
  EXPECT_EQ(ParseBacnet(bad_version).error(), ParseError::kMalformed);
}

TEST(ParseBacnet, TruncatedServiceDataIsLeftUnread) {
  const ByteVector ack = ReadPropertyAck(121, "Acme Controls");

  for (std::size_t n = 4; n + 1 < ack.size(); ++n) {  // Cut before the value's end.
    ByteVector cut(ack.begin(), ack.begin() + static_cast<long>(n));
    cut[3] = static_cast<std::uint8_t>(n);
    const auto message = ParseBacnet(cut);
    if (message) {
      EXPECT_FALSE(message->property) << n;
    }
  }
}

TEST(ServiceName, NamesConfirmedAndUnconfirmedServices) {
  EXPECT_EQ(ServiceName(ApduType::kConfirmedRequest, 15), "write_property");
  EXPECT_EQ(ServiceName(ApduType::kUnconfirmedRequest, 0), "i_am");
  EXPECT_EQ(ServiceName(ApduType::kConfirmedRequest, 200), "service_200");
  EXPECT_EQ(BvlcFunctionName(0x04), "forwarded_npdu");
  EXPECT_EQ(ApduTypeName(ApduType::kError), "error");
}

}  // namespace
}  // namespace vigil::sensor::bacnet
