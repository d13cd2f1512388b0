// Fuzz target: the HTTP head and chunk-line parsers on arbitrary bytes, and the HTTP stream
// dissector on a connection made of them (split into two directions at a position taken from
// the first byte, delivered in pieces). Nothing may crash, hang or grow without bound.

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/check.h"
#include "sensor/dissect/http/dissector.h"
#include "sensor/dissect/http/message.h"
#include "sensor/dissect/stream_feeder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigil::sensor;
  const std::span<const std::uint8_t> input(data, size);
  http::Head head;
  std::size_t scanned = 0;
  if (http::ParseHead(input, head, scanned) == http::ParseStatus::kOk) {
    VIGIL_CHECK(head.size <= size && head.size <= http::kMaxHeadBytes, "head past its bytes");
  }
  bool incomplete = false;
  if (const auto chunk = http::ParseChunkLine(input, incomplete)) {
    VIGIL_CHECK(chunk->line_bytes <= size, "chunk line past its bytes");
  }
  CollectingSink sink;
  auto stream = http::Info().make_stream();
  FeedFuzzInput(*stream, input, sink);
  std::size_t facts = 0;
  for (const auto& observation : sink.observations) facts += observation.facts.size();
  VIGIL_CHECK(facts <= http::kMaxFactsPerConnection, "facts unbounded");
  VIGIL_CHECK(sink.findings.size() <= 1, "more than one finding per connection");
  return 0;
}
