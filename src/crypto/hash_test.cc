#include "crypto/hash.h"

#include <gtest/gtest.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/hex.h"
#include "testing/fixtures.h"

namespace vigil::crypto {
namespace {

std::vector<std::uint8_t> Hex(std::string_view hex) {
  auto bytes = HexDecode(hex);
  EXPECT_TRUE(bytes) << "bad hex in test: " << hex;
  return bytes ? *bytes : std::vector<std::uint8_t>{};
}

template <typename Bytes>
std::string ToHex(const Bytes& bytes) {
  return HexEncode(std::span<const std::uint8_t>(bytes.data(), bytes.size()));
}

// FIPS 180-2 appendix B.1.
TEST(Sha256, KnownAnswerAbc) {
  EXPECT_EQ(ToHex(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, KnownAnswerEmpty) {
  EXPECT_EQ(ToHex(Sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

// RFC 1321 appendix A.5.
TEST(Md5, KnownAnswers) {
  EXPECT_EQ(ToHex(Md5("")), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(ToHex(Md5("abc")), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(
      ToHex(
          Md5("12345678901234567890123456789012345678901234567890123456789012345678901234567890")),
      "57edf4a22be3c955ac49da2e2107b67a");
}

TEST(Sha256Context, IncrementalMatchesOneShot) {
  Sha256Context ctx;

  ctx.Update("hello, ");
  ctx.Update("world");
  const auto digest = ctx.Finish();

  EXPECT_EQ(digest, Sha256("hello, world"));
}

TEST(Sha256Context, FinishResetsForTheNextMessage) {
  Sha256Context ctx;
  ctx.Update("first message");
  (void)ctx.Finish();

  ctx.Update("abc");
  const auto digest = ctx.Finish();

  EXPECT_EQ(digest, Sha256("abc"));
}

// RFC 4231 test case 1.
TEST(HmacSha256, Rfc4231Case1) {
  const auto key = Hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");

  const auto mac = HmacSha256(key, AsBytes("Hi There"));

  EXPECT_EQ(ToHex(mac), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

// RFC 4231 test case 2.
TEST(HmacSha256, Rfc4231Case2) {
  const auto mac = HmacSha256(AsBytes("Jefe"), AsBytes("what do ya want for nothing?"));

  EXPECT_EQ(ToHex(mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

// RFC 4231 test case 6: a key longer than the block size is hashed first.
TEST(HmacSha256, Rfc4231Case6LongKey) {
  const std::vector<std::uint8_t> key(131, 0xaa);

  const auto mac =
      HmacSha256(key, AsBytes("Test Using Larger Than Block-Size Key - Hash Key First"));

  EXPECT_EQ(ToHex(mac), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(HmacSha256, EmptyKeyAndMessage) {
  const auto mac = HmacSha256({}, {});

  EXPECT_EQ(ToHex(mac), "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(HmacSha256Context, KeepsItsKeyAcrossMessages) {
  const auto key = AsBytes("audit key");
  HmacSha256Context ctx(key);

  const auto first = ctx.Compute(AsBytes("entry 1"));
  const auto second = ctx.Compute(AsBytes("entry 2"));

  EXPECT_EQ(first, HmacSha256(key, AsBytes("entry 1")));
  EXPECT_EQ(second, HmacSha256(key, AsBytes("entry 2")));
}

TEST(HmacSha256Context, IncrementalMatchesOneShot) {
  HmacSha256Context ctx(AsBytes("Jefe"));

  ctx.Update("what do ya want ");
  ctx.Update("for nothing?");
  const auto mac = ctx.Finish();

  EXPECT_EQ(mac, HmacSha256(AsBytes("Jefe"), AsBytes("what do ya want for nothing?")));
}

TEST(HmacSha256Context, MovedContextKeepsWorking) {
  HmacSha256Context original(AsBytes("Jefe"));

  HmacSha256Context moved(std::move(original));
  const auto mac = moved.Compute(AsBytes("what do ya want for nothing?"));

  EXPECT_EQ(ToHex(mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(ConstantTimeEquals, EqualBytes) {
  EXPECT_TRUE(ConstantTimeEquals(AsBytes("same"), AsBytes("same")));
}

TEST(ConstantTimeEquals, LastByteDiffers) {
  EXPECT_FALSE(ConstantTimeEquals(AsBytes("same"), AsBytes("samf")));
}

TEST(ConstantTimeEquals, LengthsDiffer) {
  EXPECT_FALSE(ConstantTimeEquals(AsBytes("same"), AsBytes("sam")));
}

// RFC 5869 appendix A.1, so a fresh clone tests HKDF without the shared fixtures.
TEST(HkdfSha256, Rfc5869Case1) {
  const auto ikm = Hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
  const auto salt = Hex("000102030405060708090a0b0c");
  const auto info = Hex("f0f1f2f3f4f5f6f7f8f9");

  const auto okm = HkdfSha256(ikm, salt, info, 42);

  ASSERT_TRUE(okm) << okm.error().message;
  EXPECT_EQ(ToHex(okm->span()),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

TEST(HkdfSha256, RejectsOutputAbove255Blocks) {
  const auto okm = HkdfSha256(AsBytes("ikm"), {}, {}, kHkdfSha256MaxSize + 1);

  ASSERT_FALSE(okm);
  EXPECT_EQ(okm.error().code, ErrorCode::kInvalidArgument);
}

TEST(HkdfSha256, RejectsEmptyOutput) {
  const auto okm = HkdfSha256(AsBytes("ikm"), {}, {}, 0);

  ASSERT_FALSE(okm);
  EXPECT_EQ(okm.error().code, ErrorCode::kInvalidArgument);
}

// Every case of Wycheproof's HKDF-SHA-256 file: valid ones must give `okm`, invalid ones (an
// output size above 255 blocks) must be refused.
TEST(HkdfSha256, WycheproofVectors) {
  VIGIL_REQUIRE_FIXTURE(path, "wycheproof/hkdf_sha256_test.json");
  const auto doc = nlohmann::json::parse(vigil::testing::ReadFileOrEmpty(path), nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << "cannot parse " << path;
  int valid = 0, invalid = 0;

  for (const auto& group : doc.at("testGroups")) {
    for (const auto& t : group.at("tests")) {
      SCOPED_TRACE("tcId " + std::to_string(t.at("tcId").get<int>()));
      const auto okm =
          HkdfSha256(Hex(t.at("ikm").get<std::string>()), Hex(t.at("salt").get<std::string>()),
                     Hex(t.at("info").get<std::string>()), t.at("size").get<size_t>());
      if (t.at("result") == "valid") {
        ++valid;
        ASSERT_TRUE(okm) << okm.error().message;
        EXPECT_EQ(ToHex(okm->span()), t.at("okm").get<std::string>());
      } else {
        ++invalid;
        ASSERT_FALSE(okm);
        EXPECT_EQ(okm.error().code, ErrorCode::kInvalidArgument);
      }
    }
  }

  std::cout << "wycheproof hkdf-sha256: " << valid << " valid and " << invalid
            << " invalid cases run, 0 skipped\n";
  RecordProperty("wycheproof_hkdf_cases_run", valid + invalid);
  EXPECT_GT(valid, 0);
  EXPECT_EQ(valid + invalid, doc.at("numberOfTests").get<int>());
}

}  // namespace
}  // namespace vigil::crypto
