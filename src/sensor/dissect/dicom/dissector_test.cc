#include "sensor/dissect/dicom/dissector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "sensor/dissect/dicom/dicom_test_util.h"
#include "sensor/dissect/stream_feeder.h"
#include "sensor/dissect/testing/dissect_testing.h"
#include "testing/fixtures.h"
#include "testing/pcap_writer.h"

namespace vigil::sensor::dicom {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace test;

constexpr auto kC2S = Direction::kClientToServer;
constexpr auto kS2C = Direction::kServerToClient;
constexpr std::string_view kCt = "1.2.840.10008.5.1.4.1.1.2";
constexpr std::string_view kExplicit = "1.2.840.10008.1.2.1";

FlowView Flow() { return MakeFlow("10.1.2.3", 40000, "10.9.8.7", 104, 7); }

StreamChunk Chunk(Direction dir, const Bytes& bytes) { return {.direction = dir, .bytes = bytes}; }

std::vector<StreamChunk> StoreAssociation() {
  const Bytes rq = AssociationPdu(
      0x01, "PACS_MAIN", "CT_SCANNER_3",
      {Item(0x10, "1.2.840.10008.3.1.1.1"), RequestContext(1, kCt, {std::string(kExplicit)}),
       RequestContext(3, "1.2.840.10008.1.1", {std::string(kExplicit)}),
       UserInformation(32768, "1.2.3.4.5", "CT_VENDOR_9")});
  const Bytes ac = AssociationPdu(
      0x02, "PACS_MAIN", "CT_SCANNER_3",
      {Item(0x10, "1.2.840.10008.3.1.1.1"), AcceptContext(1, 0, kExplicit),
       AcceptContext(3, 3, kExplicit), UserInformation(16384, "9.8.7", "PACS_SOFT_2")});
  const Bytes pdata = Pdu(0x04, Bytes(300, 0x42));
  return {Chunk(kC2S, rq),
          Chunk(kS2C, ac),
          Chunk(kC2S, Concat({pdata, pdata})),
          Chunk(kS2C, Pdu(0x04, Bytes(100, 0))),
          Chunk(kC2S, Pdu(0x05, {0, 0, 0, 0})),
          Chunk(kS2C, Pdu(0x06, {0, 0, 0, 0}))};
}

CollectingSink Dissect(const std::vector<StreamChunk>& chunks, std::size_t piece = 0) {
  return DissectStream(Info(), Flow(), chunks, piece);
}

std::string Describe(const CollectingSink& sink) { return sensor::Describe(sink, Flow()); }

std::vector<StreamChunk> Testdata(std::string_view name) {
  const auto dir = testing::SourceDir() / "src/sensor/dissect/dicom/testdata";
  const std::string client = testing::ReadFileOrEmpty(dir / (std::string(name) + "_client.bin"));
  const std::string server = testing::ReadFileOrEmpty(dir / (std::string(name) + "_server.bin"));
  return {MakeChunk(kC2S, client), MakeChunk(kS2C, server)};
}

TEST(DicomProbe, MatchesAssociateRequestOnAnyPort) {
  const Bytes rq = StoreAssociation()[0].bytes;
  const ProbeContext context{.client_port = 40000, .server_port = 4242};

  EXPECT_TRUE(Info().probe(rq, context));
  EXPECT_FALSE(Info().probe(std::span(rq).first(7), context));
  EXPECT_FALSE(Info().probe(Pdu(0x01, Bytes(10, 0)), context)) << "too short for an rq";
  EXPECT_FALSE(Info().probe(Pdu(0x04, Bytes(80, 0)), context));
  Bytes wrong_version = rq;
  wrong_version[7] = 2;
  EXPECT_FALSE(Info().probe(wrong_version, context));
  EXPECT_EQ(Info().name, "dicom");
}

TEST(DicomDissector, ObservesRequesterAndAcceptor) {
  const auto sink = Dissect(StoreAssociation());

  ASSERT_EQ(sink.observations.size(), 3u) << Describe(sink);
  const auto& rq = sink.observations[0];
  EXPECT_EQ(rq.protocol, "dicom");
  EXPECT_EQ(rq.subject, Flow().client);
  EXPECT_EQ(rq.peer, Flow().server);
  EXPECT_EQ(rq.vlan, 7);
  EXPECT_EQ(Value(rq, "dicom.calling_ae"), "CT_SCANNER_3");
  EXPECT_EQ(Value(rq, "dicom.application_context"), "1.2.840.10008.3.1.1.1");
  EXPECT_THAT(Values(rq, "dicom.abstract_syntax"),
              ::testing::ElementsAre(kCt, "1.2.840.10008.1.1"));
  EXPECT_THAT(Values(rq, "dicom.sop_class"),
              ::testing::ElementsAre("CT Image Storage", "Verification"));
  EXPECT_EQ(Value(rq, "dicom.role"), "storage_scu");
  EXPECT_EQ(Value(rq, "dicom.implementation_class"), "1.2.3.4.5");
  EXPECT_EQ(Value(rq, "dicom.implementation_version"), "CT_VENDOR_9");
  EXPECT_EQ(Value(rq, "dicom.max_pdu_length"), "32768");
  const auto& ac = sink.observations[1];
  EXPECT_EQ(ac.subject, Flow().server);
  EXPECT_EQ(Value(ac, "dicom.called_ae"), "PACS_MAIN");
  EXPECT_EQ(Value(ac, "dicom.implementation_class"), "9.8.7");
  EXPECT_EQ(Value(ac, "dicom.implementation_version"), "PACS_SOFT_2");
  EXPECT_THAT(Values(ac, "dicom.accepted_sop_class"), ::testing::ElementsAre("CT Image Storage"));
  EXPECT_THAT(Values(ac, "dicom.transfer_syntax"),
              ::testing::ElementsAre("Explicit VR Little Endian"));
}

TEST(DicomDissector, CountsPDataAtRelease) {
  const auto sink = Dissect(StoreAssociation());

  ASSERT_EQ(sink.observations.size(), 3u);
  const auto& counts = sink.observations[2];
  EXPECT_EQ(counts.subject, Flow().client);
  EXPECT_EQ(Value(counts, "dicom.pdata_pdus_sent"), "2");
  EXPECT_EQ(Value(counts, "dicom.pdata_bytes_sent"), "600");
  EXPECT_EQ(Value(counts, "dicom.pdata_pdus_received"), "1");
  EXPECT_EQ(Value(counts, "dicom.pdata_bytes_received"), "100");
}

TEST(DicomDissector, DatasetsInClearAreAPatientDataFindingOncePerConnection) {
  const auto sink = Dissect(StoreAssociation());

  ASSERT_EQ(sink.findings.size(), 1u);
  const model::Finding& f = sink.findings[0];
  EXPECT_EQ(f.kind, "cleartext_patient_data");
  EXPECT_EQ(f.protocol, "dicom");
  EXPECT_EQ(f.severity, model::FindingSeverity::kHigh);
  EXPECT_EQ(f.subject, Flow().client);
  EXPECT_THAT(f.detail, HasSubstr("CT_SCANNER_3 -> PACS_MAIN"));
}

TEST(DicomDissector, AnEchoCarriesNoPatientData) {
  const auto sink = Dissect(Testdata("echo"), 50);

  EXPECT_TRUE(sink.findings.empty());
}

TEST(DicomDissector, AConnectionThatJustEndsStillReportsItsCounts) {
  auto chunks = StoreAssociation();
  chunks.resize(4);  // No A-RELEASE: the connection is cut after the datasets.
  CollectingSink sink;
  auto stream = Info().make_stream();
  FeedInPieces(*stream, Flow(), chunks, 0, sink);
  ASSERT_EQ(sink.observations.size(), 2u);

  stream->OnEnd(99, Flow(), sink);

  ASSERT_EQ(sink.observations.size(), 3u);
  EXPECT_EQ(Value(sink.observations[2], "dicom.pdata_pdus_sent"), "2");
  EXPECT_EQ(sink.observations[2].time_unix_nanos, 99);
}

TEST(DicomDissector, FinishesAfterRelease) {
  CollectingSink sink;
  auto stream = Info().make_stream();

  FeedInPieces(*stream, Flow(), StoreAssociation(), 0, sink);

  EXPECT_TRUE(stream->Finished());
}

TEST(DicomDissector, SameResultSplitAtEveryPosition) {
  EXPECT_TRUE(SameResultAtEverySplit(Info(), Flow(), StoreAssociation(), Describe));
}

TEST(DicomDissector, SameResultOneByteAtATime) {
  EXPECT_TRUE(SameResultOneByteAtATime(Info(), Flow(), StoreAssociation(), Describe));
}

TEST(DicomDissector, GapEndsItsDirection) {
  const auto chunks = StoreAssociation();
  CollectingSink sink;
  auto stream = Info().make_stream();
  StreamFeeder feeder(*stream, Flow(), sink);

  feeder.Deliver(kC2S, chunks[0].bytes);
  feeder.Gap(kS2C);
  feeder.Deliver(kS2C, chunks[1].bytes);
  feeder.Gap(kC2S);

  EXPECT_EQ(sink.observations.size(), 1u) << Describe(sink);
  EXPECT_TRUE(stream->Finished());
}

TEST(DicomDissector, RejectNamesResultSourceAndReason) {
  const auto chunks = std::vector{StoreAssociation()[0], Chunk(kS2C, Pdu(0x03, {0, 1, 1, 7}))};

  const auto sink = Dissect(chunks);

  ASSERT_EQ(sink.observations.size(), 2u) << Describe(sink);
  EXPECT_EQ(sink.observations[1].subject, Flow().server);
  EXPECT_EQ(Value(sink.observations[1], "dicom.called_ae"), "PACS_MAIN");
  EXPECT_EQ(Value(sink.observations[1], "dicom.reject"),
            "rejected-permanent, dicom-ul-service-user, called-ae-title-not-recognized");
}

TEST(DicomDissector, AbortIsObservedWithCounts) {
  const auto chunks = std::vector{StoreAssociation()[0], Chunk(kC2S, Pdu(0x07, {0, 0, 0, 0}))};

  const auto sink = Dissect(chunks);

  ASSERT_EQ(sink.observations.size(), 3u) << Describe(sink);
  EXPECT_EQ(Value(sink.observations[1], "dicom.abort"), "dicom-ul-service-user, not-specified");
  EXPECT_EQ(Value(sink.observations[2], "dicom.pdata_pdus_sent"), "0");
}

TEST(DicomDissector, OversizedAssociationPduEndsDirection) {
  const auto sink = Dissect({Chunk(kC2S, Pdu(0x01, Bytes(kMaxAssociationPdu, 0)))}, 1460);

  EXPECT_TRUE(sink.observations.empty());
}

TEST(DicomDissector, LargePDataIsSkippedWithoutBuffering) {
  auto chunks = StoreAssociation();
  chunks[2] = Chunk(kC2S, Pdu(0x04, Bytes(1 << 20, 1)));

  const auto sink = Dissect(chunks, 1460);

  ASSERT_EQ(sink.observations.size(), 3u) << Describe(sink);
  EXPECT_EQ(Value(sink.observations[2], "dicom.pdata_bytes_sent"), std::to_string(1 << 20));
}

TEST(DicomDissector, ReadsOneAssociationPerConnection) {
  auto chunks = StoreAssociation();
  chunks.insert(chunks.begin() + 1, chunks[0]);
  chunks.insert(chunks.begin() + 3, chunks[2]);

  const auto sink = Dissect(chunks);

  EXPECT_EQ(sink.observations.size(), 3u) << Describe(sink);
}

TEST(DicomDissector, DcmtkEchoIsVerificationOnly) {
  const auto sink = Dissect(Testdata("echo"), 50);

  ASSERT_EQ(sink.observations.size(), 3u) << Describe(sink);
  EXPECT_EQ(Value(sink.observations[0], "dicom.role"), "verification_scu");
  EXPECT_EQ(Value(sink.observations[0], "dicom.implementation_version"), "OFFIS_DCMTK_367");
  EXPECT_EQ(Value(sink.observations[1], "dicom.called_ae"), "PACS_MAIN");
  EXPECT_EQ(Value(sink.observations[2], "dicom.pdata_pdus_sent"), "1");
}

TEST(DicomDissector, DcmtkStoreProposesManyStorageClassesAndSendsNoPatientData) {
  const auto sink = Dissect(Testdata("store"), 1000);

  ASSERT_EQ(sink.observations.size(), 3u) << Describe(sink);
  EXPECT_EQ(Value(sink.observations[0], "dicom.role"), "storage_scu");
  EXPECT_THAT(Values(sink.observations[0], "dicom.sop_class"), Contains("CT Image Storage"));
  EXPECT_THAT(Values(sink.observations[1], "dicom.accepted_sop_class"),
              Contains("CT Image Storage"));
  EXPECT_THAT(Describe(sink), Not(HasSubstr("FAKE")));
}

TEST(DicomDissector, DcmtkRefusedAssociation) {
  const auto sink = Dissect(Testdata("reject"), 1);

  ASSERT_EQ(sink.observations.size(), 2u) << Describe(sink);
  EXPECT_EQ(Value(sink.observations[0], "dicom.calling_ae"), "MODALITY_X");
  EXPECT_EQ(Value(sink.observations[1], "dicom.called_ae"), "PACS_REFUSE");
  EXPECT_EQ(Value(sink.observations[1], "dicom.reject"),
            "rejected-permanent, dicom-ul-service-user, no-reason-given");
}

// tshark's decoding of the same associations as the oracle for the fields both read. The test
// writes the capture itself: the DCMTK conversations recorded in testdata, one TCP connection each.
TEST(DicomDissector, AgreesWithTsharkOnLoopbackCapture) {
  VIGIL_REQUIRE_TOOL(tshark, "tshark");
  testing::TempDir dir;
  const auto pcap = dir / "dcmtk.pcap";
  std::vector<testing::FrameBytes> frames;
  std::uint16_t client_port = 50000;
  for (const char* name : {"echo", "store", "reject"}) {
    std::vector<testing::TcpPayload> payloads;
    for (const StreamChunk& chunk : Testdata(name)) {
      payloads.push_back({.from_client = chunk.direction == kC2S, .bytes = chunk.bytes});
    }
    const auto connection = testing::TcpConversation(client_port++, 11112, payloads);
    frames.insert(frames.end(), connection.begin(), connection.end());
  }
  testing::WritePcap(pcap, 1, frames);
  const std::string fields =
      RunCommand(tshark.string() + " -r " + pcap.string() +
                 " -d tcp.port==11112,dicom -Y dicom.pdu.type==1 -T fields"
                 " -e dicom.assoc.ae.calling -e dicom.assoc.ae.called -e dicom.userinfo.uid"
                 " -e dicom.userinfo.version -e dicom.max_pdu_len 2>/dev/null");
  std::vector<std::string> lines;
  std::istringstream in(fields);
  for (std::string line; std::getline(in, line);) {
    std::string normalised;  // tshark keeps the AE titles' space padding; tabs separate fields.
    std::istringstream words(line);
    for (std::string word; words >> word;) normalised += (normalised.empty() ? "" : "/") + word;
    lines.push_back(normalised);
  }
  ASSERT_EQ(lines.size(), 3u) << fields;

  std::vector<std::string> ours;
  for (const char* name : {"echo", "store", "reject"}) {
    const auto sink = Dissect(Testdata(name));
    ASSERT_GE(sink.observations.size(), 2u);
    const auto& rq = sink.observations[0];
    ours.push_back(
        Value(rq, "dicom.calling_ae") + "/" + Value(sink.observations[1], "dicom.called_ae") + "/" +
        Value(rq, "dicom.implementation_class") + "/" + Value(rq, "dicom.implementation_version") +
        "/" + Value(rq, "dicom.max_pdu_length"));
  }

  EXPECT_EQ(ours, lines);
}

}  // namespace
}  // namespace vigil::sensor::dicom
