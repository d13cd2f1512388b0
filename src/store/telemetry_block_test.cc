#include "store/telemetry_block.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::store {
namespace {

constexpr std::int64_t kHour = 1'700'000'000'000'000'000;
constexpr std::int64_t kTenSeconds = 10'000'000'000;

// Bit-for-bit equality, so NaN payloads and -0.0 count.
void ExpectSameSamples(const std::vector<TelemetrySample>& actual,
                       const std::vector<TelemetrySample>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    EXPECT_EQ(actual[i].time_unix_nanos, expected[i].time_unix_nanos) << "sample " << i;
    EXPECT_EQ(std::bit_cast<std::uint64_t>(actual[i].value),
              std::bit_cast<std::uint64_t>(expected[i].value))
        << "sample " << i;
  }
}

void ExpectRoundTrip(const std::vector<TelemetrySample>& samples) {
  const std::vector<std::uint8_t> block = EncodeBlock(samples);

  const auto decoded = DecodeBlock(block);

  ASSERT_TRUE(decoded) << decoded.error().message;
  ExpectSameSamples(*decoded, samples);
}

TEST(TelemetryBlock, RoundTripsNoSamples) { ExpectRoundTrip({}); }

TEST(TelemetryBlock, RoundTripsOneSample) {
  ExpectRoundTrip({{.time_unix_nanos = kHour, .value = 42.5}});
}

TEST(TelemetryBlock, RoundTripsSpecialValues) {
  const double quiet_nan = std::numeric_limits<double>::quiet_NaN();
  const double payload_nan = std::bit_cast<double>(std::uint64_t{0xfff0000000000001});
  ExpectRoundTrip({{kHour, quiet_nan},
                   {kHour + 1, std::numeric_limits<double>::infinity()},
                   {kHour + 2, -std::numeric_limits<double>::infinity()},
                   {kHour + 3, -0.0},
                   {kHour + 4, 0.0},
                   {kHour + 5, payload_nan},
                   {kHour + 6, std::numeric_limits<double>::denorm_min()},
                   {kHour + 7, std::numeric_limits<double>::lowest()}});
}

TEST(TelemetryBlock, RoundTripsNegativeZeroAmongDecimals) {
  // -0.0 is not a decimal: the block must fall back to XOR rather than read back +0.0.
  ExpectRoundTrip({{kHour, 1.5}, {kHour + 1, -0.0}, {kHour + 2, 2.5}});
}

TEST(TelemetryBlock, RoundTripsEqualAndDecreasingTimes) {
  ExpectRoundTrip({{kHour, 1}, {kHour, 2}, {kHour - 5, 3}, {kHour - 5, 3}, {kHour - 10'000, 4}});
}

TEST(TelemetryBlock, RoundTripsExtremeTimes) {
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  ExpectRoundTrip({{kMax, 1}, {kMin, 2}, {kMax, 3}, {0, 4}, {kMin, 5}, {-1, 6}});
}

TEST(TelemetryBlock, RoundTripsLargeAndManyDecimalValues) {
  ExpectRoundTrip({{kHour, 9007199254740992.0},
                   {kHour + 1, -9007199254740991.0},
                   {kHour + 2, 0.123456789},
                   {kHour + 3, 1e-9},
                   {kHour + 4, 1e300},
                   {kHour + 5, 0.1 + 0.2}});
}

TEST(TelemetryBlock, ReencodesLargeValuesWithMixedDecimalsExactly) {
  // Found by telemetry_block_fuzz (seed crash_large_decimals): large decoded decimals whose
  // product with 10^d rounds to a neighbouring integer must not be re-encoded as decimals.
  const std::vector<std::uint8_t> fuzzed = {1,   12, 2,   6,   0,  0,   242, 159, 0,
                                            243, 64, 152, 0,   15, 255, 255, 255, 62,
                                            0,   0,  0,   138, 72, 38,  22,  128};
  const auto decoded = DecodeBlock(fuzzed);
  ASSERT_TRUE(decoded) << decoded.error().message;

  ExpectRoundTrip(*decoded);
}

TEST(TelemetryBlock, RoundTripsTenThousandSamples) {
  std::vector<TelemetrySample> samples;
  std::uint64_t state = 42;
  for (int i = 0; i < 10'000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const auto jitter = static_cast<std::int64_t>(state >> 44);  // Up to about a millisecond.
    samples.push_back({.time_unix_nanos = kHour + i * kTenSeconds + jitter,
                       .value = std::bit_cast<double>(state) * (i % 7 == 0 ? 1 : 0)});
  }

  ExpectRoundTrip(samples);
}

TEST(TelemetryBlock, EncodingStartsWithTheVersionAndCount) {
  const std::vector<std::uint8_t> block = EncodeBlock(std::vector<TelemetrySample>(200));

  ASSERT_GE(block.size(), 3u);
  EXPECT_EQ(block[0], kTelemetryBlockVersion);
  EXPECT_EQ(block[1], 0xc8);  // 200 as a varint: 0x48 | 0x80, then 0x01.
  EXPECT_EQ(block[2], 0x01);
}

TEST(TelemetryBlock, EncodesTheDocumentedExamples) {
  // docs/formats/telemetry-block.md, "Examples".
  EXPECT_EQ(EncodeBlock({}), (std::vector<std::uint8_t>{0x01, 0x00}));
  EXPECT_EQ(EncodeBlock(std::vector<TelemetrySample>{{0, 0.0}}),
            (std::vector<std::uint8_t>{0x01, 0x01, 0x01, 0x00, 0x00}));
}

void ExpectDataLoss(const std::vector<std::uint8_t>& block, std::string_view why) {
  const auto decoded = DecodeBlock(block);

  ASSERT_FALSE(decoded) << why;
  EXPECT_EQ(decoded.error().code, ErrorCode::kDataLoss) << why;
  EXPECT_EQ(decoded.error().message.rfind("telemetry block: ", 0), 0u) << decoded.error().message;
}

TEST(DecodeBlock, RefusesCorruptBlocks) {
  std::vector<std::uint8_t> good = EncodeBlock(std::vector<TelemetrySample>{
      {kHour, 1.5}, {kHour + kTenSeconds, 2.5}, {kHour + 2 * kTenSeconds, 2.5}});
  ExpectDataLoss({}, "empty");
  ExpectDataLoss({2, 0}, "unknown version");
  ExpectDataLoss({1, 0x80}, "unterminated count");
  ExpectDataLoss({1, 0, 0}, "bytes after an empty block");
  ExpectDataLoss({1, 1, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0}, "unknown value encoding");
  ExpectDataLoss({1, 1, 1, 10, 0}, "more than nine decimals");
  ExpectDataLoss({1, 0xff, 0xff, 0xff, 0x7f, 0}, "count larger than the block");
  ExpectDataLoss({1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, "count too big");
  for (std::size_t size = 1; size < good.size(); ++size) {
    ExpectDataLoss(std::vector<std::uint8_t>(good.begin(), good.begin() + static_cast<long>(size)),
                   "truncated to " + std::to_string(size));
  }
  std::vector<std::uint8_t> longer = good;
  longer.push_back(0);
  ExpectDataLoss(longer, "trailing byte");
}

TEST(DecodeBlock, RefusesNonZeroPadding) {
  // One sample at time 0 with value 0, XOR-encoded: '0' for the time, then 64 value bits, so
  // the stream is 65 bits and the last byte has seven padding bits.
  std::vector<std::uint8_t> block = {1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01};

  ExpectDataLoss(block, "padding bit set");
  block.back() = 0;
  EXPECT_TRUE(DecodeBlock(block));
}

// Bytes per sample of an hour of samples every 10 s (360), as the encoder packs them.
double BytesPerSample(const std::function<double(int)>& value, std::int64_t jitter_nanos = 0) {
  std::vector<TelemetrySample> samples;
  for (int i = 0; i < 360; ++i) {
    const std::int64_t jitter = (i * 7919 % 13 - 6) * jitter_nanos;
    samples.push_back({.time_unix_nanos = kHour + i * kTenSeconds + jitter, .value = value(i)});
  }
  const std::vector<std::uint8_t> block = EncodeBlock(samples);
  const auto decoded = DecodeBlock(block);
  EXPECT_TRUE(decoded && decoded->size() == samples.size());
  return static_cast<double>(block.size()) / static_cast<double>(samples.size());
}

// A CPU percentage with one decimal wandering between 0 and 100.
double CpuPercent(int i) {
  std::uint32_t state = 7;
  double level = 35.0;
  for (int k = 0; k <= i; ++k) {
    state = state * 1103515245u + 12345u;
    level += static_cast<double>(static_cast<int>((state >> 16) % 81) - 40) / 10.0;
    level = std::clamp(level, 0.0, 100.0);
  }
  return std::round(level * 10) / 10;
}

TEST(TelemetryBlock, TypicalSeriesAreCompact) {
  const double cpu = BytesPerSample(CpuPercent);
  const double cpu_jittered = BytesPerSample(CpuPercent, /*jitter_nanos=*/100'000);
  const double counter = BytesPerSample([](int i) { return 1000.0 + 17.0 * i + (i % 5 == 0); });
  const double constant = BytesPerSample([](int) { return 42.0; });
  const double irrational = BytesPerSample([](int i) { return std::sin(i / 10.0); });

  std::printf(
      "bytes/sample over an hour every 10 s: cpu %.2f, cpu with 0.1 ms jitter %.2f, "
      "counter %.2f, constant %.2f, sin() %.2f (raw: 16)\n",
      cpu, cpu_jittered, counter, constant, irrational);
  EXPECT_LT(cpu, 2.5);
  EXPECT_LT(cpu_jittered, 5.5);
  EXPECT_LT(counter, 1.0);
  EXPECT_LT(constant, 0.4);
  EXPECT_LT(irrational, 9.0);
}

}  // namespace
}  // namespace vigil::store
