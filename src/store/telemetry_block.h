#pragma once

// The encoded form of one block of telemetry: the samples of one device, metric and hour, as
// store implementations keep them once compacted (device_repo.h). The byte layout is in
// docs/formats/telemetry-block.md: a version byte, the sample count, then a bit stream holding
// every timestamp as a delta-of-delta and every value either as a scaled decimal (delta or
// delta-of-delta of value * 10^d, when every value is such a decimal) or Gorilla-style as the
// XOR of its IEEE 754 bits with the previous value's. The encoder picks the smallest.
//
// Round trip is exact: DecodeBlock(EncodeBlock(s)) == s in order and bit for bit (NaN payloads,
// infinities, -0.0), for any times (equal, decreasing, extreme).
//
// Errors: DecodeBlock returns kDataLoss "telemetry block: ..." for any input EncodeBlock could
// not have produced (truncated, unknown version or value encoding, trailing bytes, a count the
// input is too short to hold). It never reads outside `block` and allocates at most
// kMaxBlockSamples samples, and no more than the input can describe.
//
// Thread safety: pure functions.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/result.h"
#include "store/device_repo.h"

namespace vigil::store {

inline constexpr std::uint8_t kTelemetryBlockVersion = 1;
// Most samples one block may hold (an hour at 1 kHz is 3.6 million).
inline constexpr std::size_t kMaxBlockSamples = std::size_t{1} << 24;

// Encodes `samples` in the order given. More than kMaxBlockSamples is a caller's bug
// (VIGIL_CHECK).
std::vector<std::uint8_t> EncodeBlock(std::span<const TelemetrySample> samples);

Result<std::vector<TelemetrySample>> DecodeBlock(std::span<const std::uint8_t> block);

}  // namespace vigil::store
