#include "identity/password_policy.h"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "testing/fixtures.h"

namespace vigil::identity {
namespace {

// The policy with cracklib's default dictionary; skips (fails under CI) without it.
#define VIGIL_DEFAULT_POLICY(var)                                               \
  auto var##_result = PasswordPolicy::Create();                                 \
  if (!var##_result) {                                                          \
    VIGIL_SKIP_OR_FAIL("cracklib dictionary: " + var##_result.error().message); \
  }                                                                             \
  const PasswordPolicy& var = *var##_result

// `count` code points, each two bytes of UTF-8 (Cyrillic U+0430..U+044F), in an order that
// neither repeats nor runs in sequence.
std::string Cyrillic(std::size_t count) {
  std::string out;
  std::uint32_t state = 12345;
  for (std::size_t i = 0; i < count; ++i) {
    state = state * 1103515245u + 12345u;
    const std::uint32_t cp = 0x430 + ((state >> 16) % 32);
    out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
  return out;
}

// `count` printable ASCII characters with no pattern cracklib or our checks look for.
std::string RandomLooking(std::size_t count) {
  static constexpr std::string_view kAlphabet =
      "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!#%&*+=?@";
  std::string out;
  std::uint32_t state = 987654321;
  for (std::size_t i = 0; i < count; ++i) {
    state = state * 1103515245u + 12345u;
    out.push_back(kAlphabet[(state >> 16) % kAlphabet.size()]);
  }
  return out;
}

TEST(PasswordPolicy, AcceptsPassphrasesOfFourOrMoreWords) {
  VIGIL_DEFAULT_POLICY(policy);

  for (const std::string_view phrase :
       {"correct horse battery staple", "tree river cloud stone", "blue harbor 2024 lantern",
        "purple elephants dance quietly", "mary had a little lamb", "orange Kettle Window Forest",
        "seven-ducks-walk-slowly"}) {
    const auto status = policy.Check(phrase, "jsmith");

    EXPECT_TRUE(status) << phrase << ": " << status.error().message;
  }
}

TEST(PasswordPolicy, RejectsCommonPasswordsWithDigitsAndSymbols) {
  VIGIL_DEFAULT_POLICY(policy);

  for (const std::string_view password :
       {"password1234", "Password123!", "qwertyuiop12", "sunshine!2024", "Football2024",
        "iloveyou1234", "letmein12345", "administrator", "Welcome12345"}) {
    const auto status = policy.Check(password, "jsmith");

    ASSERT_FALSE(status) << password;
    EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(status.error().message, "password is too common or based on a dictionary word")
        << password;
  }
}

TEST(PasswordPolicy, RejectsSequencesAndRepeats) {
  VIGIL_DEFAULT_POLICY(policy);

  for (const std::string_view password :
       {"abcdefghijkl", "123456789012", "aaaaaaaaaaaaaaaa", "passwordpassword",
        "monkey monkey monkey", "abcabcabcabc", "Tr33Tr33Tr33Tr33!"}) {
    const auto status = policy.Check(password, "jsmith");

    ASSERT_FALSE(status) << password;
    EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument) << password;
  }
}

TEST(PasswordPolicy, RejectsShortPasswordsWithTheMinimumInTheMessage) {
  VIGIL_DEFAULT_POLICY(policy);

  const auto status = policy.Check("Xk9#mQ2!vL7", "jsmith");  // 11 characters.

  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.error().message, "password must be at least 12 characters");
}

TEST(PasswordPolicy, AcceptsTwelveRandomCharacters) {
  VIGIL_DEFAULT_POLICY(policy);

  const auto status = policy.Check(RandomLooking(12), "jsmith");

  EXPECT_TRUE(status) << status.error().message;
}

TEST(PasswordPolicy, Accepts128And256CharactersButNot257) {
  VIGIL_DEFAULT_POLICY(policy);

  const auto at_128 = policy.Check(RandomLooking(128), "jsmith");
  const auto at_256 = policy.Check(RandomLooking(256), "jsmith");
  const auto at_257 = policy.Check(RandomLooking(257), "jsmith");

  EXPECT_TRUE(at_128) << at_128.error().message;
  EXPECT_TRUE(at_256) << at_256.error().message;
  ASSERT_FALSE(at_257);
  EXPECT_EQ(at_257.error().message, "password must be at most 256 characters");
}

TEST(PasswordPolicy, CountsCodePointsNotBytes) {
  VIGIL_DEFAULT_POLICY(policy);

  const auto eleven = policy.Check(Cyrillic(11), "jsmith");  // 22 bytes.
  const auto twelve = policy.Check(Cyrillic(12), "jsmith");
  const auto max = policy.Check(Cyrillic(256), "jsmith");  // 512 bytes.
  const auto over = policy.Check(Cyrillic(257), "jsmith");

  ASSERT_FALSE(eleven);
  EXPECT_EQ(eleven.error().message, "password must be at least 12 characters");
  EXPECT_TRUE(twelve) << twelve.error().message;
  EXPECT_TRUE(max) << max.error().message;
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().message, "password must be at most 256 characters");
}

TEST(PasswordPolicy, AcceptsNonAsciiPassphrase) {
  VIGIL_DEFAULT_POLICY(policy);

  const auto status = policy.Check("Grüße aus der Nachtschicht", "jsmith");

  EXPECT_TRUE(status) << status.error().message;
}

TEST(PasswordPolicy, RejectsInvalidUtf8) {
  VIGIL_DEFAULT_POLICY(policy);

  for (const std::string_view password :
       {std::string_view("correct horse \xff battery"), std::string_view("overlong \xc0\xaf slash"),
        std::string_view("surrogate \xed\xa0\x80 inside"),
        std::string_view("truncated tail \xe2\x82"),
        std::string_view("beyond range \xf4\x90\x80\x80 x")}) {
    const auto status = policy.Check(password, "jsmith");

    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().message, "password must be valid UTF-8 text");
  }
}

TEST(PasswordPolicy, RejectsControlCharacters) {
  VIGIL_DEFAULT_POLICY(policy);

  const auto nul = policy.Check(std::string_view("correct horse\0battery staple", 28), "jsmith");
  const auto tab = policy.Check("correct horse\tbattery staple", "jsmith");

  ASSERT_FALSE(nul || tab);
  EXPECT_EQ(nul.error().message, "password must not contain control characters");
}

TEST(PasswordPolicy, RejectsTheUserNameInAnyCase) {
  VIGIL_DEFAULT_POLICY(policy);

  const auto status = policy.Check("my name is JSmith the nurse", "jsmith");

  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message, "password must not contain the user name");
}

TEST(PasswordPolicy, RejectsTheServiceName) {
  VIGIL_DEFAULT_POLICY(policy);

  const auto status = policy.Check("my Vigil console password", "jsmith");

  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message, "password must not contain the service name (vigil)");
}

TEST(PasswordPolicy, ShortUserNamesAreNotSearchedFor) {
  VIGIL_DEFAULT_POLICY(policy);

  const auto status = policy.Check("correct horse battery staple", "ba");

  EXPECT_TRUE(status) << status.error().message;
}

TEST(PasswordPolicy, MissingDictionaryIsFailedPreconditionNamingPathAndPackage) {
  vigil::testing::TempDir dir;
  const auto prefix = dir / "nothing_here";

  const auto policy = PasswordPolicy::Create({.dictionary = prefix});

  ASSERT_FALSE(policy);
  EXPECT_EQ(policy.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(policy.error().message.find(prefix.string()), std::string::npos)
      << policy.error().message;
  EXPECT_NE(policy.error().message.find("cracklib-runtime"), std::string::npos);
}

TEST(PasswordPolicy, UnreadableDictionaryIsFailedPrecondition) {
  vigil::testing::TempDir dir;
  const auto prefix = dir / "garbage";
  for (const char* suffix : {".pwd", ".pwi", ".hwm"}) {
    std::ofstream(prefix.string() + suffix) << "not a cracklib dictionary\n";
  }

  const auto policy = PasswordPolicy::Create({.dictionary = prefix});

  ASSERT_FALSE(policy);
  EXPECT_EQ(policy.error().code, ErrorCode::kFailedPrecondition) << policy.error().message;
}

TEST(PasswordPolicy, RejectsOptionsBelowNist) {
  const auto short_min = PasswordPolicy::Create({.min_length = 6});
  const auto short_max = PasswordPolicy::Create({.max_length = 64});
  const auto inverted = PasswordPolicy::Create({.min_length = 200, .max_length = 150});

  ASSERT_FALSE(short_min || short_max || inverted);
  EXPECT_EQ(short_min.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(short_max.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(inverted.error().code, ErrorCode::kInvalidArgument);
}

TEST(PasswordPolicy, CheckFromEightThreadsGivesTheSingleThreadedAnswers) {
  VIGIL_DEFAULT_POLICY(policy);
  const std::vector<std::string> passwords = {"correct horse battery staple",
                                              "password1234",
                                              "Password123!",
                                              "qwertyuiop12",
                                              RandomLooking(40),
                                              "tree river cloud stone",
                                              "abcdefghijkl",
                                              Cyrillic(20)};
  std::vector<bool> expected;
  for (const auto& p : passwords) expected.push_back(policy.Check(p, "jsmith").has_value());

  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 40; ++round) {
        const std::size_t i = static_cast<std::size_t>(t + round) % passwords.size();
        if (policy.Check(passwords[i], "jsmith").has_value() != expected[i]) ++mismatches;
      }
    });
  }
  for (auto& thread : threads) thread.join();

  EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
}  // namespace vigil::identity
