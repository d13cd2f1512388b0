#include "crypto/aead.h"

#include <gtest/gtest.h>

#include <iostream>
#include <map>
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

std::vector<std::uint8_t> ToVector(const SecretBytes& secret) {
  return {secret.span().begin(), secret.span().end()};
}

const std::vector<std::uint8_t> kKey(32, 0x42);
const std::vector<std::uint8_t> kNonce(12, 0x24);

// McGrew and Viega, "The Galois/Counter Mode of Operation", test case 14 (zero key and IV).
TEST(Aes256GcmSeal, KnownAnswerTestCase14) {
  const std::vector<std::uint8_t> key(32, 0), nonce(12, 0), plaintext(16, 0);

  const auto sealed = Aes256GcmSeal(key, nonce, plaintext, {});

  ASSERT_TRUE(sealed) << sealed.error().message;
  EXPECT_EQ(HexEncode(*sealed),
            "cea7403d4d606b6e074ec5d3baf39d18"
            "d0d1c8a799996bf0265b98b5d48ab919");
}

TEST(Aes256Gcm, RoundTripsManyMessagesWithOneContext) {
  auto aead = Aes256Gcm::Create(kKey);
  ASSERT_TRUE(aead);
  const std::vector<std::string> messages = {"", "a", std::string(200, 'x'),
                                             std::string(1000, 'y')};

  for (const auto& message : messages) {
    std::vector<std::uint8_t> sealed(message.size() + kAesGcmTagSize);
    ASSERT_TRUE(aead->Seal(kNonce, AsBytes(message), AsBytes("ad"), sealed));
    std::vector<std::uint8_t> opened(message.size());
    const auto status = aead->Open(kNonce, sealed, AsBytes("ad"), opened);

    ASSERT_TRUE(status) << status.error().message;
    EXPECT_EQ(std::string(opened.begin(), opened.end()), message);
  }
}

TEST(Aes256Gcm, ContextAgreesWithOneShot) {
  auto aead = Aes256Gcm::Create(kKey);
  ASSERT_TRUE(aead);
  std::vector<std::uint8_t> sealed(5 + kAesGcmTagSize);

  ASSERT_TRUE(aead->Seal(kNonce, AsBytes("hello"), AsBytes("ad"), sealed));

  EXPECT_EQ(sealed, *Aes256GcmSeal(kKey, kNonce, AsBytes("hello"), AsBytes("ad")));
}

TEST(Aes256GcmOpen, WrongTagIsDataLoss) {
  auto sealed = *Aes256GcmSeal(kKey, kNonce, AsBytes("secret"), {});
  sealed.back() ^= 0x01;

  const auto opened = Aes256GcmOpen(kKey, kNonce, sealed, {});

  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kDataLoss);
}

TEST(Aes256GcmOpen, AlteredCiphertextIsDataLoss) {
  auto sealed = *Aes256GcmSeal(kKey, kNonce, AsBytes("secret"), {});
  sealed.front() ^= 0x80;

  const auto opened = Aes256GcmOpen(kKey, kNonce, sealed, {});

  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kDataLoss);
}

TEST(Aes256GcmOpen, OtherAssociatedDataIsDataLoss) {
  const auto sealed = *Aes256GcmSeal(kKey, kNonce, AsBytes("secret"), AsBytes("row 1"));

  const auto opened = Aes256GcmOpen(kKey, kNonce, sealed, AsBytes("row 2"));

  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kDataLoss);
}

TEST(Aes256GcmOpen, InputShorterThanTagIsDataLoss) {
  const std::vector<std::uint8_t> sealed(kAesGcmTagSize - 1, 0);

  const auto opened = Aes256GcmOpen(kKey, kNonce, sealed, {});

  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kDataLoss);
}

TEST(Aes256Gcm, FailedOpenWipesTheOutput) {
  auto aead = Aes256Gcm::Create(kKey);
  ASSERT_TRUE(aead);
  auto sealed = *Aes256GcmSeal(kKey, kNonce, AsBytes("secret"), {});
  sealed.back() ^= 0x01;
  std::vector<std::uint8_t> opened(6, 0xee);

  const auto status = aead->Open(kNonce, sealed, {}, opened);

  ASSERT_FALSE(status);
  EXPECT_EQ(opened, std::vector<std::uint8_t>(6, 0));
}

TEST(Aes256Gcm, RejectsShortKey) {
  const auto aead = Aes256Gcm::Create(std::vector<std::uint8_t>(16, 1));

  ASSERT_FALSE(aead);
  EXPECT_EQ(aead.error().code, ErrorCode::kInvalidArgument);
}

TEST(Aes256Gcm, RejectsNonceOtherThan96Bits) {
  const std::vector<std::uint8_t> nonce(16, 0);

  const auto sealed = Aes256GcmSeal(kKey, nonce, AsBytes("x"), {});

  ASSERT_FALSE(sealed);
  EXPECT_EQ(sealed.error().code, ErrorCode::kInvalidArgument);
}

TEST(Aes256Gcm, RejectsWrongOutputSize) {
  auto aead = Aes256Gcm::Create(kKey);
  ASSERT_TRUE(aead);
  std::vector<std::uint8_t> out(3);

  const auto status = aead->Seal(kNonce, AsBytes("abc"), {}, out);

  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
}

// Wycheproof's AES-GCM file: every case with a 256-bit key, 96-bit nonce and 128-bit tag (the
// only parameters this module offers) is run; valid cases must seal to `ct || tag` and open
// back to `msg`, invalid ones must fail to open with kDataLoss. Other groups are counted as
// skipped, with the reason.
TEST(Aes256Gcm, WycheproofVectors) {
  VIGIL_REQUIRE_FIXTURE(path, "wycheproof/aes_gcm_test.json");
  const auto doc = nlohmann::json::parse(vigil::testing::ReadFileOrEmpty(path), nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << "cannot parse " << path;
  int valid = 0, invalid = 0, skipped_groups = 0, skipped_cases = 0;
  std::map<std::string, int> skip_reasons;

  for (const auto& group : doc.at("testGroups")) {
    const int key_bits = group.at("keySize"), iv_bits = group.at("ivSize"),
              tag_bits = group.at("tagSize");
    if (key_bits != 256 || iv_bits != 96 || tag_bits != 128) {
      ++skipped_groups;
      skipped_cases += static_cast<int>(group.at("tests").size());
      skip_reasons[key_bits != 256 ? "key size 128/192 bits"
                   : iv_bits != 96 ? "nonce size other than 96 bits"
                                   : "tag size other than 128 bits"] += 1;
      continue;
    }
    for (const auto& t : group.at("tests")) {
      SCOPED_TRACE("tcId " + std::to_string(t.at("tcId").get<int>()));
      const auto key = Hex(t.at("key").get<std::string>());
      const auto iv = Hex(t.at("iv").get<std::string>());
      const auto aad = Hex(t.at("aad").get<std::string>());
      const auto msg = Hex(t.at("msg").get<std::string>());
      auto sealed = Hex(t.at("ct").get<std::string>());
      const auto tag = Hex(t.at("tag").get<std::string>());
      sealed.insert(sealed.end(), tag.begin(), tag.end());

      const auto opened = Aes256GcmOpen(key, iv, sealed, aad);
      if (t.at("result") == "valid") {
        ++valid;
        const auto resealed = Aes256GcmSeal(key, iv, msg, aad);
        ASSERT_TRUE(resealed) << resealed.error().message;
        EXPECT_EQ(*resealed, sealed);
        ASSERT_TRUE(opened) << opened.error().message;
        EXPECT_EQ(ToVector(*opened), msg);
      } else {
        ++invalid;
        ASSERT_FALSE(opened);
        EXPECT_EQ(opened.error().code, ErrorCode::kDataLoss);
      }
    }
  }

  std::cout << "wycheproof aes-gcm: " << valid << " valid and " << invalid
            << " invalid cases run; skipped " << skipped_groups << " groups (" << skipped_cases
            << " cases) whose parameters this module does not offer:";
  for (const auto& [reason, groups] : skip_reasons) {
    std::cout << " " << reason << " (" << groups << " groups);";
  }
  std::cout << "\n";
  RecordProperty("wycheproof_aes_gcm_cases_run", valid + invalid);
  RecordProperty("wycheproof_aes_gcm_cases_skipped", skipped_cases);
  EXPECT_GT(valid, 0);
  EXPECT_GT(invalid, 0);
  EXPECT_EQ(valid + invalid + skipped_cases, doc.at("numberOfTests").get<int>());
}

}  // namespace
}  // namespace vigil::crypto
