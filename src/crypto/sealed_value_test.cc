#include "crypto/sealed_value.h"

#include <gtest/gtest.h>

#include <vector>

namespace vigil::crypto {
namespace {

std::vector<std::uint8_t> Sealed(std::uint8_t algorithm, std::uint32_t version,
                                 std::size_t body_size) {
  std::vector<std::uint8_t> out = {
      algorithm, static_cast<std::uint8_t>(version >> 24), static_cast<std::uint8_t>(version >> 16),
      static_cast<std::uint8_t>(version >> 8), static_cast<std::uint8_t>(version)};
  for (std::size_t i = 0; i < kSealedNonceSize + body_size; ++i) {
    out.push_back(static_cast<std::uint8_t>(i));
  }
  return out;
}

TEST(ParseSealedHeader, SplitsHeaderNonceAndBody) {
  const auto bytes = Sealed(0x01, 0x01020304, 20);

  const auto parsed = ParseSealedHeader(bytes);

  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->algorithm, kSealedAes256Gcm);
  EXPECT_EQ(parsed->version, 0x01020304u);
  EXPECT_EQ(parsed->header.data(), bytes.data());
  EXPECT_EQ(parsed->header.size(), 5u);
  EXPECT_EQ(parsed->nonce.data(), bytes.data() + 5);
  EXPECT_EQ(parsed->nonce.size(), 12u);
  EXPECT_EQ(parsed->ciphertext_and_tag.data(), bytes.data() + 17);
  EXPECT_EQ(parsed->ciphertext_and_tag.size(), 20u);
}

TEST(ParseSealedHeader, AcceptsEmptyCiphertext) {
  const auto bytes = Sealed(0x01, 7, kSealedTagSize);

  const auto parsed = ParseSealedHeader(bytes);

  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->ciphertext_and_tag.size(), kSealedTagSize);
}

TEST(ParseSealedHeader, RejectsInputShorterThanOverhead) {
  const auto bytes = Sealed(0x01, 1, kSealedTagSize - 1);

  const auto parsed = ParseSealedHeader(bytes);

  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
}

TEST(ParseSealedHeader, RejectsUnknownAlgorithm) {
  const auto bytes = Sealed(0x02, 1, 20);

  const auto parsed = ParseSealedHeader(bytes);

  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
}

TEST(ParseSealedHeader, RejectsEmptyInput) {
  const auto parsed = ParseSealedHeader({});

  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
}

TEST(EncodeSealedHeader, WritesAlgorithmAndBigEndianVersion) {
  const auto header = EncodeSealedHeader(0xa1b2c3d4);

  EXPECT_EQ(header, (std::array<std::uint8_t, 5>{0x01, 0xa1, 0xb2, 0xc3, 0xd4}));
}

}  // namespace
}  // namespace vigil::crypto
