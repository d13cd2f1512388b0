#include "crypto/ed25519.h"

#include <gtest/gtest.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/hex.h"
#include "crypto/hash.h"
#include "testing/fixtures.h"

namespace vigil::crypto {
namespace {

std::vector<std::uint8_t> Hex(std::string_view hex) {
  auto bytes = HexDecode(hex);
  EXPECT_TRUE(bytes) << "bad hex in test: " << hex;
  return bytes ? *bytes : std::vector<std::uint8_t>{};
}

// RFC 8032 section 7.1, TEST 1 (empty message).
constexpr std::string_view kRfcPrivate =
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
constexpr std::string_view kRfcPublic =
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
constexpr std::string_view kRfcSignature =
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b4"
    "6bd25bf5f0595bbe24655141438e7a100b";

TEST(Ed25519PublicKeyFromPrivate, MatchesRfc8032Test1) {
  const auto public_key = Ed25519PublicKeyFromPrivate(Hex(kRfcPrivate));

  ASSERT_TRUE(public_key) << public_key.error().message;
  EXPECT_EQ(HexEncode(*public_key), kRfcPublic);
}

TEST(Ed25519Sign, MatchesRfc8032Test1) {
  const auto signature = Ed25519Sign(Hex(kRfcPrivate), {});

  ASSERT_TRUE(signature) << signature.error().message;
  EXPECT_EQ(HexEncode(*signature), kRfcSignature);
}

TEST(Ed25519Verify, AcceptsRfc8032Test1) {
  EXPECT_TRUE(Ed25519Verify(Hex(kRfcPublic), {}, Hex(kRfcSignature)));
}

TEST(GenerateEd25519KeyPair, SignaturesVerifyUnderItsPublicKey) {
  const auto pair = GenerateEd25519KeyPair();
  ASSERT_TRUE(pair) << pair.error().message;

  const auto signature = Ed25519Sign(pair->private_key.span(), AsBytes("firmware image"));

  ASSERT_TRUE(signature);
  EXPECT_TRUE(Ed25519Verify(pair->public_key, AsBytes("firmware image"), *signature));
}

TEST(GenerateEd25519KeyPair, TwoPairsDiffer) {
  const auto a = GenerateEd25519KeyPair();
  const auto b = GenerateEd25519KeyPair();

  ASSERT_TRUE(a && b);
  EXPECT_NE(a->public_key, b->public_key);
}

TEST(Ed25519Verify, RejectsAlteredMessage) {
  const auto pair = GenerateEd25519KeyPair();
  ASSERT_TRUE(pair);
  const auto signature = Ed25519Sign(pair->private_key.span(), AsBytes("firmware image"));
  ASSERT_TRUE(signature);

  EXPECT_FALSE(Ed25519Verify(pair->public_key, AsBytes("firmware imagE"), *signature));
}

TEST(Ed25519Verify, RejectsWrongLengths) {
  const auto signature = Hex(kRfcSignature);
  const auto public_key = Hex(kRfcPublic);

  EXPECT_FALSE(Ed25519Verify(std::span(public_key).first(31), {}, signature));
  EXPECT_FALSE(Ed25519Verify(public_key, {}, std::span(signature).first(63)));
}

TEST(Ed25519Sign, RejectsShortPrivateKey) {
  const std::vector<std::uint8_t> key(31, 1);

  const auto signature = Ed25519Sign(key, {});

  ASSERT_FALSE(signature);
  EXPECT_EQ(signature.error().code, ErrorCode::kInvalidArgument);
}

// All of Wycheproof's Ed25519 verification cases. "valid" must verify and "invalid" must not;
// "acceptable" (none in the current file) may go either way and is only counted.
TEST(Ed25519Verify, WycheproofVectors) {
  VIGIL_REQUIRE_FIXTURE(path, "wycheproof/ed25519_test.json");
  const auto doc = nlohmann::json::parse(vigil::testing::ReadFileOrEmpty(path), nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << "cannot parse " << path;
  int valid = 0, invalid = 0, acceptable = 0;

  for (const auto& group : doc.at("testGroups")) {
    const auto public_key = Hex(group.at("publicKey").at("pk").get<std::string>());
    for (const auto& t : group.at("tests")) {
      SCOPED_TRACE("tcId " + std::to_string(t.at("tcId").get<int>()) + " " +
                   t.at("comment").get<std::string>());
      const bool verified = Ed25519Verify(public_key, Hex(t.at("msg").get<std::string>()),
                                          Hex(t.at("sig").get<std::string>()));
      const std::string result = t.at("result");
      if (result == "valid") {
        ++valid;
        EXPECT_TRUE(verified);
      } else if (result == "invalid") {
        ++invalid;
        EXPECT_FALSE(verified);
      } else {
        ++acceptable;
      }
    }
  }

  std::cout << "wycheproof ed25519: " << valid << " valid, " << invalid << " invalid, "
            << acceptable << " acceptable cases run, 0 skipped\n";
  RecordProperty("wycheproof_ed25519_cases_run", valid + invalid + acceptable);
  EXPECT_GT(valid, 0);
  EXPECT_GT(invalid, 0);
  EXPECT_EQ(valid + invalid + acceptable, doc.at("numberOfTests").get<int>());
}

}  // namespace
}  // namespace vigil::crypto
