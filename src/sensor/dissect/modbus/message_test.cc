#include "sensor/dissect/modbus/message.h"

#include <gtest/gtest.h>

#include <vector>

namespace vigil::sensor::modbus {
namespace {

using ByteVector = std::vector<std::uint8_t>;

TEST(ParseFrame, ReadsARequest) {
  const ByteVector bytes{0x00, 0xd1, 0x00, 0x00, 0x00, 0x06, 0x01, 0x03, 0x00, 0x01, 0x00, 0x01};

  const auto frame = ParseFrame(bytes);

  ASSERT_TRUE(frame) << ParseErrorName(frame.error());
  EXPECT_EQ(frame->transaction, 0xd1);
  EXPECT_EQ(frame->unit, 1);
  EXPECT_EQ(frame->function, 3);
  EXPECT_EQ(frame->data.size(), 4u);
  EXPECT_EQ(frame->size, bytes.size());
  EXPECT_FALSE(frame->exception());
}

TEST(ParseFrame, ReadsAnExceptionResponse) {
  const ByteVector bytes{0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x11, 0x83, 0x02, 0xff};

  const auto frame = ParseFrame(bytes);

  ASSERT_TRUE(frame);
  EXPECT_TRUE(frame->exception());
  EXPECT_EQ(frame->base_function(), 3);
  EXPECT_EQ(frame->size, 9u);  // The trailing byte belongs to the next frame.
}

TEST(ParseFrame, TruncatedUntilComplete) {
  const ByteVector bytes{0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x01, 0x03, 0x00, 0x01, 0x00, 0x01};

  for (std::size_t n = 0; n < bytes.size(); ++n) {
    const auto frame = ParseFrame(std::span(bytes).first(n));
    ASSERT_FALSE(frame) << n;
    EXPECT_EQ(frame.error(), ParseError::kTruncated) << n;
  }
}

TEST(ParseFrame, RefusesAnotherProtocolOrImplausibleLength) {
  const ByteVector protocol{0x00, 0x01, 0x00, 0x01, 0x00, 0x02, 0x01, 0x03};
  const ByteVector too_short{0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x01};
  const ByteVector too_long{0x00, 0x01, 0x00, 0x00, 0x00, 0xff, 0x01, 0x03};

  EXPECT_EQ(ParseFrame(protocol).error(), ParseError::kMalformed);
  EXPECT_EQ(ParseFrame(too_short).error(), ParseError::kMalformed);
  EXPECT_EQ(ParseFrame(too_long).error(), ParseError::kMalformed);
}

TEST(ParseDeviceIdentification, ReadsObjects) {
  const ByteVector data{0x0e, 0x01, 0x01, 0x00, 0x00, 0x03, 0x00, 0x05, 'A', 'c', 'm', 'e',
                        '!',  0x01, 0x03, 'P',  '-',  '1',  0x02, 0x04, 'v', '2', '.', '1'};

  const auto objects = ParseDeviceIdentification(data);

  ASSERT_TRUE(objects) << ParseErrorName(objects.error());
  ASSERT_EQ(objects->size(), 3u);
  EXPECT_EQ((*objects)[0].value, "Acme!");
  EXPECT_EQ((*objects)[1].id, 1);
  EXPECT_EQ((*objects)[2].value, "v2.1");
}

TEST(ParseDeviceIdentification, RefusesTruncatedObjectsAndOtherMeiTypes) {
  const ByteVector truncated{0x0e, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x05, 'A'};
  const ByteVector can_open{0x0d, 0x01, 0x01, 0x00, 0x00, 0x00};

  EXPECT_EQ(ParseDeviceIdentification(truncated).error(), ParseError::kTruncated);
  EXPECT_EQ(ParseDeviceIdentification(can_open).error(), ParseError::kMalformed);
}

TEST(ParseDeviceIdentification, KeepsAtMost16Objects) {
  ByteVector data{0x0e, 0x03, 0x83, 0x00, 0x00, 100};
  for (int i = 0; i < 100; ++i) data.insert(data.end(), {static_cast<std::uint8_t>(i), 1, 'x'});

  const auto objects = ParseDeviceIdentification(data);

  ASSERT_TRUE(objects);
  EXPECT_EQ(objects->size(), kMaxObjects);
}

TEST(FunctionName, NamesFunctionsAndWrites) {
  EXPECT_EQ(FunctionName(3), "read_holding_registers");
  EXPECT_EQ(FunctionName(99), "function_99");
  EXPECT_TRUE(IsWrite(16));
  EXPECT_TRUE(IsWrite(23));
  EXPECT_FALSE(IsWrite(3));
  EXPECT_EQ(ExceptionName(2), "illegal_data_address");
}

}  // namespace
}  // namespace vigil::sensor::modbus
