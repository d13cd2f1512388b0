#include "sensor/dissect/telnet/dissector.h"

#include <gtest/gtest.h>

#include "sensor/dissect/stream_feeder.h"
#include "sensor/dissect/testing/dissect_testing.h"

namespace vigil::sensor::telnet {
namespace {

constexpr auto kToServer = Direction::kClientToServer;
constexpr auto kToClient = Direction::kServerToClient;

FlowView Flow() { return MakeFlow("10.3.0.10", 40123, "10.3.0.77", 23, 60); }

// A netkit-style session: the server's DO requests, the client's answers, the banner, the
// prompt, the user name echoed, the password prompt.
std::vector<StreamChunk> Session() {
  return {MakeChunk(kToClient, "\xff\xfd\x18\xff\xfd\x20\xff\xfd\x23\xff\xfd\x27"),
          MakeChunk(kToServer, "\xff\xfb\x18\xff\xfc\x20\xff\xfc\x23\xff\xfc\x27"),
          MakeChunk(kToClient, "\xff\xfb\x03\xff\xfb\x01\r\nInfusion Gateway 2.1\r\n\r\n"),
          MakeChunk(kToClient, "pump-gw login: "),
          MakeChunk(kToServer, "alice\r\n"),
          MakeChunk(kToClient, "alice\r\nPassword: "),
          MakeChunk(kToServer, "hunter2\r\n")};
}

TEST(TelnetProbe, AcceptsNegotiationOrPort23) {
  const std::string negotiation = "\xff\xfd\x18";
  const std::string text = "hello";
  const std::span<const std::uint8_t> bytes(
      reinterpret_cast<const std::uint8_t*>(negotiation.data()), negotiation.size());
  const std::span<const std::uint8_t> plain(reinterpret_cast<const std::uint8_t*>(text.data()),
                                            text.size());

  EXPECT_TRUE(Info().probe(bytes, {.server_port = 2323}));
  EXPECT_TRUE(Info().probe(plain, {.server_port = 23}));
  EXPECT_FALSE(Info().probe(plain, {.server_port = 2323}));
}

TEST(TelnetDissector, ReportsBannerPromptAndCleartextLogin) {
  CollectingSink sink;
  auto stream = Info().make_stream();

  FeedInPieces(*stream, Flow(), Session(), 0, sink);

  ASSERT_EQ(sink.observations.size(), 2u);
  EXPECT_EQ(sink.observations[0].facts,
            (std::vector<model::Fact>{{"telnet.banner", "Infusion Gateway 2.1"}}));
  EXPECT_EQ(sink.observations[0].subject, Flow().server);
  EXPECT_EQ(sink.observations[1].facts,
            (std::vector<model::Fact>{{"telnet.login_prompt", "login:"}}));
  ASSERT_EQ(sink.findings.size(), 1u);
  EXPECT_EQ(sink.findings[0].kind, "cleartext_login");
  EXPECT_EQ(sink.findings[0].severity, model::FindingSeverity::kHigh);
  EXPECT_EQ(sink.findings[0].peer, Flow().client);
  EXPECT_TRUE(stream->Finished());
}

TEST(TelnetDissector, NeverRecordsWhatTheUserTyped) {
  for (std::size_t piece : {0u, 1u, 3u}) {
    CollectingSink sink;
    auto stream = Info().make_stream();

    FeedInPieces(*stream, Flow(), Session(), piece, sink);

    for (const auto& o : sink.observations) {
      for (const auto& fact : o.facts) {
        EXPECT_EQ(fact.value.find("alice"), std::string::npos);
        EXPECT_EQ(fact.value.find("hunter2"), std::string::npos);
      }
    }
    for (const auto& f : sink.findings) EXPECT_EQ(f.detail.find("alice"), std::string::npos);
  }
}

// What is compared: the observations, and that the one finding is reported.
std::pair<std::vector<model::Observation>, std::size_t> Summary(const CollectingSink& sink) {
  return {sink.observations, sink.findings.size()};
}

TEST(TelnetDissector, SameResultForEverySplitAndOneByteAtATime) {
  ASSERT_EQ(DissectStream(Info(), Flow(), Session()).findings.size(), 1u);

  EXPECT_TRUE(SameResultAtEverySplit(Info(), Flow(), Session(), Summary));
  EXPECT_TRUE(SameResultOneByteAtATime(Info(), Flow(), Session(), Summary));
}

TEST(TelnetDissector, NoBannerOnceTheClientTyped) {
  CollectingSink sink;
  auto stream = Info().make_stream();

  FeedInPieces(*stream, Flow(),
               {MakeChunk(kToClient, "User: "), MakeChunk(kToServer, "bob\r\n"),
                MakeChunk(kToClient, "bob\r\n")},
               0, sink);

  EXPECT_TRUE(sink.observations.empty());
  EXPECT_FALSE(stream->Finished());
}

TEST(TelnetDissector, StopsAfter4KiBFromTheServerOrAGap) {
  CollectingSink sink;
  auto chatty = Info().make_stream();
  auto gapped = Info().make_stream();
  StreamFeeder feeder(*chatty, Flow(), sink);
  const std::string text(kMaxScanBytes, 'x');

  feeder.Deliver(kToClient,
                 std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  gapped->OnGap(kToClient);

  EXPECT_TRUE(chatty->Finished());
  EXPECT_TRUE(gapped->Finished());
  EXPECT_TRUE(sink.observations.empty());
}

}  // namespace
}  // namespace vigil::sensor::telnet
