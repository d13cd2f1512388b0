#include "crypto/password.h"

#include <argon2.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "core/hex.h"
#include "testing/fixtures.h"

namespace vigil::crypto {
namespace {

// Cheap parameters so the tests stay fast; the defaults are exercised once.
const PasswordParams kFast{.memory_kib = 64, .iterations = 1, .parallelism = 1};

// The hex after "Tag:" in a phc-winner-argon2 KAT file ("Tag: 0d 64 0d ...").
std::string ExpectedTag(const std::string& kat) {
  std::istringstream lines(kat);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("Tag:", 0) == 0) {
      std::string hex;
      for (const char c : line.substr(4)) {
        if (c != ' ') hex.push_back(c);
      }
      return hex;
    }
  }
  return "";
}

// RFC 9106 section 5.3 parameters, as in the KAT files.
Result<SecretBytes> Rfc9106Argon2id(std::uint32_t version) {
  const std::vector<std::uint8_t> password(32, 0x01), salt(16, 0x02), secret(8, 0x03), ad(12, 0x04);
  return Argon2idRaw({.password = password,
                      .salt = salt,
                      .secret = secret,
                      .associated_data = ad,
                      .iterations = 3,
                      .memory_kib = 32,
                      .lanes = 4,
                      .tag_size = 32,
                      .version = version});
}

TEST(Argon2idRaw, MatchesRfc9106KnownAnswer) {
  VIGIL_REQUIRE_FIXTURE(path, "argon2/argon2id");
  const std::string expected = ExpectedTag(vigil::testing::ReadFileOrEmpty(path));
  ASSERT_EQ(expected.size(), 64u) << "no 32-byte Tag: line in " << path;

  const auto tag = Rfc9106Argon2id(0x13);

  ASSERT_TRUE(tag) << tag.error().message;
  EXPECT_EQ(HexEncode(tag->span()), expected);
}

TEST(Argon2idRaw, MatchesVersion16KnownAnswer) {
  VIGIL_REQUIRE_FIXTURE(path, "argon2/argon2id_v16");
  const std::string expected = ExpectedTag(vigil::testing::ReadFileOrEmpty(path));
  ASSERT_EQ(expected.size(), 64u) << "no 32-byte Tag: line in " << path;

  const auto tag = Rfc9106Argon2id(0x10);

  ASSERT_TRUE(tag) << tag.error().message;
  EXPECT_EQ(HexEncode(tag->span()), expected);
}

TEST(Argon2idRaw, VersionChangesTheTag) {
  const auto v13 = Rfc9106Argon2id(0x13);
  const auto v10 = Rfc9106Argon2id(0x10);

  ASSERT_TRUE(v13 && v10);
  EXPECT_NE(HexEncode(v13->span()), HexEncode(v10->span()));
}

TEST(Argon2idRaw, ShortSaltIsInvalidArgument) {
  const std::vector<std::uint8_t> salt(7, 0x02);

  const auto tag = Argon2idRaw({.salt = salt, .iterations = 1, .memory_kib = 8});

  ASSERT_FALSE(tag);
  EXPECT_EQ(tag.error().code, ErrorCode::kInvalidArgument);
}

TEST(HashPassword, DefaultsProduceArgon2idPhcString) {
  const auto phc = HashPassword("correct horse");

  ASSERT_TRUE(phc) << phc.error().message;
  EXPECT_EQ(phc->rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << *phc;
  EXPECT_EQ(VerifyPassword("correct horse", *phc), true);
}

TEST(HashPassword, SaltsDiffer) {
  const auto a = HashPassword("same", kFast);
  const auto b = HashPassword("same", kFast);

  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
}

TEST(HashPassword, RejectsParametersOutsideLimits) {
  const auto phc = HashPassword("pw", {.memory_kib = 4 * 1024 * 1024});

  ASSERT_FALSE(phc);
  EXPECT_EQ(phc.error().code, ErrorCode::kInvalidArgument);
}

TEST(VerifyPassword, RightPasswordIsTrue) {
  const auto phc = HashPassword("s3cret!", kFast);
  ASSERT_TRUE(phc);

  const auto ok = VerifyPassword("s3cret!", *phc);

  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_TRUE(*ok);
}

TEST(VerifyPassword, WrongPasswordIsFalse) {
  const auto phc = HashPassword("s3cret!", kFast);
  ASSERT_TRUE(phc);

  const auto ok = VerifyPassword("s3cret?", *phc);

  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_FALSE(*ok);
}

TEST(VerifyPassword, AcceptsLibargon2EncodedHash) {
  const std::string password = "interop";
  const std::vector<std::uint8_t> salt(16, 0x5a);
  std::string encoded(argon2_encodedlen(1, 64, 1, 16, 32, Argon2_id), '\0');
  ASSERT_EQ(argon2id_hash_encoded(1, 64, 1, password.data(), password.size(), salt.data(),
                                  salt.size(), 32, encoded.data(), encoded.size()),
            ARGON2_OK);
  encoded.resize(encoded.find('\0'));

  const auto ok = VerifyPassword(password, encoded);

  ASSERT_TRUE(ok) << ok.error().message << " for " << encoded;
  EXPECT_TRUE(*ok);
}

TEST(VerifyPassword, HashIsAcceptedByLibargon2) {
  const auto phc = HashPassword("interop", kFast);
  ASSERT_TRUE(phc);

  EXPECT_EQ(argon2id_verify(phc->c_str(), "interop", 7), ARGON2_OK);
}

TEST(VerifyPassword, MalformedPhcIsInvalidArgument) {
  const std::vector<std::string> malformed = {
      "",
      "$argon2id$",
      "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
      "$argon2id$v=19$m=64,t=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
      "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ",
      "$argon2id$v=19$m=64,t=1,p=1$!!!$aGFzaGhhc2hoYXNoaGFzaA",
      "$argon2id$v=16$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
      "$argon2id$v=19$m=4294967295,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
      "$argon2id$v=19$m=64,t=0,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
      "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA",
      std::string(5000, '$'),
  };

  for (const auto& phc : malformed) {
    const auto ok = VerifyPassword("pw", phc);

    ASSERT_FALSE(ok) << phc;
    EXPECT_EQ(ok.error().code, ErrorCode::kInvalidArgument) << phc;
  }
}

TEST(NeedsRehash, FalseForTheSameParameters) {
  const auto phc = HashPassword("pw", kFast);
  ASSERT_TRUE(phc);

  const auto rehash = NeedsRehash(*phc, kFast);

  ASSERT_TRUE(rehash);
  EXPECT_FALSE(*rehash);
}

TEST(NeedsRehash, TrueWhenAnyParameterChanged) {
  const auto phc = HashPassword("pw", kFast);
  ASSERT_TRUE(phc);
  std::vector<PasswordParams> changed(5, kFast);
  changed[0].memory_kib = 128;
  changed[1].iterations = 2;
  changed[2].parallelism = 2;
  changed[3].salt_size = 32;
  changed[4].hash_size = 64;

  for (const auto& params : changed) {
    const auto rehash = NeedsRehash(*phc, params);

    ASSERT_TRUE(rehash);
    EXPECT_TRUE(*rehash);
  }
}

TEST(NeedsRehash, MalformedPhcIsInvalidArgument) {
  const auto rehash = NeedsRehash("not a phc string");

  ASSERT_FALSE(rehash);
  EXPECT_EQ(rehash.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace vigil::crypto
