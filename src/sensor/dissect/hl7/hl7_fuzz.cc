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
  if (size < 1) return 0;
  const std::size_t split = 1 + (size - 1) * data[0] / 255;
  const std::size_t piece = 1 + data[0] % 97;
  const std::span<const std::uint8_t> client = input.subspan(1, split - 1);
  const std::span<const std::uint8_t> server = input.subspan(split);
  CollectingSink sink;
  auto stream = hl7::Info().make_stream();
  StreamFeeder feeder(*stream, FlowView{}, sink);
  for (std::size_t at = 0; at < client.size() || at < server.size(); at += piece) {
    if (at < client.size()) {
      feeder.Deliver(Direction::kClientToServer,
                     client.subspan(at).first(std::min(piece, client.size() - at)));
    }
    if (at < server.size()) {
      feeder.Deliver(Direction::kServerToClient,
                     server.subspan(at).first(std::min(piece, server.size() - at)));
    }
    if (data[0] == 0x42 && at == piece) feeder.Gap(Direction::kClientToServer);
  }
  VIGIL_CHECK(sink.observations.size() <= hl7::kMaxObservations, "observations unbounded");
  VIGIL_CHECK(sink.findings.size() <= 1, "more than one finding per connection");
  return 0;
}
