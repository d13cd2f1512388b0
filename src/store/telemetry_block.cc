#include "store/telemetry_block.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <optional>
#include <string>
#include <utility>

#include "core/check.h"

namespace vigil::store {
namespace {

// Value encodings (docs/formats/telemetry-block.md).
enum class ValueMode : std::uint8_t { kXor = 0, kDecimalDelta = 1, kDecimalDeltaOfDelta = 2 };

constexpr int kMaxDecimals = 9;
constexpr std::array<double, kMaxDecimals + 1> kPow10 = {1e0, 1e1, 1e2, 1e3, 1e4,
                                                         1e5, 1e6, 1e7, 1e8, 1e9};
// Largest scaled value kept as a decimal: every integer up to here is exact in a double.
constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53

tl::unexpected<Error> Corrupt(std::string_view why) {
  return MakeError(ErrorCode::kDataLoss, "telemetry block: " + std::string(why));
}

// Most significant bit first, so a block reads in the order it was written.
class BitWriter {
 public:
  void Write(std::uint64_t value, int bits) {
    for (int i = bits - 1; i >= 0; --i) {
      current_ = static_cast<std::uint8_t>((unsigned{current_} << 1U) | ((value >> i) & 1U));
      if (++used_ == 8) {
        bytes_.push_back(current_);
        current_ = 0;
        used_ = 0;
      }
    }
  }
  void Append(const BitWriter& other) {
    for (std::uint8_t byte : other.bytes_) Write(byte, 8);
    Write(other.current_, other.used_);
  }
  std::size_t bit_size() const { return bytes_.size() * 8 + static_cast<std::size_t>(used_); }
  // Pads the last byte with zero bits.
  std::vector<std::uint8_t> Finish() && {
    if (used_ > 0) bytes_.push_back(static_cast<std::uint8_t>(current_ << (8 - used_)));
    return std::move(bytes_);
  }

 private:
  std::vector<std::uint8_t> bytes_;
  std::uint8_t current_ = 0;
  int used_ = 0;
};

class BitReader {
 public:
  explicit BitReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
  std::size_t remaining() const { return bytes_.size() * 8 - position_; }
  // Reads `bits` (0..64) bits, or nothing when fewer remain.
  std::optional<std::uint64_t> Read(int bits) {
    if (static_cast<std::size_t>(bits) > remaining()) return std::nullopt;
    std::uint64_t value = 0;
    for (int i = 0; i < bits; ++i, ++position_) {
      const unsigned bit = (unsigned{bytes_[position_ / 8]} >> (7 - position_ % 8)) & 1U;
      value = (value << 1) | bit;
    }
    return value;
  }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t position_ = 0;
};

std::uint64_t ZigZag(std::uint64_t x) {
  return (x << 1) ^ static_cast<std::uint64_t>(static_cast<std::int64_t>(x) >> 63);
}

std::uint64_t UnZigZag(std::uint64_t z) { return (z >> 1) ^ (0 - (z & 1)); }

// A signed number (two's complement in `x`): '0' for zero, else '1', six bits holding L - 1
// where L is the bit length of its zigzag form, then that form without its leading one.
void WriteSigned(BitWriter& out, std::uint64_t x) {
  const std::uint64_t z = ZigZag(x);
  if (z == 0) {
    out.Write(0, 1);
    return;
  }
  const int length = 64 - std::countl_zero(z);
  out.Write(1, 1);
  out.Write(static_cast<std::uint64_t>(length - 1), 6);
  out.Write(z, length - 1);
}

std::optional<std::uint64_t> ReadSigned(BitReader& in) {
  const auto flag = in.Read(1);
  if (!flag) return std::nullopt;
  if (*flag == 0) return 0;
  const auto length_minus_one = in.Read(6);
  if (!length_minus_one) return std::nullopt;
  const int rest = static_cast<int>(*length_minus_one);
  const auto low = in.Read(rest);
  if (!low) return std::nullopt;
  return UnZigZag((std::uint64_t{1} << rest) | *low);
}

// Delta-of-delta of a sequence, in wrapping arithmetic so any int64 values round-trip. The
// first delta is taken from zero and not carried, so the second sample costs a delta, not the
// difference between a delta and the first value.
void WriteDeltaOfDelta(BitWriter& out, std::span<const std::uint64_t> values) {
  std::uint64_t previous = 0;
  std::uint64_t previous_delta = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::uint64_t delta = values[i] - previous;
    WriteSigned(out, delta - previous_delta);
    previous = values[i];
    previous_delta = i == 0 ? 0 : delta;
  }
}

bool ReadDeltaOfDelta(BitReader& in, std::span<std::uint64_t> values) {
  std::uint64_t previous = 0;
  std::uint64_t previous_delta = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto dod = ReadSigned(in);
    if (!dod) return false;
    const std::uint64_t delta = previous_delta + *dod;
    values[i] = previous + delta;
    previous = values[i];
    previous_delta = i == 0 ? 0 : delta;
  }
  return true;
}

void WriteDelta(BitWriter& out, std::span<const std::uint64_t> values) {
  std::uint64_t previous = 0;
  for (std::uint64_t value : values) {
    WriteSigned(out, value - previous);
    previous = value;
  }
}

bool ReadDelta(BitReader& in, std::span<std::uint64_t> values) {
  std::uint64_t previous = 0;
  for (std::uint64_t& value : values) {
    const auto delta = ReadSigned(in);
    if (!delta) return false;
    value = previous + *delta;
    previous = value;
  }
  return true;
}

// Gorilla (Pelkonen et al., VLDB 2015, section 4.1.2): '0' for the same bits as the previous
// value; '10' and the meaningful bits inside the previous window; '11', six bits of leading
// zeros, six bits of length - 1 and the meaningful bits, opening a new window.
void WriteXor(BitWriter& out, std::span<const std::uint64_t> bits) {
  if (bits.empty()) return;
  out.Write(bits[0], 64);
  int window_lead = -1;
  int window_trail = 0;
  for (std::size_t i = 1; i < bits.size(); ++i) {
    const std::uint64_t x = bits[i] ^ bits[i - 1];
    if (x == 0) {
      out.Write(0, 1);
      continue;
    }
    const int lead = std::countl_zero(x);
    const int trail = std::countr_zero(x);
    if (window_lead >= 0 && lead >= window_lead && trail >= window_trail) {
      out.Write(0b10, 2);
      out.Write(x >> window_trail, 64 - window_lead - window_trail);
      continue;
    }
    const int length = 64 - lead - trail;
    out.Write(0b11, 2);
    out.Write(static_cast<std::uint64_t>(lead), 6);
    out.Write(static_cast<std::uint64_t>(length - 1), 6);
    out.Write(x >> trail, length);
    window_lead = lead;
    window_trail = trail;
  }
}

Status ReadXor(BitReader& in, std::span<std::uint64_t> bits) {
  if (bits.empty()) return OkStatus();
  const auto first = in.Read(64);
  if (!first) return Corrupt("truncated values");
  bits[0] = *first;
  int window_lead = -1;
  int window_trail = 0;
  for (std::size_t i = 1; i < bits.size(); ++i) {
    const auto same = in.Read(1);
    if (!same) return Corrupt("truncated values");
    if (*same == 0) {
      bits[i] = bits[i - 1];
      continue;
    }
    const auto opens = in.Read(1);
    if (!opens) return Corrupt("truncated values");
    if (*opens == 1) {
      const auto lead = in.Read(6);
      const auto length_minus_one = lead ? in.Read(6) : std::nullopt;
      if (!length_minus_one) return Corrupt("truncated values");
      const int length = static_cast<int>(*length_minus_one) + 1;
      if (static_cast<int>(*lead) + length > 64) return Corrupt("xor window wider than 64 bits");
      window_lead = static_cast<int>(*lead);
      window_trail = 64 - window_lead - length;
    } else if (window_lead < 0) {
      return Corrupt("xor reuses a window before opening one");
    }
    const auto meaningful = in.Read(64 - window_lead - window_trail);
    if (!meaningful) return Corrupt("truncated values");
    bits[i] = bits[i - 1] ^ (*meaningful << window_trail);
  }
  return OkStatus();
}

// The fewest decimals d <= kMaxDecimals with value == k / 10^d for an integer |k| <= 2^53
// (exactly, as the decoder computes it), or nothing. -0.0, NaN and infinities are never decimal.
std::optional<int> DecimalsOf(double value) {
  if (!std::isfinite(value) || (value == 0 && std::signbit(value))) return std::nullopt;
  for (int d = 0; d <= kMaxDecimals; ++d) {
    const double scaled = value * kPow10[static_cast<std::size_t>(d)];
    if (std::fabs(scaled) > kMaxExactInteger) return std::nullopt;
    const double k = std::nearbyint(scaled);
    if (k / kPow10[static_cast<std::size_t>(d)] == value) return d;
  }
  return std::nullopt;
}

void WriteVarint(std::vector<std::uint8_t>& out, std::uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(value | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(value));
}

std::optional<std::uint64_t> ReadVarint(std::span<const std::uint8_t>& in) {
  std::uint64_t value = 0;
  for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
    const std::uint8_t byte = in.front();
    in = in.subspan(1);
    if (shift == 63 && byte > 1) return std::nullopt;  // More than 64 bits.
    value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return value;
  }
  return std::nullopt;
}

// The value part in the smallest applicable encoding, preceded by its mode and decimals bytes.
struct EncodedValues {
  std::vector<std::uint8_t> header;
  BitWriter bits;
};

EncodedValues EncodeValues(std::span<const TelemetrySample> samples) {
  std::vector<std::uint64_t> raw(samples.size());
  int decimals = 0;
  bool decimal = true;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    raw[i] = std::bit_cast<std::uint64_t>(samples[i].value);
    if (!decimal) continue;
    const auto d = DecimalsOf(samples[i].value);
    if (d) decimals = std::max(decimals, *d);
    decimal = d.has_value();
  }
  EncodedValues best{.header = {static_cast<std::uint8_t>(ValueMode::kXor)}};
  WriteXor(best.bits, raw);
  if (!decimal) return best;

  // Scaling by the largest decimals found is exact for each value in theory, but a large value
  // times 10^d may round to a neighbouring integer: check every one, else keep XOR.
  const double scale = kPow10[static_cast<std::size_t>(decimals)];
  std::vector<std::uint64_t> scaled(samples.size());
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const double k = std::nearbyint(samples[i].value * scale);
    if (std::fabs(k) > kMaxExactInteger || k / scale != samples[i].value) return best;
    scaled[i] = static_cast<std::uint64_t>(static_cast<std::int64_t>(k));
  }
  const auto d = static_cast<std::uint8_t>(decimals);
  EncodedValues delta{.header = {static_cast<std::uint8_t>(ValueMode::kDecimalDelta), d}};
  WriteDelta(delta.bits, scaled);
  EncodedValues dod{.header = {static_cast<std::uint8_t>(ValueMode::kDecimalDeltaOfDelta), d}};
  WriteDeltaOfDelta(dod.bits, scaled);
  for (EncodedValues* candidate : {&delta, &dod}) {
    if (candidate->bits.bit_size() + candidate->header.size() * 8 <
        best.bits.bit_size() + best.header.size() * 8) {
      best = std::move(*candidate);
    }
  }
  return best;
}

}  // namespace

std::vector<std::uint8_t> EncodeBlock(std::span<const TelemetrySample> samples) {
  VIGIL_CHECK(samples.size() <= kMaxBlockSamples, "telemetry block holds too many samples");
  std::vector<std::uint8_t> out = {kTelemetryBlockVersion};
  WriteVarint(out, samples.size());
  if (samples.empty()) return out;
  EncodedValues values = EncodeValues(samples);
  out.insert(out.end(), values.header.begin(), values.header.end());

  BitWriter bits;
  std::vector<std::uint64_t> times(samples.size());
  for (std::size_t i = 0; i < samples.size(); ++i) {
    times[i] = static_cast<std::uint64_t>(samples[i].time_unix_nanos);
  }
  WriteDeltaOfDelta(bits, times);
  bits.Append(values.bits);
  const std::vector<std::uint8_t> stream = std::move(bits).Finish();
  out.insert(out.end(), stream.begin(), stream.end());
  return out;
}

Result<std::vector<TelemetrySample>> DecodeBlock(std::span<const std::uint8_t> block) {
  if (block.empty()) return Corrupt("empty");
  if (block[0] != kTelemetryBlockVersion) {
    return Corrupt("unknown version " + std::to_string(block[0]));
  }
  std::span<const std::uint8_t> rest = block.subspan(1);
  const auto count = ReadVarint(rest);
  if (!count) return Corrupt("bad sample count");
  if (*count == 0) {
    if (!rest.empty()) return Corrupt("trailing bytes");
    return std::vector<TelemetrySample>();
  }
  if (rest.empty()) return Corrupt("truncated header");
  const std::uint8_t mode = rest[0];
  rest = rest.subspan(1);
  int decimals = 0;
  if (mode == static_cast<std::uint8_t>(ValueMode::kDecimalDelta) ||
      mode == static_cast<std::uint8_t>(ValueMode::kDecimalDeltaOfDelta)) {
    if (rest.empty()) return Corrupt("truncated header");
    if (rest[0] > kMaxDecimals) return Corrupt("more than 9 decimals");
    decimals = rest[0];
    rest = rest.subspan(1);
  } else if (mode != static_cast<std::uint8_t>(ValueMode::kXor)) {
    return Corrupt("unknown value encoding " + std::to_string(mode));
  }
  // Every sample takes at least one bit for its time and one for its value: a count the rest
  // cannot hold is refused before anything is allocated for it.
  if (*count > kMaxBlockSamples || *count > rest.size() * 4) {
    return Corrupt("sample count " + std::to_string(*count) + " too large for the block");
  }
  const auto n = static_cast<std::size_t>(*count);

  BitReader in(rest);
  std::vector<std::uint64_t> times(n);
  if (!ReadDeltaOfDelta(in, times)) return Corrupt("truncated timestamps");
  std::vector<std::uint64_t> values(n);
  if (mode == static_cast<std::uint8_t>(ValueMode::kXor)) {
    VIGIL_RETURN_IF_ERROR(ReadXor(in, values));
  } else {
    const bool read = mode == static_cast<std::uint8_t>(ValueMode::kDecimalDelta)
                          ? ReadDelta(in, values)
                          : ReadDeltaOfDelta(in, values);
    if (!read) return Corrupt("truncated values");
    for (std::uint64_t& value : values) {
      const double k = static_cast<double>(static_cast<std::int64_t>(value));
      value = std::bit_cast<std::uint64_t>(k / kPow10[static_cast<std::size_t>(decimals)]);
    }
  }
  // Only the zero bits padding the last byte may remain.
  const std::size_t left = in.remaining();
  if (left >= 8) return Corrupt("trailing bytes");
  const auto padding = in.Read(static_cast<int>(left));
  if (!padding || *padding != 0) return Corrupt("non-zero padding");

  std::vector<TelemetrySample> samples(n);
  for (std::size_t i = 0; i < n; ++i) {
    samples[i] = TelemetrySample{.time_unix_nanos = static_cast<std::int64_t>(times[i]),
                                 .value = std::bit_cast<double>(values[i])};
  }
  return samples;
}

}  // namespace vigil::store
