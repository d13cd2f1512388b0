#include "sensor/dissect/http/dissector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "sensor/dissect/http/message.h"
#include "sensor/dissect/stream_feeder.h"
#include "sensor/dissect/testing/dissect_testing.h"
#include "testing/fixtures.h"

namespace vigil::sensor::http {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr auto kC2S = Direction::kClientToServer;
constexpr auto kS2C = Direction::kServerToClient;

FlowView Flow() { return MakeFlow("10.1.2.3", 40000, "10.9.8.7", 80, 3); }

std::vector<StreamChunk> KeepAlive() {
  return {
      MakeChunk(kC2S,
                "GET /patients/Doe^Jane HTTP/1.1\r\nHost: emr.local\r\nUser-Agent: Pump/1.0\r\n"
                "Authorization: Basic bnVyc2U6c2VjcmV0\r\n\r\n"),
      MakeChunk(kS2C, "HTTP/1.1 200 OK\r\nServer: Apache/2.4.57\r\nContent-Length: 5\r\n\r\nhello"),
      MakeChunk(kC2S, "POST /upload HTTP/1.1\r\nHost: emr.local\r\nContent-Length: 4\r\n\r\nabcd"),
      MakeChunk(kS2C,
                "HTTP/1.1 201 Created\r\nServer: Apache/2.4.57\r\nTransfer-Encoding: chunked\r\n"
                "\r\n3\r\nabc\r\n0\r\nX-Trailer: 1\r\n\r\n"),
      MakeChunk(kC2S, "HEAD /x HTTP/1.1\r\nHost: other.local\r\n\r\n"),
      MakeChunk(kS2C, "HTTP/1.1 200 OK\r\nServer: Apache/2.4.58\r\nContent-Length: 999\r\n\r\n"),
  };
}

CollectingSink Dissect(const std::vector<StreamChunk>& chunks, std::size_t piece = 0) {
  return DissectStream(Info(), Flow(), chunks, piece);
}

std::vector<std::string> Facts(const CollectingSink& sink) { return SidedFacts(sink, Flow()); }

std::string Describe(const CollectingSink& sink) { return sensor::Describe(sink, Flow()); }

std::span<const std::uint8_t> Bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

TEST(HttpProbe, MatchesMethodFromClientAndVersionFromServer) {
  const ProbeContext client{.direction = kC2S, .server_port = 8080};
  const ProbeContext server{.direction = kS2C, .server_port = 8080};

  EXPECT_TRUE(Info().probe(Bytes("GET / HTTP/1.1\r\n"), client));
  EXPECT_TRUE(Info().probe(Bytes("OPTIONS * HTTP/1.1\r\n"), client));
  EXPECT_TRUE(Info().probe(Bytes("HTTP/1.1 200 OK\r\n"), server));
  EXPECT_FALSE(Info().probe(Bytes("GETX / HTTP/1.1"), client));
  EXPECT_FALSE(Info().probe(Bytes("GET"), client));
  EXPECT_FALSE(Info().probe(Bytes("HTTP/1.1 200 OK\r\n"), client));
  EXPECT_FALSE(Info().probe(Bytes("HTTP/2"), server));
  EXPECT_EQ(Info().name, "http");
}

TEST(HttpDissector, ObservesEachDistinctValueOnce) {
  const auto sink = Dissect(KeepAlive());

  EXPECT_THAT(Facts(sink),
              ElementsAre("client http.method=GET", "client http.host=emr.local",
                          "client http.user_agent=Pump/1.0", "server http.server=Apache/2.4.57",
                          "client http.method=POST", "client http.method=HEAD",
                          "client http.host=other.local", "server http.server=Apache/2.4.58"));
  EXPECT_EQ(sink.observations[0].peer, Flow().server);
  EXPECT_EQ(sink.observations[0].vlan, 3);
  EXPECT_EQ(sink.observations[0].protocol, "http");
}

TEST(HttpDissector, NeverKeepsPathOrCredentials) {
  const std::string all = Describe(Dissect(KeepAlive()));

  EXPECT_THAT(all, Not(HasSubstr("Doe")));
  EXPECT_THAT(all, Not(HasSubstr("patients")));
  EXPECT_THAT(all, Not(HasSubstr("bnVyc2U6c2VjcmV0")));
  EXPECT_THAT(all, Not(HasSubstr("secret")));
}

TEST(HttpDissector, ReportsBasicAuthOnce) {
  auto chunks = KeepAlive();
  chunks.push_back(chunks[0]);

  const auto sink = Dissect(chunks);

  ASSERT_EQ(sink.findings.size(), 1u);
  EXPECT_EQ(sink.findings[0].kind, "cleartext_basic_auth");
  EXPECT_EQ(sink.findings[0].severity, model::FindingSeverity::kHigh);
  EXPECT_EQ(sink.findings[0].subject, Flow().client);
  EXPECT_THAT(sink.findings[0].detail, HasSubstr("emr.local"));
}

TEST(HttpDissector, FinishesAfterTheFirstExchanges) {
  std::vector<StreamChunk> chunks;
  for (int i = 0; i < 10; ++i) {
    chunks.push_back(
        MakeChunk(kC2S, "GET / HTTP/1.1\r\nUser-Agent: ua" + std::to_string(i) + "\r\n\r\n"));
    chunks.push_back(MakeChunk(kS2C, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
  }
  CollectingSink sink;
  auto stream = Info().make_stream();

  FeedInPieces(*stream, Flow(), chunks, 0, sink);

  EXPECT_TRUE(stream->Finished());
  EXPECT_EQ(Facts(sink).size(), 1 + kMaxExchanges);
}

TEST(HttpDissector, BodyUntilCloseEndsTheServerDirection) {
  const auto sink = Dissect({MakeChunk(kC2S, "GET / HTTP/1.0\r\n\r\n"),
                             MakeChunk(kS2C,
                                       "HTTP/1.0 200 OK\r\nServer: a\r\n\r\nHTTP/1.0 200 OK"
                                       "\r\nServer: b\r\n\r\n")});

  EXPECT_THAT(Facts(sink), ElementsAre("client http.method=GET", "server http.server=a"));
}

TEST(HttpDissector, InterimResponseIsFollowedByTheFinalOne) {
  const auto sink = Dissect({MakeChunk(kC2S, "PUT / HTTP/1.1\r\nContent-Length: 2\r\n\r\nab"),
                             MakeChunk(kS2C,
                                       "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No "
                                       "Content\r\nServer: s\r\n\r\n")});

  EXPECT_THAT(Facts(sink), ElementsAre("client http.method=PUT", "server http.server=s"));
}

TEST(HttpDissector, SameResultSplitAtEveryPosition) {
  EXPECT_TRUE(SameResultAtEverySplit(Info(), Flow(), KeepAlive(), Describe));
}

TEST(HttpDissector, SameResultOneByteAtATime) {
  EXPECT_TRUE(SameResultOneByteAtATime(Info(), Flow(), KeepAlive(), Describe));
}

TEST(HttpDissector, GapEndsItsDirection) {
  CollectingSink sink;
  auto stream = Info().make_stream();
  StreamFeeder feeder(*stream, Flow(), sink);

  feeder.Deliver(kC2S, Bytes("GET / HTTP/1.1\r\nHo"));
  feeder.Gap(kC2S);
  feeder.Deliver(kC2S, Bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
  feeder.Gap(kS2C);

  EXPECT_TRUE(sink.observations.empty());
  EXPECT_TRUE(stream->Finished());
}

TEST(HttpDissector, GarbageEndsItsDirection) {
  CollectingSink sink;
  auto stream = Info().make_stream();
  StreamFeeder feeder(*stream, Flow(), sink);

  feeder.Deliver(kC2S, Bytes("\x16\x03\x01 not http\r\n\r\n"));
  feeder.Deliver(kS2C, std::vector<std::uint8_t>(kMaxHeadBytes + 10, 'a'));

  EXPECT_TRUE(stream->Finished());
}

TEST(HttpDissector, ReadsCurlAgainstPythonHttpServer) {
  const auto dir = testing::SourceDir() / "src/sensor/dissect/http/testdata";
  const std::string client = testing::ReadFileOrEmpty(dir / "curl_client.bin");
  const std::string server = testing::ReadFileOrEmpty(dir / "curl_server.bin");
  ASSERT_FALSE(client.empty());

  const auto sink = Dissect({MakeChunk(kC2S, client), MakeChunk(kS2C, server)}, 64);

  EXPECT_THAT(Facts(sink), ElementsAre("client http.method=GET", "client http.host=127.0.0.1:18080",
                                       "client http.user_agent=InfusionPump/2.1 (fw 4.5.6)",
                                       "server http.server=SimpleHTTP/0.6 Python/3.11.7"));
  ASSERT_EQ(sink.findings.size(), 1u);
  EXPECT_THAT(Describe(sink), Not(HasSubstr("MRN123")));
  EXPECT_THAT(Describe(sink), Not(HasSubstr("NotARealSecret")));
}

}  // namespace
}  // namespace vigil::sensor::http
