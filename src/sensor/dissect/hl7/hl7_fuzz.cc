// Fuzz target: ParseMessage on arbitrary bytes, and the HL7 stream dissector on a connection
// made of them (split into two directions at a position taken from the first byte, delivered
// in pieces). Nothing may crash, read out of bounds or leak a field it should not keep.

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/check.h"
#include "sensor/dissect/hl7/dissector.h"
#include "sensor/dissect/hl7/message.h"
#include "sensor/dissect/stream_feeder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigil::sensor;
  const std::span<const std::uint8_t> input(data, size);
  if (const auto message = hl7::ParseMessage(input, size % 2 == 1)) {
    VIGIL_CHECK(message->segment_ids.size() <= hl7::kMaxSegmentIds, "segment ids unbounded");
    VIGIL_CHECK(message->sending_application.size() <= hl7::kMaxFieldBytes, "field unbounded");
  }
  CollectingSink sink;
  auto stream = hl7::Info().make_stream();
  FeedFuzzInput(*stream, input, sink);
  VIGIL_CHECK(sink.observations.size() <= hl7::kMaxObservations, "observations unbounded");
  VIGIL_CHECK(sink.findings.size() <= 1, "more than one finding per connection");
  return 0;
}
