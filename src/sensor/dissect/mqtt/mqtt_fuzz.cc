// Fuzz target: the MQTT packet parsers on arbitrary bytes, and the MQTT stream dissector on a
// connection made of them (split into two directions at a position taken from the first byte,
// delivered in pieces). Nothing may crash, read out of bounds or grow without bound.

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/check.h"
#include "sensor/dissect/mqtt/dissector.h"
#include "sensor/dissect/mqtt/message.h"
#include "sensor/dissect/stream_feeder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigil::sensor;
  const std::span<const std::uint8_t> input(data, size);
  mqtt::FixedHeader header;
  (void)mqtt::ReadFixedHeader(input, header);
  if (const auto connect = mqtt::ParseConnect(input)) {
    VIGIL_CHECK(connect->client_id.size() <= mqtt::kMaxStringBytes, "client id unbounded");
  }
  (void)mqtt::ParseConnack(input);
  (void)mqtt::ParsePublishTopic(input);
  if (const auto topics = mqtt::ParseSubscribeTopics(input, size % 2 == 0 ? 5 : 4, 16)) {
    VIGIL_CHECK(topics->size() <= 16, "subscribe topics unbounded");
  }
  CollectingSink sink;
  auto stream = mqtt::Info().make_stream();
  FeedFuzzInput(*stream, input, sink);
  std::size_t facts = 0;
  for (const auto& observation : sink.observations) facts += observation.facts.size();
  VIGIL_CHECK(facts <= 6 + 1 + mqtt::kMaxTopics, "facts unbounded");
  VIGIL_CHECK(sink.findings.size() <= 1, "more than one finding per connection");
  return 0;
}
