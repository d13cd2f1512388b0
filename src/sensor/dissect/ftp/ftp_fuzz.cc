// Fuzz target: bytes reach the FTP line parsers directly and the stream dissector as a
// conversation (stream_feeder.h's FeedFuzzInput). Nothing may crash, hang or read outside the
// input; fact values stay bounded.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "sensor/dissect/ftp/dissector.h"
#include "sensor/dissect/ftp/message.h"
#include "sensor/dissect/fuzz_checks.h"
#include "sensor/dissect/stream_feeder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)vigil::sensor::ftp::ParseCommand(text);
  (void)vigil::sensor::ftp::ParseReply(text);
  (void)vigil::sensor::ftp::LooksLikeFtp(text);
  vigil::sensor::CollectingSink sink;
  auto stream = vigil::sensor::ftp::Info().make_stream();
  vigil::sensor::FeedFuzzInput(*stream, std::span(data, size), sink);
  vigil::sensor::CheckBoundedFacts(sink);
  return 0;
}
