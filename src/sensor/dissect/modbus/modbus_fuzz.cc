// Fuzz target: bytes reach the Modbus parsers directly and the stream dissector as a
// conversation (stream_feeder.h's FeedFuzzInput). Nothing may crash, hang or read outside the
// input; fact values stay bounded.

#include <cstddef>
#include <cstdint>
#include <span>

#include "sensor/dissect/fuzz_checks.h"
#include "sensor/dissect/modbus/dissector.h"
#include "sensor/dissect/modbus/message.h"
#include "sensor/dissect/stream_feeder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  if (auto frame = vigil::sensor::modbus::ParseFrame(input)) {
    (void)vigil::sensor::modbus::ParseDeviceIdentification(frame->data);
  }
  (void)vigil::sensor::modbus::Info().probe(input, {});
  vigil::sensor::CollectingSink sink;
  auto stream = vigil::sensor::modbus::Info().make_stream();
  vigil::sensor::FeedFuzzInput(*stream, input, sink);
  vigil::sensor::CheckBoundedFacts(sink);
  return 0;
}
