#include "sensor/dissect/modbus/dissector.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <sstream>

#include "core/hex.h"
#include "sensor/dissect/stream_feeder.h"
#include "sensor/dissect/testing/dissect_testing.h"
#include "testing/fixtures.h"

namespace vigil::sensor::modbus {
namespace {

using ByteVector = std::vector<std::uint8_t>;
constexpr auto kToServer = Direction::kClientToServer;
constexpr auto kToClient = Direction::kServerToClient;

FlowView Flow() { return MakeFlow("10.2.0.10", 50200, "10.2.0.50", 502, 40); }

// An MBAP frame: transaction 1, protocol 0, the length, unit, function, data.
ByteVector Frame(std::uint8_t unit, std::uint8_t function, const ByteVector& data) {
  ByteVector out{0x00, 0x01,    0x00, 0x00, 0x00, static_cast<std::uint8_t>(data.size() + 2),
                 unit, function};
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

ByteVector DeviceIdResponse() {
  return Frame(1, 43, {0x0e, 0x01, 0x01, 0x00, 0x00, 0x03, 0x00, 0x04, 'A', 'c', 'm', 'e',
                       0x01, 0x04, 'P',  '-',  'I',  'V',  0x02, 0x04, 'v', '3', '.', '2'});
}

std::vector<StreamChunk> Conversation() {
  return {
      {.direction = kToServer, .bytes = Frame(1, 3, {0x00, 0x01, 0x00, 0x01})},
      {.direction = kToClient, .bytes = Frame(1, 3, {0x02, 0x41, 0xc8})},
      {.direction = kToServer, .bytes = Frame(1, 43, {0x0e, 0x01, 0x00})},
      {.direction = kToClient, .bytes = DeviceIdResponse()},
      {.direction = kToServer, .bytes = Frame(2, 16, {0x00, 0x10, 0x00, 0x01, 0x02, 0x00, 0x07})},
      {.direction = kToClient, .bytes = Frame(2, 0x90, {0x02})},
      {.direction = kToServer, .bytes = Frame(1, 8, {0x00, 0x0a, 0x00, 0x00})}};
}

std::vector<model::Fact> AllFacts(const CollectingSink& sink) {
  std::vector<model::Fact> facts;
  for (const auto& o : sink.observations) facts.insert(facts.end(), o.facts.begin(), o.facts.end());
  return facts;
}

TEST(ModbusProbe, AcceptsWholeFramesOnAnyPort) {
  const ByteVector request = Frame(1, 3, {0x00, 0x01, 0x00, 0x01});
  ByteVector two = request;
  two.insert(two.end(), request.begin(), request.end());
  const ByteVector partial(request.begin(), request.end() - 1);
  const ByteVector http{'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P'};

  EXPECT_TRUE(Info().probe(request, {.server_port = 5020}));
  EXPECT_TRUE(Info().probe(two, {}));
  EXPECT_FALSE(Info().probe(partial, {.server_port = 502}));
  EXPECT_FALSE(Info().probe(http, {}));
  EXPECT_FALSE(Info().probe(Frame(1, 0, {0x00}), {}));
}

TEST(ModbusDissector, ReportsUnitsFunctionsWritesAndIdentity) {
  CollectingSink sink;
  auto stream = Info().make_stream();

  FeedInPieces(*stream, Flow(), Conversation(), 0, sink);

  ASSERT_FALSE(sink.observations.empty());
  EXPECT_EQ(sink.observations[0].subject, Flow().server);
  EXPECT_EQ(sink.observations[0].peer, Flow().client);
  EXPECT_EQ(sink.observations[0].protocol, "modbus");
  const std::vector<model::Fact> expected = {
      {"modbus.unit_id", "1"},
      {"modbus.function", "read_holding_registers"},
      {"modbus.function", "encapsulated_interface"},
      {"modbus.vendor_name", "Acme"},
      {"modbus.product_code", "P-IV"},
      {"modbus.revision", "v3.2"},
      {"modbus.unit_id", "2"},
      {"modbus.function", "write_multiple_registers"},
      {"modbus.write", "true"},
      {"modbus.exception", "write_multiple_registers: illegal_data_address"},
      {"modbus.function", "diagnostics"},
      {"modbus.diagnostics", "10"}};
  EXPECT_EQ(AllFacts(sink), expected);
}

TEST(ModbusDissector, ReportsEachFactOnce) {
  CollectingSink sink;
  auto stream = Info().make_stream();
  auto chunks = Conversation();
  const auto again = Conversation();
  chunks.insert(chunks.end(), again.begin(), again.end());

  FeedInPieces(*stream, Flow(), chunks, 0, sink);

  EXPECT_EQ(AllFacts(sink).size(), 12u);
}

TEST(ModbusDissector, SameFactsForEverySplitAndOneByteAtATime) {
  EXPECT_TRUE(SameResultAtEverySplit(Info(), Flow(), Conversation(), AllFacts));
  EXPECT_TRUE(SameResultOneByteAtATime(Info(), Flow(), Conversation(), AllFacts));
}

TEST(ModbusDissector, StopsAtLostFramingOrAGap) {
  CollectingSink sink;
  auto garbled = Info().make_stream();
  const ByteVector junk{0x00, 0x01, 0x12, 0x34, 0x00, 0x06, 0x01, 0x03};
  auto gapped = Info().make_stream();
  StreamFeeder feeder(*gapped, Flow(), sink);

  const std::size_t consumed = garbled->OnData(kToServer, junk, 1, Flow(), sink);
  feeder.Deliver(kToServer, Frame(1, 3, {0x00, 0x01, 0x00, 0x01}));
  feeder.Gap(kToClient);

  EXPECT_EQ(consumed, junk.size());
  EXPECT_TRUE(garbled->Finished());
  EXPECT_TRUE(gapped->Finished());
}

TEST(ModbusDissector, StopsAfterMaxFrames) {
  CollectingSink sink;
  auto stream = Info().make_stream();
  const ByteVector request = Frame(1, 3, {0x00, 0x01, 0x00, 0x01});
  ByteVector many;
  for (std::size_t i = 0; i < kMaxFrames; ++i)
    many.insert(many.end(), request.begin(), request.end());

  stream->OnData(kToServer, many, 1, Flow(), sink);

  EXPECT_TRUE(stream->Finished());
}

// Each TCP connection of a shared capture, fed in order (payloads cut out by tshark).
std::vector<CollectingSink> DissectCapture(const std::filesystem::path& tshark,
                                           const std::filesystem::path& pcap) {
  std::istringstream lines(RunCommand(tshark.string() + " -r " + pcap.string() +
                                      " -Y 'tcp.len>0' -T fields -e tcp.stream -e tcp.dstport"
                                      " -e tcp.payload 2>/dev/null"));
  std::map<std::string, std::pair<std::unique_ptr<StreamDissector>, CollectingSink>> flows;
  std::map<std::string, std::vector<std::uint8_t>> buffers;
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream columns(line);
    std::string id, port, hex;
    std::getline(columns, id, '\t');
    std::getline(columns, port, '\t');
    std::getline(columns, hex, '\t');
    auto& [stream, sink] = flows[id];
    if (!stream) stream = Info().make_stream();
    const auto dir = port == "502" ? kToServer : kToClient;
    auto& buffer = buffers[id + port];
    auto bytes = HexDecode(hex);
    if (!bytes) continue;
    buffer.insert(buffer.end(), bytes->begin(), bytes->end());
    std::size_t used = stream->OnData(dir, buffer, 1, Flow(), sink);
    buffer.erase(buffer.begin(), buffer.begin() + static_cast<long>(used));
  }
  std::vector<CollectingSink> sinks;
  for (auto& [id, flow] : flows) sinks.push_back(std::move(flow.second));
  return sinks;
}

TEST(ModbusDissector, ReadsTheSharedCaptures) {
  VIGIL_REQUIRE_FIXTURE(ndpi, "pcap/ndpi_modbus.pcap");
  VIGIL_REQUIRE_FIXTURE(zeek, "pcap/zeek_modbusSmall.pcap");
  VIGIL_REQUIRE_TOOL(tshark, "tshark");

  const auto polling = DissectCapture(tshark, ndpi);
  const auto small = DissectCapture(tshark, zeek);

  ASSERT_EQ(polling.size(), 1u);
  EXPECT_EQ(AllFacts(polling[0]),
            (std::vector<model::Fact>{{"modbus.unit_id", "1"},
                                      {"modbus.function", "read_holding_registers"}}));
  int writes = 0;
  for (const auto& sink : small) {
    for (const auto& fact : AllFacts(sink)) writes += fact.key == "modbus.write";
  }
  EXPECT_EQ(writes, 8);  // Eight connections write coils (function 15).
}

}  // namespace
}  // namespace vigil::sensor::modbus
