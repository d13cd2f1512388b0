#include "sensor/dissect/hl7/dissector.h"

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

namespace vigil::sensor::hl7 {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr auto kC2S = Direction::kClientToServer;
constexpr auto kS2C = Direction::kServerToClient;

FlowView Flow() { return MakeFlow("10.1.2.3", 40000, "10.9.8.7", 6661, 12); }

std::string Frame(std::string_view message) { return "\x0b" + std::string(message) + "\x1c\r"; }

const std::string kAdt = Frame(
    "MSH|^~\\&|MONITOR_GW|WARD_7|LAB_ENGINE|GENERAL_HOSP|20260101115959||ADT^A01|CTL12345|P|"
    "2.5.1\rEVN|A01|20260101115959\rPID|1||MRN000111||FAKEPERSON^TESTY||19700101|F\r"
    "PV1|1|I|WARD7^701^1\r");
const std::string kAck = Frame(
    "MSH|^~\\&|LAB_ENGINE|GENERAL_HOSP|MONITOR_GW|WARD_7|20260101120000||ACK^A01|ACK1|P|2.5.1\r"
    "MSA|AA|CTL12345\r");

std::vector<StreamChunk> Conversation() { return {MakeChunk(kC2S, kAdt), MakeChunk(kS2C, kAck)}; }

CollectingSink Dissect(const std::vector<StreamChunk>& chunks, std::size_t piece = 0) {
  return DissectStream(Info(), Flow(), chunks, piece);
}

std::string Describe(const CollectingSink& sink) { return sensor::Describe(sink, Flow()); }

std::string ReadTestdata(std::string_view name) {
  return testing::ReadFileOrEmpty(testing::SourceDir() / "src/sensor/dissect/hl7/testdata" /
                                  std::string(name));
}

TEST(Hl7Probe, MatchesStartBlockAndMshOnAnyPort) {
  const std::string payload = kAdt;
  const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(payload.data()),
                                            payload.size());
  const ProbeContext context{.client_port = 51000, .server_port = 31337};

  EXPECT_TRUE(Info().probe(bytes, context));
  EXPECT_FALSE(Info().probe(bytes.subspan(1), context));
  EXPECT_FALSE(Info().probe(bytes.first(3), context));
  EXPECT_EQ(Info().name, "hl7");
  EXPECT_EQ(Info().transport, Transport::kTcp);
}

TEST(Hl7Dissector, ObservesEachSenderWithItsHeaderFields) {
  const auto sink = Dissect(Conversation());

  ASSERT_EQ(sink.observations.size(), 2u) << Describe(sink);
  const auto& adt = sink.observations[0];
  EXPECT_EQ(adt.protocol, "hl7");
  EXPECT_EQ(adt.subject, Flow().client);
  EXPECT_EQ(adt.peer, Flow().server);
  EXPECT_EQ(adt.vlan, 12);
  EXPECT_EQ(adt.time_unix_nanos, 1);
  EXPECT_EQ(Value(adt, "hl7.sending_application"), "MONITOR_GW");
  EXPECT_EQ(Value(adt, "hl7.sending_facility"), "WARD_7");
  EXPECT_EQ(Value(adt, "hl7.receiving_application"), "LAB_ENGINE");
  EXPECT_EQ(Value(adt, "hl7.receiving_facility"), "GENERAL_HOSP");
  EXPECT_EQ(Value(adt, "hl7.message_type"), "ADT^A01");
  EXPECT_EQ(Value(adt, "hl7.version"), "2.5.1");
  EXPECT_EQ(Value(adt, "hl7.segments"), "MSH,EVN,PID,PV1");
  const auto& ack = sink.observations[1];
  EXPECT_EQ(ack.subject, Flow().server);
  EXPECT_EQ(Value(ack, "hl7.sending_application"), "LAB_ENGINE");
  EXPECT_EQ(Value(ack, "hl7.ack_code"), "AA");
}

TEST(Hl7Dissector, ReportsPatientDataOncePerConnection) {
  std::vector<StreamChunk> chunks = Conversation();
  chunks.push_back(MakeChunk(kC2S, kAdt));

  const auto sink = Dissect(chunks);

  ASSERT_EQ(sink.findings.size(), 1u);
  const auto& finding = sink.findings[0];
  EXPECT_EQ(finding.kind, "cleartext_patient_data");
  EXPECT_EQ(finding.protocol, "hl7");
  EXPECT_EQ(finding.severity, model::FindingSeverity::kHigh);
  EXPECT_EQ(finding.subject, Flow().client);
  EXPECT_THAT(finding.detail, HasSubstr("PID,PV1"));
  EXPECT_THAT(finding.detail, HasSubstr("MONITOR_GW"));
  EXPECT_THAT(finding.detail, HasSubstr("LAB_ENGINE"));
  EXPECT_EQ(sink.observations.size(), 2u) << "a repeated message is not observed again";
}

TEST(Hl7Dissector, NoFindingWithoutPatientSegments) {
  const auto sink = Dissect({MakeChunk(kS2C, kAck)});

  EXPECT_TRUE(sink.findings.empty());
  EXPECT_EQ(sink.observations.size(), 1u);
}

TEST(Hl7Dissector, NeverEmitsControlIdOrPatientValues) {
  const auto sink = Dissect(Conversation());

  const std::string all = Describe(sink);
  for (const char* secret :
       {"CTL12345", "ACK1", "MRN000111", "FAKEPERSON", "TESTY", "19700101", "WARD7^701"}) {
    EXPECT_THAT(all, Not(HasSubstr(secret)));
  }
}

TEST(Hl7Dissector, SameResultSplitAtEveryPosition) {
  EXPECT_TRUE(SameResultAtEverySplit(Info(), Flow(), Conversation(), Describe));
}

TEST(Hl7Dissector, SameResultOneByteAtATime) {
  EXPECT_TRUE(SameResultOneByteAtATime(Info(), Flow(), Conversation(), Describe));
}

TEST(Hl7Dissector, ResynchronisesAfterGap) {
  CollectingSink sink;
  auto stream = Info().make_stream();
  StreamFeeder feeder(*stream, Flow(), sink);
  const std::string& adt = kAdt;
  const auto bytes = std::span(reinterpret_cast<const std::uint8_t*>(adt.data()), adt.size());

  feeder.Deliver(kC2S, bytes.first(40));
  feeder.Gap(kC2S);
  feeder.Deliver(kC2S, bytes.subspan(60));
  feeder.Deliver(kC2S, bytes);

  ASSERT_EQ(sink.observations.size(), 1u) << Describe(sink);
  EXPECT_EQ(Value(sink.observations[0], "hl7.segments"), "MSH,EVN,PID,PV1");
}

TEST(Hl7Dissector, OversizedMessageIsReadFromItsPrefix) {
  std::string big = "\x0bMSH|^~\\&|BIG_APP|F|R|RF|1||ORU^R01|1|P|2.3\rPID|1\rOBX|1|ED|PDF||";
  big += std::string(200 * 1024, 'A') + "\r\x1c\r";
  const auto chunks = std::vector{MakeChunk(kC2S, big), MakeChunk(kC2S, kAdt)};

  const auto sink = Dissect(chunks, 1460);

  ASSERT_EQ(sink.observations.size(), 2u) << Describe(sink);
  EXPECT_EQ(Value(sink.observations[0], "hl7.sending_application"), "BIG_APP");
  EXPECT_EQ(Value(sink.observations[0], "hl7.segments"), "MSH,PID");
  EXPECT_EQ(Value(sink.observations[1], "hl7.sending_application"), "MONITOR_GW");
}

TEST(Hl7Dissector, GivesUpOnTrafficThatIsNotHl7) {
  CollectingSink sink;
  auto stream = Info().make_stream();
  StreamFeeder feeder(*stream, Flow(), sink);
  const std::vector<std::uint8_t> junk(4096, 'x');

  for (int i = 0; i < 20; ++i) feeder.Deliver(kC2S, junk);

  EXPECT_TRUE(stream->Finished());
  EXPECT_TRUE(sink.observations.empty());
}

TEST(Hl7Dissector, BoundsObservationsPerConnection) {
  std::vector<StreamChunk> chunks;
  for (int i = 0; i < 100; ++i) {
    chunks.push_back(MakeChunk(
        kC2S, Frame("MSH|^~\\&|APP" + std::to_string(i) + "|F|R|RF|1||ADT^A01|1|P|2.3\rPID|1\r")));
  }

  const auto sink = Dissect(chunks);

  EXPECT_EQ(sink.observations.size(), kMaxObservations);
  EXPECT_EQ(sink.findings.size(), 1u);
}

TEST(Hl7Dissector, ReadsLoopbackCaptureFromMllpSend) {
  const std::string client = ReadTestdata("mllp_client.bin");
  const std::string server = ReadTestdata("mllp_server.bin");
  ASSERT_FALSE(client.empty());
  ASSERT_FALSE(server.empty());

  const auto sink = Dissect({MakeChunk(kC2S, client), MakeChunk(kS2C, server)}, 100);

  ASSERT_EQ(sink.observations.size(), 3u) << Describe(sink);
  EXPECT_EQ(Value(sink.observations[0], "hl7.message_type"), "ADT^A01");
  EXPECT_EQ(Value(sink.observations[0], "hl7.segments"), "MSH,EVN,PID,PV1,OBX");
  EXPECT_EQ(Value(sink.observations[1], "hl7.message_type"), "ORU^R01");
  EXPECT_EQ(Value(sink.observations[2], "hl7.ack_code"), "AA");
  ASSERT_EQ(sink.findings.size(), 1u);
  EXPECT_THAT(sink.findings[0].detail, HasSubstr("PID,PV1,OBX"));
}

// The shared capture's ADT^A01 carries a (synthetic) patient: its PID and NK1 values are read
// with tshark at test time, and none may appear in anything the dissector emits.
TEST(Hl7Dissector, SharedCaptureLeaksNoPatientValue) {
  VIGIL_REQUIRE_FIXTURE(pcap, "pcap/ndpi_hl7.pcap");
  VIGIL_REQUIRE_TOOL(tshark, "tshark");
  const std::string base = tshark.string() + " -r " + pcap.string() + " -d tcp.port==6661,hl7";
  const std::string payloads =
      RunCommand(base + " -Y 'tcp.len>0' -T fields -e tcp.srcport -e tcp.payload 2>/dev/null");
  const std::string segments = RunCommand(base + " -Y hl7 -T fields -e hl7.segment 2>/dev/null");
  std::vector<StreamChunk> chunks;
  std::istringstream lines(payloads);
  for (std::string port, hex; lines >> port >> hex;) {
    chunks.push_back(MakeChunk(port == "6661" ? kS2C : kC2S, Unhex(hex)));
  }
  std::vector<std::string> secrets;
  for (const std::string segment_id : {"PID|", "NK1|"}) {
    const std::size_t at = segments.find(segment_id);
    ASSERT_NE(at, std::string::npos) << segment_id << " not in " << segments;
    const std::string segment = segments.substr(at + 4, segments.find("\\r", at) - at - 4);
    std::string value;
    for (char c : segment + "|") {
      if (c == '|' || c == '^') {
        if (value.size() >= 3) secrets.push_back(value);
        value.clear();
      } else {
        value += c;
      }
    }
  }
  ASSERT_GE(secrets.size(), 5u);

  const auto sink = Dissect(chunks);

  ASSERT_EQ(sink.observations.size(), 2u) << Describe(sink);
  EXPECT_EQ(Value(sink.observations[0], "hl7.message_type"), "ADT^A01");
  EXPECT_EQ(Value(sink.observations[0], "hl7.sending_application"), "SENDING_APPLICATION");
  EXPECT_EQ(Value(sink.observations[0], "hl7.version"), "2.3");
  EXPECT_EQ(Value(sink.observations[1], "hl7.message_type"), "ACK");
  ASSERT_EQ(sink.findings.size(), 1u);
  EXPECT_THAT(sink.findings[0].detail, HasSubstr("PID,NK1,PV1,AL1"));
  const std::string all = Describe(sink);
  for (const auto& secret : secrets) {
    EXPECT_THAT(all, Not(HasSubstr(secret))) << "patient value leaked";
  }
}

}  // namespace
}  // namespace vigil::sensor::hl7
