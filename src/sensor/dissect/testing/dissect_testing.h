#pragma once

// What the dissectors' tests share: reading facts out of observations, describing what a sink
// collected, feeding a packet or a recorded conversation to a dissector, checking that a stream
// dissector gives the same result however its bytes are cut, and running a reference tool
// (tshark, zeek) whose output a test compares with. Linked only into tests; nothing here
// returns errors: a missing tool or file gives empty output, which the tests assert against.

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/observation.h"
#include "sensor/decode/packet.h"
#include "sensor/dissect/dissector.h"
#include "sensor/dissect/sink.h"
#include "sensor/dissect/stream_feeder.h"

namespace vigil::sensor {

// The values of every fact of `o` named `key`, in order.
std::vector<std::string> Values(const model::Observation& o, std::string_view key);

// The first value of `key` in `o`, or `absent` when it has none.
std::string Value(const model::Observation& o, std::string_view key, std::string_view absent = "");

// A flow between client_ip:client_port and server_ip:server_port (literal addresses).
FlowView MakeFlow(std::string_view client_ip, std::uint16_t client_port, std::string_view server_ip,
                  std::uint16_t server_port, std::uint16_t vlan);

// Each fact of each observation as "client key=value" or "server key=value" (by whether the
// observation's subject is the client of `flow`), in order.
std::vector<std::string> SidedFacts(const CollectingSink& sink, const FlowView& flow);

// Everything `sink` holds: a line per observation ("client:" or "server:", then "key=value;"
// for each fact) and a line per finding ("kind:detail").
std::string Describe(const CollectingSink& sink, const FlowView& flow);

// A UDP datagram over Ethernet and IPv4 from src_ip:src_port to dst_ip:dst_port (literal
// addresses) carrying `payload`, which must outlive the packet. Time, MACs and VLAN are the
// test's to set.
Packet MakeUdpPacket(std::string_view src_ip, std::uint16_t src_port, std::string_view dst_ip,
                     std::uint16_t dst_port, std::span<const std::uint8_t> payload);

// The observations and findings of `info`'s packet dissector for `packet`.
CollectingSink DissectPacket(const DissectorInfo& info, const Packet& packet);

// The observations and findings of a new `info` stream dissector fed `chunks` over `flow` in
// pieces of at most `piece` bytes (0: each chunk whole), as FeedInPieces does.
CollectingSink DissectStream(const DissectorInfo& info, const FlowView& flow,
                             const std::vector<StreamChunk>& chunks, std::size_t piece = 0);

// Feeds `chunks` whole, then cut at every offset of the conversation (FeedSplitAt), each time
// to a new dissector; succeeds when `summary` of every cut run equals that of the whole run,
// and names the first offset that differs otherwise. `summary` maps a CollectingSink to what
// the test compares (an equality-comparable value gtest can print).
template <typename Summary>
::testing::AssertionResult SameResultAtEverySplit(const DissectorInfo& info, const FlowView& flow,
                                                  const std::vector<StreamChunk>& chunks,
                                                  Summary summary) {
  const auto whole = summary(DissectStream(info, flow, chunks));
  for (std::size_t offset = 1; offset < ConversationSize(chunks); ++offset) {
    CollectingSink sink;
    auto stream = info.make_stream();
    FeedSplitAt(*stream, flow, chunks, offset, sink);
    const auto cut = summary(sink);
    if (!(cut == whole)) {
      return ::testing::AssertionFailure()
             << "split at " << offset << ": " << ::testing::PrintToString(cut)
             << "\nwhole: " << ::testing::PrintToString(whole);
    }
  }
  return ::testing::AssertionSuccess();
}

// Feeds `chunks` whole and one byte at a time; succeeds when `summary` of both runs is equal.
template <typename Summary>
::testing::AssertionResult SameResultOneByteAtATime(const DissectorInfo& info, const FlowView& flow,
                                                    const std::vector<StreamChunk>& chunks,
                                                    Summary summary) {
  const auto whole = summary(DissectStream(info, flow, chunks));
  const auto bytewise = summary(DissectStream(info, flow, chunks, 1));
  if (bytewise == whole) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "one byte at a time: " << ::testing::PrintToString(bytewise)
         << "\nwhole: " << ::testing::PrintToString(whole);
}

// What `command` (run by the shell) printed on its standard output; empty if it could not run.
std::string RunCommand(const std::string& command);

// The bytes that pairs of hexadecimal digits stand for ("4869" -> "Hi"); a trailing odd digit is
// ignored.
std::string Unhex(std::string_view hex);

}  // namespace vigil::sensor
