#include "sensor/dissect/mqtt/dissector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "sensor/dissect/stream_feeder.h"
#include "sensor/dissect/testing/dissect_testing.h"
#include "testing/fixtures.h"

namespace vigil::sensor::mqtt {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr auto kC2S = Direction::kClientToServer;
constexpr auto kS2C = Direction::kServerToClient;

FlowView Flow() { return MakeFlow("10.1.2.3", 40000, "10.9.8.7", 1883, 5); }

std::string Str(std::string_view s) {
  return std::string{static_cast<char>(s.size() >> 8), static_cast<char>(s.size())} +
         std::string(s);
}

std::string Packet(std::uint8_t first, const std::string& body) {
  std::string out(1, static_cast<char>(first));
  std::size_t n = body.size();
  do {
    auto byte = static_cast<std::uint8_t>(n % 128);
    n /= 128;
    out += static_cast<char>(n > 0 ? byte | 0x80 : byte);
  } while (n > 0);
  return out + body;
}

std::string Connect(std::string_view client_id, bool password) {
  std::string body = Str("MQTT") +
                     std::string{4, static_cast<char>(password ? 0xC2 : 0x02), 0, 60} +
                     Str(client_id);
  if (password) body += Str("nurse") + Str("NotARealSecret");
  return Packet(0x10, body);
}

std::vector<StreamChunk> Session() {
  return {MakeChunk(kC2S, Connect("pump-0042", true)),
          MakeChunk(kS2C, Packet(0x20, std::string{0, 0})),
          MakeChunk(kC2S, Packet(0x82, std::string{0, 1} + Str("cmd/pump-0042") + '\0')),
          MakeChunk(kS2C, Packet(0x90, std::string{0, 1, 0})),
          MakeChunk(kC2S, Packet(0x30, Str("ward7/pump/rate") + "12.5")),
          MakeChunk(kC2S, Packet(0x32, Str("ward7/pump/rate") + std::string{0, 7} + "12.6")),
          MakeChunk(kS2C, Packet(0x30, Str("cmd/pump-0042") + "stop")),
          MakeChunk(kC2S, Packet(0xC0, "")),
          MakeChunk(kC2S, Packet(0xE0, ""))};
}

CollectingSink Dissect(const std::vector<StreamChunk>& chunks, std::size_t piece = 0) {
  return DissectStream(Info(), Flow(), chunks, piece);
}

std::vector<std::string> Facts(const CollectingSink& sink) { return SidedFacts(sink, Flow()); }

std::string Describe(const CollectingSink& sink) { return sensor::Describe(sink, Flow()); }

std::span<const std::uint8_t> Bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

TEST(MqttProbe, MatchesConnectWithProtocolName) {
  const ProbeContext context{.server_port = 8883};

  EXPECT_TRUE(Info().probe(Bytes(Connect("x", false)), context));
  EXPECT_TRUE(Info().probe(Bytes(Packet(0x10, Str("MQIsdp") + std::string{3, 2, 0, 9} + Str("c"))),
                           context));
  EXPECT_FALSE(
      Info().probe(Bytes(Packet(0x10, Str("MQTX") + std::string{4, 2, 0, 9} + Str("c"))), context));
  EXPECT_FALSE(Info().probe(Bytes(Packet(0x30, Str("MQTT") + "xxxxxxxx")), context));
  EXPECT_FALSE(Info().probe(Bytes(std::string("\x10\xff\xff\xff\xff", 5)), context));
  EXPECT_FALSE(Info().probe(Bytes(std::string("\x10", 1)), context));
  EXPECT_EQ(Info().name, "mqtt");
}

TEST(MqttDissector, ObservesConnectConnackAndTopics) {
  const auto sink = Dissect(Session());

  EXPECT_THAT(
      Facts(sink),
      ElementsAre("client mqtt.protocol_name=MQTT", "client mqtt.protocol_version=3.1.1",
                  "client mqtt.client_id=pump-0042", "client mqtt.keepalive=60",
                  "client mqtt.username_flag=true", "client mqtt.password_flag=true",
                  "server mqtt.connack=accepted", "client mqtt.subscribe_topic=cmd/pump-0042",
                  "client mqtt.publish_topic=ward7/pump/rate",
                  "server mqtt.publish_topic=cmd/pump-0042"));
  EXPECT_EQ(sink.observations[0].peer, Flow().server);
  EXPECT_EQ(sink.observations[0].vlan, 5);
  EXPECT_EQ(sink.observations[0].protocol, "mqtt");
}

TEST(MqttDissector, ReportsPasswordWithoutTheCredentials) {
  const auto sink = Dissect(Session());

  ASSERT_EQ(sink.findings.size(), 1u);
  EXPECT_EQ(sink.findings[0].kind, "cleartext_credentials");
  EXPECT_EQ(sink.findings[0].severity, model::FindingSeverity::kHigh);
  EXPECT_EQ(sink.findings[0].subject, Flow().client);
  EXPECT_THAT(sink.findings[0].detail, HasSubstr("pump-0042"));
  EXPECT_THAT(Describe(sink), Not(HasSubstr("NotARealSecret")));
  EXPECT_THAT(Describe(sink), Not(HasSubstr("nurse")));
}

TEST(MqttDissector, NoFindingWithoutPassword) {
  const auto sink = Dissect({MakeChunk(kC2S, Connect("anon", false))});

  EXPECT_TRUE(sink.findings.empty());
  EXPECT_THAT(Facts(sink), Contains("client mqtt.password_flag=false"));
}

TEST(MqttDissector, BoundsTopicsAndFinishes) {
  std::vector<StreamChunk> chunks = {MakeChunk(kC2S, Connect("c", false)),
                                     MakeChunk(kS2C, Packet(0x20, std::string{0, 0}))};
  for (int i = 0; i < 40; ++i) {
    chunks.push_back(MakeChunk(kC2S, Packet(0x30, Str("t/" + std::to_string(i)) + "v")));
  }
  CollectingSink sink;
  auto stream = Info().make_stream();

  FeedInPieces(*stream, Flow(), chunks, 0, sink);

  EXPECT_EQ(Facts(sink).size(), 6 + 1 + kMaxTopics);
  EXPECT_TRUE(stream->Finished());
}

TEST(MqttDissector, LargePublishIsSkippedUnread) {
  auto chunks = Session();
  chunks.insert(chunks.begin() + 4,
                MakeChunk(kC2S, Packet(0x30, Str("big/topic") + std::string(1 << 20, 'x'))));

  const auto sink = Dissect(chunks, 1460);

  EXPECT_THAT(Facts(sink), Contains("client mqtt.publish_topic=big/topic"));
  EXPECT_THAT(Facts(sink), Contains("client mqtt.publish_topic=ward7/pump/rate"));
}

TEST(MqttDissector, SameResultSplitAtEveryPosition) {
  EXPECT_TRUE(SameResultAtEverySplit(Info(), Flow(), Session(), Describe));
}

TEST(MqttDissector, SameResultOneByteAtATime) {
  EXPECT_TRUE(SameResultOneByteAtATime(Info(), Flow(), Session(), Describe));
}

TEST(MqttDissector, GapEndsItsDirection) {
  const auto chunks = Session();
  CollectingSink sink;
  auto stream = Info().make_stream();
  StreamFeeder feeder(*stream, Flow(), sink);

  feeder.Deliver(kC2S, chunks[0].bytes);
  feeder.Gap(kC2S);
  feeder.Deliver(kC2S, chunks[4].bytes);
  feeder.Gap(kS2C);

  EXPECT_EQ(sink.observations.size(), 1u) << Describe(sink);
  EXPECT_TRUE(stream->Finished());
}

std::vector<StreamChunk> Testdata(std::string_view name) {
  const auto dir = testing::SourceDir() / "src/sensor/dissect/mqtt/testdata";
  return {MakeChunk(kC2S, testing::ReadFileOrEmpty(dir / (std::string(name) + "_client.bin"))),
          MakeChunk(kS2C, testing::ReadFileOrEmpty(dir / (std::string(name) + "_server.bin")))};
}

TEST(MqttDissector, ReadsMosquittoLoopbackSessions) {
  const auto v311 = Dissect(Testdata("v311_password"), 7);
  const auto v5 = Dissect(Testdata("v5"), 7);
  const auto v31 = Dissect(Testdata("v31_subscribe"), 7);

  EXPECT_THAT(Facts(v311), Contains("client mqtt.client_id=pump-0042"));
  EXPECT_THAT(Facts(v311), Contains("server mqtt.connack=accepted"));
  EXPECT_EQ(v311.findings.size(), 1u);
  EXPECT_THAT(Facts(v5), Contains("client mqtt.protocol_version=5.0"));
  EXPECT_THAT(Facts(v5), Contains("client mqtt.keepalive=30"));
  EXPECT_THAT(Facts(v5), Contains("server mqtt.connack=accepted"));
  EXPECT_THAT(Facts(v5), Contains("client mqtt.publish_topic=ward7/monitor/hr"));
  EXPECT_THAT(Facts(v31), Contains("client mqtt.protocol_name=MQIsdp"));
  EXPECT_THAT(Facts(v31), Contains("client mqtt.subscribe_topic=alarms/+"));
  EXPECT_THAT(Facts(v31), Contains("server mqtt.publish_topic=ward7/dash"));
}

// Rows of a Zeek log: the tab-separated fields of each line that is not a comment.
std::vector<std::vector<std::string>> ZeekRows(const std::filesystem::path& path) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(testing::ReadFileOrEmpty(path));
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields;
    std::istringstream cells(line);
    for (std::string cell; std::getline(cells, cell, '\t');) fields.push_back(cell);
    rows.push_back(fields);
  }
  return rows;
}

// Zeek's mqtt logs for the shared capture as the oracle: per connection (by client port), the
// CONNECT fields, the subscribed and the published topics with their direction.
TEST(MqttDissector, AgreesWithZeekOnSharedCapture) {
  VIGIL_REQUIRE_FIXTURE(pcap, "pcap/zeek_mqtt.pcap");
  VIGIL_REQUIRE_TOOL(tshark, "tshark");
  const std::string payloads = RunCommand(
      tshark.string() + " -r " + pcap.string() +
      " -Y 'tcp.len>0' -T fields -e tcp.srcport -e tcp.dstport -e tcp.payload 2>/dev/null");
  std::map<std::string, std::vector<StreamChunk>> connections;  // By client port.
  std::istringstream lines(payloads);
  for (std::string src, dst, hex; lines >> src >> dst >> hex;) {
    const bool from_client = dst == "1883";
    connections[from_client ? src : dst].push_back(
        MakeChunk(from_client ? kC2S : kS2C, Unhex(hex)));
  }
  std::map<std::string, std::vector<std::string>> ours;
  for (const auto& [port, chunks] : connections) ours[port] = Facts(Dissect(chunks));
  std::map<std::string, std::vector<std::string>> zeeks;
  for (const auto& row : ZeekRows(pcap.string() + ".mqtt_connect.log")) {
    ASSERT_GE(row.size(), 10u);
    auto& facts = zeeks[row[3]];
    facts.push_back("client mqtt.protocol_name=" + row[6]);
    facts.push_back("client mqtt.protocol_version=" + row[7]);
    facts.push_back("client mqtt.client_id=" + row[8]);
    EXPECT_EQ(row[9], "Connection Accepted");
    facts.push_back("server mqtt.connack=accepted");
  }
  for (const auto& row : ZeekRows(pcap.string() + ".mqtt_subscribe.log")) {
    zeeks[row[3]].push_back("client mqtt.subscribe_topic=" + row[7]);
  }
  for (const auto& row : ZeekRows(pcap.string() + ".mqtt_publish.log")) {
    zeeks[row[3]].push_back(std::string(row[6] == "T" ? "client" : "server") +
                            " mqtt.publish_topic=" + row[10]);
  }
  ASSERT_EQ(zeeks.size(), 2u);

  for (const auto& [port, expected] : zeeks) {
    for (const auto& fact : expected) {
      EXPECT_THAT(ours[port], Contains(fact)) << "connection from port " << port;
    }
  }
}

}  // namespace
}  // namespace vigil::sensor::mqtt
