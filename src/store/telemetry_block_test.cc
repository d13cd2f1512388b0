#include "store/telemetry_block.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
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

}  // namespace
}  // namespace vigil::store
