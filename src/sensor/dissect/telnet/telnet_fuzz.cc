// Fuzz target: bytes reach the Telnet scanner directly and the stream dissector as a
// conversation (stream_feeder.h's FeedFuzzInput). Nothing may crash, hang or read outside the
// input; fact values stay bounded.

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/check.h"
#include "sensor/dissect/fuzz_checks.h"
#include "sensor/dissect/stream_feeder.h"
#include "sensor/dissect/telnet/dissector.h"
#include "sensor/dissect/telnet/message.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::uint8_t> rest(data, size);
  vigil::sensor::telnet::TelnetScanner scanner;
  while (!rest.empty()) {
    std::size_t consumed = 0;
    (void)scanner.Scan(rest, consumed);
    VIGIL_CHECK(consumed > 0 && consumed <= rest.size(), "scanner made no progress");
    rest = rest.subspan(consumed);
  }
  vigil::sensor::CollectingSink sink;
  auto stream = vigil::sensor::telnet::Info().make_stream();
  vigil::sensor::FeedFuzzInput(*stream, std::span(data, size), sink);
  vigil::sensor::CheckBoundedFacts(sink);
  return 0;
}
