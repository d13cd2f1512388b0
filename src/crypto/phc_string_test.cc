#include "crypto/phc_string.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vigil::crypto {
namespace {

TEST(ParseArgon2idPhc, ReadsEveryField) {
  // "salt1234" and "0123456789abcdef" in unpadded base64.
  const auto phc =
      ParseArgon2idPhc("$argon2id$v=19$m=19456,t=2,p=1$c2FsdDEyMzQ$MDEyMzQ1Njc4OWFiY2RlZg");

  ASSERT_TRUE(phc) << phc.error().message;
  EXPECT_EQ(phc->version, 19u);
  EXPECT_EQ(phc->memory_kib, 19456u);
  EXPECT_EQ(phc->iterations, 2u);
  EXPECT_EQ(phc->parallelism, 1u);
  EXPECT_EQ(std::string(phc->salt.begin(), phc->salt.end()), "salt1234");
  EXPECT_EQ(std::string(phc->hash.begin(), phc->hash.end()), "0123456789abcdef");
}

TEST(FormatArgon2idPhc, RoundTripsThroughParse) {
  const Argon2idPhc phc{.version = 19,
                        .memory_kib = 65536,
                        .iterations = 3,
                        .parallelism = 4,
                        .salt = {0, 1, 2, 3, 4, 5, 6, 7, 8},
                        .hash = {0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0xfa, 0xf9, 0xf8, 0xf7, 0xf6}};

  const std::string text = FormatArgon2idPhc(phc);
  const auto parsed = ParseArgon2idPhc(text);

  ASSERT_TRUE(parsed) << parsed.error().message << " for " << text;
  EXPECT_EQ(text, "$argon2id$v=19$m=65536,t=3,p=4$AAECAwQFBgcI$//79/Pv6+fj39g");
  EXPECT_EQ(parsed->salt, phc.salt);
  EXPECT_EQ(parsed->hash, phc.hash);
}

TEST(ParseArgon2idPhc, RejectsMalformedStrings) {
  const std::vector<std::string> malformed = {
      "",
      "argon2id$v=19$m=1,t=1,p=1$AAAA$AAAA",            // No leading '$'.
      "$argon2d$v=19$m=1,t=1,p=1$AAAA$AAAA",            // Another variant.
      "$argon2id$m=1,t=1,p=1$AAAA$AAAA",                // No version.
      "$argon2id$v=19$t=1,m=1,p=1$AAAA$AAAA",           // Parameters out of order.
      "$argon2id$v=19$m=1,t=1,p=1,$AAAA$AAAA",          // Trailing comma.
      "$argon2id$v=19$m=01,t=1,p=1$AAAA$AAAA",          // Leading zero.
      "$argon2id$v=19$m=+1,t=1,p=1$AAAA$AAAA",          // Sign.
      "$argon2id$v=19$m=4294967296,t=1,p=1$AAAA$AAAA",  // Above 2^32-1.
      "$argon2id$v=19$m=1,t=1,p=1$AAAA$AAAA$",          // Extra field.
      "$argon2id$v=19$m=1,t=1,p=1$$AAAA",               // Empty salt.
      "$argon2id$v=19$m=1,t=1,p=1$AAAAA$AAAA",          // Base64 length 1 mod 4.
      "$argon2id$v=19$m=1,t=1,p=1$AAB$AAAA",            // Non-zero unused bits.
      "$argon2id$v=19$m=1,t=1,p=1$AA==$AAAA",           // Padding.
  };

  for (const auto& text : malformed) {
    const auto phc = ParseArgon2idPhc(text);

    ASSERT_FALSE(phc) << text;
    EXPECT_EQ(phc.error().code, ErrorCode::kInvalidArgument) << text;
  }
}

}  // namespace
}  // namespace vigil::crypto
