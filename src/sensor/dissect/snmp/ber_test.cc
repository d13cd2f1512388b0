#include "sensor/dissect/snmp/ber.h"

#include <gtest/gtest.h>

#include <vector>

namespace vigil::sensor::snmp {
namespace {

using ByteVector = std::vector<std::uint8_t>;

TEST(BerReader, ReadsShortAndLongLengths) {
  ByteVector bytes{0x04, 0x02, 'h', 'i', 0x04, 0x81, 0x01, 'x'};
  BerReader reader(bytes);

  const auto first = reader.Next();
  const auto second = reader.Next();

  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->content.size(), 2u);
  EXPECT_EQ(second->content.size(), 1u);
  EXPECT_TRUE(reader.empty());
}

TEST(BerReader, RefusesIndefiniteAndFiveByteLengths) {
  const ByteVector indefinite{0x30, 0x80, 0x00, 0x00};
  const ByteVector five{0x30, 0x85, 0, 0, 0, 0, 1, 0};

  EXPECT_EQ(BerReader(indefinite).Next().error(), ParseError::kMalformed);
  EXPECT_EQ(BerReader(five).Next().error(), ParseError::kMalformed);
}

TEST(BerReader, RefusesMultiByteTags) {
  const ByteVector tag{0x1f, 0x81, 0x01, 0x00};

  EXPECT_EQ(BerReader(tag).Next().error(), ParseError::kMalformed);
}

TEST(BerReader, TruncatedContentIsAnError) {
  const ByteVector bytes{0x04, 0x05, 'a', 'b'};
  const ByteVector long_form{0x04, 0x82, 0x01};

  EXPECT_EQ(BerReader(bytes).Next().error(), ParseError::kTruncated);
  EXPECT_EQ(BerReader(long_form).Next().error(), ParseError::kTruncated);
}

TEST(DecodeInteger, SignExtends) {
  EXPECT_EQ(DecodeInteger(ByteVector{0x7f}).value(), 127);
  EXPECT_EQ(DecodeInteger(ByteVector{0xff}).value(), -1);
  EXPECT_EQ(DecodeInteger(ByteVector{0x01, 0x00}).value(), 256);
  EXPECT_FALSE(DecodeInteger(ByteVector{}));
  EXPECT_FALSE(DecodeInteger(ByteVector(9, 0x01)));
}

TEST(DecodeOid, ReadsDottedForm) {
  EXPECT_EQ(DecodeOid(ByteVector{0x2b, 6, 1, 2, 1, 1, 5, 0}).value(), "1.3.6.1.2.1.1.5.0");
  EXPECT_EQ(DecodeOid(ByteVector{0x2b, 6, 1, 4, 1, 9, 1, 0x89, 0x38}).value(),
            "1.3.6.1.4.1.9.1.1208");
  EXPECT_EQ(DecodeOid(ByteVector{0x88, 0x37}).value(), "2.999");
}

TEST(DecodeOid, RefusesBadEncodings) {
  EXPECT_EQ(DecodeOid(ByteVector{0x2b, 0x86}).error(), ParseError::kTruncated);
  EXPECT_EQ(DecodeOid(ByteVector{0x2b, 0x80, 0x01}).error(), ParseError::kMalformed);
  EXPECT_EQ(DecodeOid(ByteVector{0x2b, 0x90, 0x80, 0x80, 0x80, 0x00}).error(),
            ParseError::kMalformed);
  EXPECT_FALSE(DecodeOid(ByteVector{}));
  EXPECT_FALSE(DecodeOid(ByteVector(100, 0x01)));  // More than 64 arcs.
}

}  // namespace
}  // namespace vigil::sensor::snmp
