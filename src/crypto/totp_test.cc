#include "crypto/totp.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "core/hex.h"
#include "crypto/random.h"
#include "testing/fixtures.h"

namespace vigil::crypto {
namespace {

// 2026-01-01 00:00:00 UTC.
constexpr std::int64_t k2026 = 1767225600;

// The data rows of a fixture CSV (comments and the header line left out), split at commas.
std::vector<std::vector<std::string>> CsvRows(const std::filesystem::path& path) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(vigil::testing::ReadFileOrEmpty(path));
  std::string line;
  bool header_seen = false;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (!header_seen) {
      header_seen = true;
      continue;
    }
    std::vector<std::string> fields;
    std::istringstream cells(line);
    std::string cell;
    while (std::getline(cells, cell, ',')) fields.push_back(cell);
    rows.push_back(std::move(fields));
  }
  return rows;
}

std::vector<std::uint8_t> Bytes(std::string_view hex) {
  auto bytes = HexDecode(hex);
  return bytes ? *bytes : std::vector<std::uint8_t>{};
}

// The RFC 4226 / RFC 6238 20-byte key, ASCII "12345678901234567890".
std::vector<std::uint8_t> RfcKey() { return Bytes("3132333435363738393031323334353637383930"); }

struct CommandOutput {
  int status = -1;
  std::string out;
};

CommandOutput RunCommand(const std::string& command) {
  CommandOutput result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) result.out += buffer;
  result.status = ::pclose(pipe);
  while (!result.out.empty() && (result.out.back() == '\n' || result.out.back() == ' ')) {
    result.out.pop_back();
  }
  return result;
}

std::vector<std::uint8_t> RandomKey(std::size_t size) {
  auto key = RandomBytes(size);
  return key ? *key : std::vector<std::uint8_t>{};
}

// The steps near k2026 whose codes VerifyTotp is asked about.
std::string CodeAtStep(std::span<const std::uint8_t> key, std::int64_t step) {
  auto code = TotpCode(key, step * 30);
  return code ? *code : std::string();
}

TEST(HotpCode, MatchesEveryRfc4226Vector) {
  VIGIL_REQUIRE_FIXTURE(path, "otp/rfc4226_hotp_vectors.csv");
  const auto rows = CsvRows(path);
  ASSERT_EQ(rows.size(), 10u) << path;

  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 3u);
    SCOPED_TRACE("counter " + row[0]);
    const auto code = HotpCode(Bytes(row[2]), std::stoull(row[0]), 6);

    ASSERT_TRUE(code) << code.error().message;
    EXPECT_EQ(*code, row[1]);
  }
}

TEST(TotpCode, MatchesEveryRfc6238Vector) {
  VIGIL_REQUIRE_FIXTURE(path, "otp/rfc6238_totp_vectors.csv");
  const auto rows = CsvRows(path);
  ASSERT_EQ(rows.size(), 18u) << path;

  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 6u);
    SCOPED_TRACE(row[0] + " " + row[4]);
    TotpParams params{.digits = 8};
    if (row[4] == "SHA256") params.algorithm = TotpAlgorithm::kSha256;
    if (row[4] == "SHA512") params.algorithm = TotpAlgorithm::kSha512;
    const std::int64_t time = std::stoll(row[0]);

    const auto code = TotpCode(Bytes(row[5]), time, params);

    ASSERT_TRUE(code) << code.error().message;
    EXPECT_EQ(*code, row[3]);
    EXPECT_EQ(TotpStep(time, params), std::stoll(row[2], nullptr, 16));
  }
}

// Runs oathtool on random keys and times and compares with TotpCode. The key goes to oathtool
// as Base32Encode's text, so this also checks that oathtool -b reads our base32.
void ExpectAgreesWithOathtool(const std::filesystem::path& oathtool, std::string_view mode,
                              std::size_t key_size, const TotpParams& params) {
  for (int i = 0; i < 8; ++i) {
    const auto key = RandomKey(key_size);
    std::int64_t time = k2026;
    if (i > 0) {
      std::uint8_t noise[4];
      ASSERT_TRUE(RandomBytes(noise));
      time += (noise[0] << 16) | (noise[1] << 8) | noise[2];
    }
    const std::string when =
        i == 0 ? "'2026-01-01 00:00:00 UTC'" : "'@" + std::to_string(time) + "'";
    const auto expected =
        RunCommand(oathtool.string() + " --totp=" + std::string(mode) + " -d " +
                   std::to_string(params.digits) + " -b " + Base32Encode(key) + " -N " + when);
    ASSERT_EQ(expected.status, 0) << expected.out;

    const auto code = TotpCode(key, time, params);

    ASSERT_TRUE(code) << code.error().message;
    EXPECT_EQ(*code, expected.out) << "time " << time << " key " << HexEncode(key);
  }
}

TEST(TotpCode, AgreesWithOathtoolSha1SixDigits) {
  VIGIL_REQUIRE_TOOL(oathtool, "oathtool");
  ExpectAgreesWithOathtool(oathtool, "SHA1", 20, {});
}

TEST(TotpCode, AgreesWithOathtoolSha1EightDigits) {
  VIGIL_REQUIRE_TOOL(oathtool, "oathtool");
  ExpectAgreesWithOathtool(oathtool, "SHA1", 20, {.digits = 8});
}

TEST(TotpCode, AgreesWithOathtoolSha256) {
  VIGIL_REQUIRE_TOOL(oathtool, "oathtool");
  ExpectAgreesWithOathtool(oathtool, "SHA256", 32, {.algorithm = TotpAlgorithm::kSha256});
}

TEST(TotpCode, AgreesWithOathtoolSha512EightDigits) {
  VIGIL_REQUIRE_TOOL(oathtool, "oathtool");
  ExpectAgreesWithOathtool(oathtool, "SHA512", 64,
                           {.digits = 8, .algorithm = TotpAlgorithm::kSha512});
}

TEST(TotpCode, RejectsBadParameters) {
  const auto key = RfcKey();

  EXPECT_FALSE(TotpCode(key, k2026, {.digits = 5}));
  EXPECT_FALSE(TotpCode(key, k2026, {.digits = 9}));
  EXPECT_FALSE(TotpCode(key, k2026, {.step_seconds = 0}));
  EXPECT_FALSE(TotpCode(key, 10, {.t0 = 20}));
  EXPECT_FALSE(TotpCode(std::vector<std::uint8_t>(15, 1), k2026));
  const auto empty = TotpCode({}, k2026);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidArgument);
}

TEST(HotpCode, RejectsDigitsOutsideSixToEight) {
  EXPECT_FALSE(HotpCode(RfcKey(), 0, 5));
  EXPECT_FALSE(HotpCode(RfcKey(), 0, 9));
  EXPECT_TRUE(HotpCode(RfcKey(), 0, 7));
}

TEST(TotpStep, FloorsAndHonoursT0) {
  EXPECT_EQ(TotpStep(59), 1);
  EXPECT_EQ(TotpStep(60), 2);
  EXPECT_EQ(TotpStep(100, {.t0 = 100}), 0);
  EXPECT_EQ(TotpStep(99, {.t0 = 100}), -1);
  EXPECT_EQ(TotpStep(70, {.step_seconds = 60, .t0 = 5}), 1);
}

TEST(TotpStep, SaturatesInsteadOfOverflowing) {
  const auto max = std::numeric_limits<std::int64_t>::max();
  const auto min = std::numeric_limits<std::int64_t>::min();

  EXPECT_EQ(TotpStep(max, {.step_seconds = 1, .t0 = -10}), max);
  EXPECT_EQ(TotpStep(min, {.step_seconds = 1, .t0 = 10}), min);
}

TEST(NewTotpKey, IsTwentyRandomBytes) {
  const auto a = NewTotpKey();
  const auto b = NewTotpKey();

  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->size(), 20u);
  EXPECT_NE(HexEncode(a->span()), HexEncode(b->span()));
  EXPECT_TRUE(TotpCode(a->span(), k2026));
}

TEST(VerifyTotp, AcceptsTheCurrentStep) {
  const auto key = RfcKey();
  const std::int64_t step = TotpStep(k2026);

  const auto result = VerifyTotp(key, CodeAtStep(key, step), k2026, 1, -1);

  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(*result, step);
}

TEST(VerifyTotp, WindowOfOneAcceptsNeighboursOnly) {
  const auto key = RfcKey();
  const std::int64_t step = TotpStep(k2026);

  const auto before = VerifyTotp(key, CodeAtStep(key, step - 1), k2026, 1, -1);
  const auto after = VerifyTotp(key, CodeAtStep(key, step + 1), k2026, 1, -1);
  const auto two_after = VerifyTotp(key, CodeAtStep(key, step + 2), k2026, 1, -1);
  const auto two_before = VerifyTotp(key, CodeAtStep(key, step - 2), k2026, 1, -1);

  ASSERT_TRUE(before && after && two_after && two_before);
  EXPECT_EQ(*before, step - 1);
  EXPECT_EQ(*after, step + 1);
  EXPECT_EQ(*two_after, std::nullopt);
  EXPECT_EQ(*two_before, std::nullopt);
}

TEST(VerifyTotp, WindowOfZeroAcceptsOnlyTheCurrentStep) {
  const auto key = RfcKey();
  const std::int64_t step = TotpStep(k2026);

  const auto next = VerifyTotp(key, CodeAtStep(key, step + 1), k2026, 0, -1);

  ASSERT_TRUE(next);
  EXPECT_EQ(*next, std::nullopt);
}

TEST(VerifyTotp, RefusesReplayOfAnAcceptedStep) {
  const auto key = RfcKey();
  const std::string code = CodeAtStep(key, TotpStep(k2026));
  const auto first = VerifyTotp(key, code, k2026, 1, -1);
  ASSERT_TRUE(first && *first);

  const auto replay = VerifyTotp(key, code, k2026 + 5, 1, **first);
  const auto older = VerifyTotp(key, CodeAtStep(key, **first - 1), k2026 + 5, 1, **first);

  ASSERT_TRUE(replay && older);
  EXPECT_EQ(*replay, std::nullopt);
  EXPECT_EQ(*older, std::nullopt);
}

TEST(VerifyTotp, MalformedCodesAreNotAccepted) {
  const auto key = RfcKey();

  for (const std::string_view code :
       {"12345", "1234567", "12a456", "", "      ", "+12345", "１２３４５６"}) {
    const auto result = VerifyTotp(key, code, k2026, 1, -1);

    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(*result, std::nullopt) << "'" << code << "'";
  }
}

TEST(VerifyTotp, ToleratesSurroundingSpaces) {
  const auto key = RfcKey();
  const std::string code = CodeAtStep(key, TotpStep(k2026));

  const auto result = VerifyTotp(key, "  " + code + " ", k2026, 1, -1);

  ASSERT_TRUE(result);
  EXPECT_EQ(*result, TotpStep(k2026));
}

TEST(VerifyTotp, WrongCodeIsNotAccepted) {
  const auto key = RfcKey();
  const std::string code = CodeAtStep(key, TotpStep(k2026));
  std::string wrong = code;
  wrong[0] = wrong[0] == '9' ? '0' : static_cast<char>(wrong[0] + 1);

  const auto result = VerifyTotp(key, wrong, k2026, 0, -1);

  ASSERT_TRUE(result);
  EXPECT_EQ(*result, std::nullopt);
}

TEST(VerifyTotp, UsesParamsDigitsAndAlgorithm) {
  const auto key = RandomKey(32);
  const TotpParams params{.digits = 8, .step_seconds = 60, .algorithm = TotpAlgorithm::kSha256};
  const auto code = TotpCode(key, k2026, params);
  ASSERT_TRUE(code);

  const auto result = VerifyTotp(key, *code, k2026, 1, -1, params);
  const auto as_sha1 = VerifyTotp(key, *code, k2026, 1, -1, {.digits = 8, .step_seconds = 60});

  ASSERT_TRUE(result && as_sha1);
  EXPECT_EQ(*result, TotpStep(k2026, params));
  EXPECT_EQ(*as_sha1, std::nullopt);
}

TEST(VerifyTotp, BadWindowOrKeyIsAnError) {
  const auto key = RfcKey();

  const auto negative = VerifyTotp(key, "123456", k2026, -1, -1);
  const auto huge = VerifyTotp(key, "123456", k2026, 11, -1);
  const auto short_key = VerifyTotp(std::vector<std::uint8_t>(8, 1), "123456", k2026, 1, -1);

  ASSERT_FALSE(negative || huge || short_key);
  EXPECT_EQ(short_key.error().code, ErrorCode::kInvalidArgument);
}

TEST(Base32Encode, MatchesRfc4648Vectors) {
  EXPECT_EQ(Base32Encode(AsBytes("")), "");
  EXPECT_EQ(Base32Encode(AsBytes("f")), "MY");
  EXPECT_EQ(Base32Encode(AsBytes("fo")), "MZXQ");
  EXPECT_EQ(Base32Encode(AsBytes("foo")), "MZXW6");
  EXPECT_EQ(Base32Encode(AsBytes("foob")), "MZXW6YQ");
  EXPECT_EQ(Base32Encode(AsBytes("fooba")), "MZXW6YTB");
  EXPECT_EQ(Base32Encode(AsBytes("foobar")), "MZXW6YTBOI");
}

TEST(Base32Encode, AgreesWithOathtool) {
  VIGIL_REQUIRE_TOOL(oathtool, "oathtool");
  for (const std::size_t size : {10u, 16u, 20u, 21u, 32u, 64u}) {
    const auto key = RandomKey(size);
    const auto verbose = RunCommand(oathtool.string() + " -v --totp " + HexEncode(key));
    ASSERT_EQ(verbose.status, 0) << verbose.out;
    const auto at = verbose.out.find("Base32 secret: ");
    ASSERT_NE(at, std::string::npos) << verbose.out;
    std::string theirs = verbose.out.substr(at + 15, verbose.out.find('\n', at) - at - 15);

    const std::string ours = Base32Encode(key);

    while (!theirs.empty() && theirs.back() == '=') theirs.pop_back();  // oathtool pads.
    EXPECT_EQ(ours, theirs) << "size " << size;
  }
}

TEST(Base32Decode, RoundTripsEveryLength) {
  for (std::size_t size = 0; size <= 70; ++size) {
    const auto bytes = RandomKey(size);

    const auto decoded = Base32Decode(Base32Encode(bytes));

    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(HexEncode(decoded->span()), HexEncode(bytes)) << "size " << size;
  }
}

TEST(Base32Decode, AcceptsLowerCaseSpacesHyphensAndPadding) {
  for (const std::string_view text : {"MZXW6YTBOI", "mzxw6ytboi", "MZXW 6YTB OI", "mzxw-6ytb-oi",
                                      "MZXW6YTBOI======", " MZXW6YTBOI====== "}) {
    const auto decoded = Base32Decode(text);

    ASSERT_TRUE(decoded) << text << ": " << decoded.error().message;
    EXPECT_EQ(decoded->view(), "foobar") << text;
  }
}

TEST(Base32Decode, RejectsWhatNoEncoderWrites) {
  for (const std::string_view text :
       {"MZXW6YTBO1", "MZXW6YTBOI!", "M", "MZX", "MZXW6Y", "MZXW6YTBOJ", "MZ======X",
        "MZXW6YTBOI=", "MZXW6YTB========", "MZXW6YTBOI_"}) {
    const auto decoded = Base32Decode(text);

    ASSERT_FALSE(decoded) << text;
    EXPECT_EQ(decoded.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST(OtpauthUri, EscapesIssuerAndAccount) {
  const auto key = RfcKey();

  const std::string uri = OtpauthUri("Vigil Hospital", "dr jane:doe@example.org", key);

  EXPECT_EQ(uri,
            "otpauth://totp/Vigil%20Hospital:dr%20jane%3Adoe%40example.org"
            "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Vigil%20Hospital"
            "&algorithm=SHA1&digits=6&period=30");
}

TEST(OtpauthUri, CarriesNonDefaultParams) {
  const auto key = RfcKey();

  const std::string uri = OtpauthUri(
      "", "ops", key, {.digits = 8, .step_seconds = 60, .algorithm = TotpAlgorithm::kSha512});

  EXPECT_EQ(uri,
            "otpauth://totp/ops?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            "&algorithm=SHA512&digits=8&period=60");
}

}  // namespace
}  // namespace vigil::crypto
