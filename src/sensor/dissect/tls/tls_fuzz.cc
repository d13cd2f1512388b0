// Fuzz target: bytes reach the TLS parsers directly and the stream dissector as a conversation
// (the first byte chooses where the client's bytes end and the segment size). Nothing may
// crash, hang or read outside the input; fact values stay bounded.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/check.h"
#include "sensor/dissect/stream_feeder.h"
#include "sensor/dissect/text.h"
#include "sensor/dissect/tls/certificate.h"
#include "sensor/dissect/tls/dissector.h"
#include "sensor/dissect/tls/ja3.h"
#include "sensor/dissect/tls/ja4.h"
#include "sensor/dissect/tls/message.h"

namespace tls = vigil::sensor::tls;
using vigil::sensor::Direction;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::span<const std::uint8_t> input(data + 1, size - 1);
  if (auto hello = tls::ParseClientHello(input)) {
    (void)tls::Ja3String(*hello);
    (void)tls::Ja4(*hello);
    (void)tls::Ja4Raw(*hello, true);
  }
  if (auto hello = tls::ParseServerHello(input)) (void)tls::Ja3sString(*hello);
  if (auto der = tls::FirstCertificate(input)) (void)tls::ParseCertificate(*der);
  (void)tls::ParseCertificate(input);

  const std::size_t split = std::min<std::size_t>(input.size(), std::size_t{data[0]} * 8);
  const std::size_t piece = 1 + (data[0] % 5) * 97;
  vigil::sensor::CollectingSink sink;
  auto stream = tls::Info().make_stream();
  vigil::sensor::StreamFeeder feeder(*stream, {}, sink);
  for (std::size_t at = 0; at < input.size(); at += piece) {
    const std::size_t end = std::min(input.size(), at + piece);
    // Cut each piece at `split` so the client's bytes and the server's interleave.
    const std::size_t mid = std::clamp(split, at, end);
    if (mid > at) feeder.Deliver(Direction::kClientToServer, input.subspan(at, mid - at));
    if (end > mid) feeder.Deliver(Direction::kServerToClient, input.subspan(mid, end - mid));
  }
  for (const auto& observation : sink.observations) {
    for (const auto& fact : observation.facts) {
      const bool ja3 = fact.key == "tls.ja3_full" || fact.key == "tls.ja3s_full";
      VIGIL_CHECK(fact.value.size() <= (ja3 ? 8192 : vigil::sensor::kMaxFactBytes),
                  "fact value unbounded");
    }
  }
  return 0;
}
