#include "sensor/dissect/ftp/dissector.h"

#include <gtest/gtest.h>

#include "sensor/dissect/stream_feeder.h"
#include "sensor/dissect/testing/dissect_testing.h"

namespace vigil::sensor::ftp {
namespace {

constexpr auto kToServer = Direction::kClientToServer;
constexpr auto kToClient = Direction::kServerToClient;

FlowView Flow() { return MakeFlow("10.4.0.10", 40999, "10.4.0.80", 21, 70); }

std::vector<StreamChunk> ClearLogin() {
  return {MakeChunk(kToClient, "220-Welcome to the PACS export server\r\n220 ready\r\n"),
          MakeChunk(kToServer, "USER biomed\r\n"),
          MakeChunk(kToClient, "331 Please specify the password.\r\n"),
          MakeChunk(kToServer, "PASS s3cret!\r\n"),
          MakeChunk(kToClient, "230 Login successful.\r\n")};
}

std::vector<StreamChunk> TlsUpgrade() {
  return {MakeChunk(kToClient, "220 (vsFTPd 3.0.3)\r\n"), MakeChunk(kToServer, "AUTH TLS\r\n"),
          MakeChunk(kToClient, "234 Proceed with negotiation.\r\n"),
          MakeChunk(kToServer, "\x16\x03\x01\x00\x05\x01\x00\x00\x01\x00")};
}

CollectingSink Feed(const std::vector<StreamChunk>& chunks, std::size_t piece = 0) {
  return DissectStream(Info(), Flow(), chunks, piece);
}

TEST(FtpProbe, AcceptsGreetingUserOrPort21) {
  const std::string greeting = "220 ProFTPD\r\n";
  const std::string smtp = "220 mx ESMTP\r\n";
  auto bytes = [](const std::string& s) {
    return std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
  };

  EXPECT_TRUE(Info().probe(bytes(greeting), {.server_port = 2121}));
  EXPECT_TRUE(Info().probe(bytes(smtp), {.server_port = 21}));
  EXPECT_FALSE(Info().probe(bytes(smtp), {.server_port = 25}));
}

TEST(FtpDissector, ReportsBannerAndCleartextLogin) {
  const CollectingSink sink = Feed(ClearLogin());

  ASSERT_EQ(sink.observations.size(), 1u);
  EXPECT_EQ(sink.observations[0].facts,
            (std::vector<model::Fact>{{"ftp.banner", "Welcome to the PACS export server"}}));
  EXPECT_EQ(sink.observations[0].subject, Flow().server);
  ASSERT_EQ(sink.findings.size(), 1u);
  EXPECT_EQ(sink.findings[0].kind, "cleartext_login");
  EXPECT_EQ(sink.findings[0].severity, model::FindingSeverity::kHigh);
  EXPECT_EQ(sink.findings[0].detail, "ftp USER sent in clear text");
}

TEST(FtpDissector, NeverRecordsTheUserOrPassword) {
  for (std::size_t piece : {0u, 1u, 5u}) {
    const CollectingSink sink = Feed(ClearLogin(), piece);

    for (const auto& o : sink.observations) {
      for (const auto& fact : o.facts) {
        EXPECT_EQ(fact.value.find("biomed"), std::string::npos);
        EXPECT_EQ(fact.value.find("s3cret"), std::string::npos);
      }
    }
    ASSERT_EQ(sink.findings.size(), 1u);
    EXPECT_EQ(sink.findings[0].detail.find("biomed"), std::string::npos);
  }
}

TEST(FtpDissector, ReportsTheTlsUpgradeAndStops) {
  CollectingSink sink;
  auto stream = Info().make_stream();

  FeedInPieces(*stream, Flow(), TlsUpgrade(), 0, sink);

  ASSERT_EQ(sink.observations.size(), 2u);
  EXPECT_EQ(sink.observations[1].facts, (std::vector<model::Fact>{{"ftp.tls", "true"}}));
  EXPECT_TRUE(sink.findings.empty());
  EXPECT_TRUE(stream->Finished());
}

// What is compared: every observation and finding.
std::pair<std::vector<model::Observation>, std::vector<model::Finding>> Everything(
    const CollectingSink& sink) {
  return {sink.observations, sink.findings};
}

TEST(FtpDissector, SameResultForEverySplitAndOneByteAtATime) {
  for (const auto& chunks : {ClearLogin(), TlsUpgrade()}) {
    EXPECT_TRUE(SameResultAtEverySplit(Info(), Flow(), chunks, Everything));
    EXPECT_TRUE(SameResultOneByteAtATime(Info(), Flow(), chunks, Everything));
  }
}

TEST(FtpDissector, SkipsOverlongLinesAndStopsAfterAGap) {
  std::string long_line(3 * kMaxLineBytes, 'x');
  long_line += "\r\n220 after the long line\r\n";
  CollectingSink sink;
  auto stream = Info().make_stream();
  StreamFeeder feeder(*stream, Flow(), sink);

  feeder.Deliver(kToClient, std::span(reinterpret_cast<const std::uint8_t*>(long_line.data()),
                                      long_line.size()));
  feeder.Gap(kToServer);
  feeder.Gap(kToClient);

  ASSERT_EQ(sink.observations.size(), 1u);
  EXPECT_EQ(sink.observations[0].facts[0].value, "after the long line");
  EXPECT_TRUE(stream->Finished());
}

}  // namespace
}  // namespace vigil::sensor::ftp
