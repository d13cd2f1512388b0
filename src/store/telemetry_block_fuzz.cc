// libFuzzer target for the telemetry block decoder (store/telemetry_block.h): any bytes must
// decode or fail with kDataLoss without reading outside the input, and whatever decodes must
// survive an encode and decode again bit for bit.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/check.h"
#include "store/telemetry_block.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigil::store;
  const auto decoded = DecodeBlock(std::span<const std::uint8_t>(data, size));
  if (!decoded) {
    VIGIL_CHECK(decoded.error().code == vigil::ErrorCode::kDataLoss, "corrupt is data loss");
    return 0;
  }
  VIGIL_CHECK(decoded->size() <= size * 4, "at most four samples per input byte");
  const auto again = DecodeBlock(EncodeBlock(*decoded));
  VIGIL_CHECK(again.has_value(), "a re-encoded block decodes");
  VIGIL_CHECK(again->size() == decoded->size(), "same sample count");
  for (std::size_t i = 0; i < decoded->size(); ++i) {
    VIGIL_CHECK((*again)[i].time_unix_nanos == (*decoded)[i].time_unix_nanos, "same time");
    VIGIL_CHECK(std::bit_cast<std::uint64_t>((*again)[i].value) ==
                    std::bit_cast<std::uint64_t>((*decoded)[i].value),
                "same value bits");
  }
  return 0;
}
