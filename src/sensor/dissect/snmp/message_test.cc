#include "sensor/dissect/snmp/message.h"

#include <gtest/gtest.h>

#include "sensor/dissect/snmp/snmp_builders_test.h"

namespace vigil::sensor::snmp {
namespace {

TEST(ParseSnmp, ReadsAV2cResponseWithSystemValues) {
  const ByteVector bytes = Community(
      1, "public",
      Pdu(0xa2, Cat({Binding(SysDescrOid(), Str("Infusion pump 7.2")),
                     Binding(SysObjectIdOid(), VendorOid()), Binding(SysNameOid(), Str("ip-7"))})));

  const auto message = ParseSnmp(bytes);

  ASSERT_TRUE(message) << ParseErrorName(message.error());
  EXPECT_EQ(message->version, Version::kV2c);
  EXPECT_EQ(message->community, "public");
  EXPECT_EQ(message->pdu, PduType::kResponse);
  ASSERT_EQ(message->varbinds.size(), 3u);
  EXPECT_EQ(message->varbinds[0].oid, "1.3.6.1.2.1.1.1.0");
  EXPECT_EQ(message->varbinds[0].value, "Infusion pump 7.2");
  EXPECT_EQ(message->varbinds[1].value, "1.3.6.1.4.1.9.1.1208");
  EXPECT_EQ(message->varbinds[2].value_tag, kTagOctetString);
}

TEST(ParseSnmp, ReadsAV1Trap) {
  const ByteVector trap =
      Ber(0xa4, Cat({VendorOid(), Ber(0x40, {10, 0, 0, 7}), Int(6), Int(1), Ber(0x43, {0x10}),
                     Ber(0x30, Binding(SysNameOid(), Str("ip-7")))}));

  const auto message = ParseSnmp(Community(0, "private", trap));

  ASSERT_TRUE(message) << ParseErrorName(message.error());
  EXPECT_EQ(message->version, Version::kV1);
  EXPECT_EQ(message->pdu, PduType::kTrapV1);
  ASSERT_EQ(message->varbinds.size(), 1u);
  EXPECT_EQ(message->varbinds[0].value, "ip-7");
  EXPECT_TRUE(SentByAgent(message->pdu));
}

TEST(ParseSnmp, ReadsAV3UserAndFlags) {
  const ByteVector bytes =
      V3("NOAUTHNOPRIV", 0x04, Scoped(Pdu(0xa0, Binding(SysNameOid(), Null()))));

  const auto message = ParseSnmp(bytes);

  ASSERT_TRUE(message) << ParseErrorName(message.error());
  EXPECT_EQ(message->version, Version::kV3);
  EXPECT_EQ(message->user_name, "NOAUTHNOPRIV");
  EXPECT_FALSE(message->auth);
  EXPECT_FALSE(message->priv);
  EXPECT_EQ(message->pdu, PduType::kGetRequest);
  EXPECT_TRUE(message->community.empty());
}

TEST(ParseSnmp, LeavesAnEncryptedV3PduUnread) {
  const auto message = ParseSnmp(V3("ops", 0x07, Str("\x8f\x12\x33 ciphertext")));

  ASSERT_TRUE(message) << ParseErrorName(message.error());
  EXPECT_TRUE(message->auth);
  EXPECT_TRUE(message->priv);
  EXPECT_EQ(message->pdu, PduType::kUnknown);
  EXPECT_EQ(message->user_name, "ops");
}

TEST(ParseSnmp, RefusesOtherVersions) {
  const auto message = ParseSnmp(Community(2, "public", Pdu(0xa0, {})));

  ASSERT_FALSE(message);
  EXPECT_EQ(message.error(), ParseError::kUnsupported);
}

TEST(ParseSnmp, KeepsAtMost32VarBinds) {
  ByteVector varbinds;
  for (int i = 0; i < 40; ++i) varbinds = Cat({varbinds, Binding(SysNameOid(), Null())});

  const auto message = ParseSnmp(Community(1, "public", Pdu(0xa0, varbinds)));

  ASSERT_TRUE(message);
  EXPECT_EQ(message->varbinds.size(), kMaxVarBinds);
}

TEST(ParseSnmp, CutsLongStrings) {
  const auto message = ParseSnmp(Community(
      1, std::string(100, 'c'), Pdu(0xa2, Binding(SysDescrOid(), Str(std::string(1000, 'd'))))));

  ASSERT_TRUE(message);
  EXPECT_EQ(message->community.size(), kMaxCommunityBytes);
  EXPECT_EQ(message->varbinds[0].value.size(), kMaxValueBytes);
}

TEST(ParseSnmp, EveryTruncationFailsCleanly) {
  const ByteVector bytes =
      V3("user", 0x05, Scoped(Pdu(0xa2, Binding(SysDescrOid(), Str("Infusion pump")))));

  for (std::size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(ParseSnmp(std::span(bytes).first(n))) << n;
  }
}

TEST(ParseSnmp, RefusesAPduTagOutsideTheList) {
  const auto message = ParseSnmp(Community(1, "public", Ber(0xb0, {})));

  ASSERT_FALSE(message);
  EXPECT_EQ(message.error(), ParseError::kMalformed);
}

}  // namespace
}  // namespace vigil::sensor::snmp
