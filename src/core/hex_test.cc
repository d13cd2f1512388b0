#include "core/hex.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(Hex, RoundTrips) {
  const std::vector<std::uint8_t> bytes = {0x00, 0x7f, 0x80, 0xff, 0x1a};

  const auto decoded = HexDecode(HexEncode(bytes));

  EXPECT_EQ(HexEncode(bytes), "007f80ff1a");
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, bytes);
}

TEST(Hex, AcceptsUppercase) {
  const auto decoded = HexDecode("ABcd");

  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, (std::vector<std::uint8_t>{0xab, 0xcd}));
}

TEST(Hex, RejectsOddLengthAndNonHex) {
  EXPECT_EQ(HexDecode("abc").error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(HexDecode("zz"));
  EXPECT_NE(HexDecode("00g0").error().message.find("offset 2"), std::string::npos);
}

}  // namespace
}  // namespace vigil
