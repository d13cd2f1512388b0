#include "sensor/dissect/tls/dissector.h"

#include <gtest/gtest.h>

#include "sensor/dissect/stream_feeder.h"
#include "sensor/dissect/testing/dissect_testing.h"
#include "sensor/dissect/tls/message.h"
#include "sensor/dissect/tls/tls_builders_test.h"

namespace vigil::sensor::tls {
namespace {

constexpr auto kToServer = Direction::kClientToServer;
constexpr auto kToClient = Direction::kServerToClient;
constexpr std::int64_t kYear2027 = 1'800'000'000LL * 1'000'000'000LL;
constexpr std::int64_t kYear2040 = 2'210'000'000LL * 1'000'000'000LL;

FlowView Flow() { return MakeFlow("10.0.0.5", 51322, "10.0.0.9", 443, 12); }

std::vector<StreamChunk> Tls12Conversation() {
  return {{.direction = kToServer, .bytes = Testdata("tls12_client.bin")},
          {.direction = kToClient, .bytes = Testdata("tls12_server.bin")}};
}

std::string FactOf(const model::Observation& o, std::string_view key) {
  return Value(o, key, "<absent>");
}

CollectingSink Dissect(const std::vector<StreamChunk>& chunks, std::int64_t time = kYear2027) {
  CollectingSink sink;
  auto stream = Info().make_stream();
  StreamFeeder feeder(*stream, Flow(), sink);
  for (const auto& chunk : chunks) feeder.Deliver(chunk.direction, chunk.bytes, time);
  return sink;
}

TEST(TlsProbe, AcceptsAClientHelloRecordOnAnyPort) {
  const ByteVector hello = Testdata("tls12_client.bin");
  const ByteVector server = Testdata("tls12_server.bin");
  const ByteVector http{'G', 'E', 'T', ' ', '/', ' '};

  EXPECT_TRUE(Info().probe(hello, {.server_port = 6661}));
  EXPECT_FALSE(Info().probe(server, {}));
  EXPECT_FALSE(Info().probe(http, {.server_port = 443}));
  EXPECT_FALSE(Info().probe(std::span(hello).first(5), {}));
}

TEST(TlsDissector, ReportsBothHellosAndTheCertificate) {
  const CollectingSink sink = Dissect(Tls12Conversation());

  ASSERT_EQ(sink.observations.size(), 3u);
  const auto& client = sink.observations[0];
  EXPECT_EQ(client.protocol, "tls");
  EXPECT_EQ(client.subject, Flow().client);
  EXPECT_EQ(client.peer, Flow().server);
  EXPECT_EQ(client.vlan, 12);
  EXPECT_EQ(client.time_unix_nanos, kYear2027);
  EXPECT_EQ(FactOf(client, "tls.sni"), "pump-gw.example");
  EXPECT_EQ(FactOf(client, "tls.alpn"), "http/1.1");
  EXPECT_EQ(FactOf(client, "tls.client_version"), "TLS 1.2");
  EXPECT_EQ(FactOf(client, "tls.ja3"), "22558766122974704364c9c75c5cce0a");
  EXPECT_EQ(FactOf(client, "tls.ja4").substr(0, 11), "t12d2808h1_");
  const auto& server = sink.observations[1];
  EXPECT_EQ(server.subject, Flow().server);
  EXPECT_EQ(FactOf(server, "tls.version"), "TLS 1.2");
  EXPECT_EQ(FactOf(server, "tls.cipher_suite"), "0xc02c");
  EXPECT_EQ(FactOf(server, "tls.selected_alpn"), "http/1.1");
  EXPECT_EQ(FactOf(server, "tls.ja3s"), "e195432758194ce2d482396b82e0d48e");
  const auto& certificate = sink.observations[2];
  EXPECT_EQ(FactOf(certificate, "tls.cert_subject_cn"), "pump-gw.example");
  EXPECT_EQ(FactOf(certificate, "tls.cert_issuer_cn"), "pump-gw.example");
  EXPECT_EQ(FactOf(certificate, "tls.cert_not_after"), "2036-11-26T04:24:57Z");
  EXPECT_TRUE(sink.findings.empty());
}

std::vector<model::Observation> Observations(const CollectingSink& sink) {
  return sink.observations;
}

TEST(TlsDissector, SameResultForEverySplitAndOneByteAtATime) {
  const auto chunks = Tls12Conversation();
  ASSERT_EQ(DissectStream(Info(), Flow(), chunks).observations.size(), 3u);

  EXPECT_TRUE(SameResultAtEverySplit(Info(), Flow(), chunks, Observations));
  EXPECT_TRUE(SameResultOneByteAtATime(Info(), Flow(), chunks, Observations));
  CollectingSink bytewise;
  auto stream = Info().make_stream();
  FeedInPieces(*stream, Flow(), chunks, 1, bytewise);
  EXPECT_TRUE(stream->Finished());
}

TEST(TlsDissector, ReportsAnExpiredCertificate) {
  const CollectingSink sink = Dissect(Tls12Conversation(), kYear2040);

  ASSERT_EQ(sink.findings.size(), 1u);
  EXPECT_EQ(sink.findings[0].kind, "expired_certificate");
  EXPECT_EQ(sink.findings[0].subject, Flow().server);
  EXPECT_EQ(sink.findings[0].detail,
            "certificate for \"pump-gw.example\" expired 2036-11-26T04:24:57Z");
}

TEST(TlsDissector, ReportsAWeakVersionTheServerSelected) {
  const ByteVector client = Record(kClientHello, ClientHelloBody(kTls10, {0x002f}, {}), kTls10);
  const ByteVector server = Record(kServerHello, ServerHelloBody(kTls10, 0x002f, {}), kTls10);

  const CollectingSink sink = Dissect(
      {{.direction = kToServer, .bytes = client}, {.direction = kToClient, .bytes = server}});

  ASSERT_EQ(sink.findings.size(), 1u);
  EXPECT_EQ(sink.findings[0].kind, "weak_tls_version");
  EXPECT_EQ(sink.findings[0].severity, model::FindingSeverity::kMedium);
  EXPECT_EQ(sink.findings[0].detail, "server selected TLS 1.0");
}

TEST(TlsDissector, StopsAfterTheServerHelloOfTls13) {
  CollectingSink sink;
  auto stream = Info().make_stream();
  StreamFeeder feeder(*stream, Flow(), sink);

  feeder.Deliver(kToServer, Testdata("tls13_client.bin"));
  feeder.Deliver(kToClient, Testdata("tls13_server.bin"));

  ASSERT_EQ(sink.observations.size(), 2u);
  EXPECT_EQ(FactOf(sink.observations[0], "tls.supported_versions"),
            "TLS 1.3,TLS 1.2,TLS 1.1,TLS 1.0");
  EXPECT_EQ(FactOf(sink.observations[1], "tls.version"), "TLS 1.3");
  EXPECT_TRUE(stream->Finished());
}

TEST(TlsDissector, ReassemblesAHelloSplitAcrossRecords) {
  const ByteVector record = Testdata("tls12_client.bin");
  ByteVector message(record.begin() + 5, record.end());
  ByteVector split{22, 3, 1};
  PutU16(split, 10);
  split.insert(split.end(), message.begin(), message.begin() + 10);
  split.insert(split.end(), {22, 3, 1});
  PutU16(split, message.size() - 10);
  split.insert(split.end(), message.begin() + 10, message.end());

  const CollectingSink sink = Dissect({{.direction = kToServer, .bytes = split}});

  ASSERT_EQ(sink.observations.size(), 1u);
  EXPECT_EQ(FactOf(sink.observations[0], "tls.sni"), "pump-gw.example");
}

TEST(TlsDissector, GivesUpOnBytesThatAreNotRecords) {
  CollectingSink sink;
  auto stream = Info().make_stream();
  const ByteVector junk{'H', 'E', 'L', 'O', ' ', 'x', 'y', 'z'};

  const std::size_t consumed = stream->OnData(kToServer, junk, 1, Flow(), sink);
  stream->OnData(kToClient, junk, 1, Flow(), sink);

  EXPECT_EQ(consumed, junk.size());
  EXPECT_TRUE(stream->Finished());
  EXPECT_TRUE(sink.observations.empty());
}

TEST(TlsDissector, GivesUpADirectionAfterAGap) {
  CollectingSink sink;
  auto stream = Info().make_stream();
  StreamFeeder feeder(*stream, Flow(), sink);
  const ByteVector hello = Testdata("tls12_client.bin");

  feeder.Deliver(kToServer, std::span(hello).first(50));
  feeder.Gap(kToServer);
  feeder.Deliver(kToServer, std::span(hello).subspan(50));
  feeder.Gap(kToClient);

  EXPECT_TRUE(sink.observations.empty());
  EXPECT_TRUE(stream->Finished());
}

TEST(TlsDissector, RefusesAnOversizedHello) {
  CollectingSink sink;
  auto stream = Info().make_stream();
  ByteVector record{22, 3, 3, 0x40, 0x00, kClientHello, 0x01, 0x00, 0x00};  // 64 KiB hello.
  record.resize(5 + 0x4000, 0);

  const std::size_t consumed = stream->OnData(kToServer, record, 1, Flow(), sink);

  EXPECT_EQ(consumed, record.size());
  EXPECT_TRUE(sink.observations.empty());
}

}  // namespace
}  // namespace vigil::sensor::tls
