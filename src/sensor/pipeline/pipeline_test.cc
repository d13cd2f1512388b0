#include "sensor/pipeline/pipeline.h"

#include <gtest/gtest.h>

#include <vector>

namespace vigil::sensor {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes Arp(std::uint8_t last_mac, std::uint8_t last_ip) {
  return {0xff, 0xff, 0xff, 0xff,    0xff, 0xff, 0, 0x1b, 0, 0,    0,  last_mac, 0x08, 0x06,
          0,    1,    8,    0,       6,    4,    0, 1,    0, 0x1b, 0,  0,        0,    last_mac,
          10,   0,    0,    last_ip, 0,    0,    0, 0,    0, 0,    10, 0,        0,    1};
}

Bytes Lldp() {
  return {0x01, 0x80, 0xc2, 0, 0, 0x0e, 0, 0x1b, 0, 0, 0, 9, 0x88, 0xcc, 0x02, 0x07, 0x04};
}

Bytes Udp() {
  return {0,  0x1b, 0, 0, 0,  2, 0, 0x1b, 0,  0, 0, 1, 0x08, 0x00, 0x45, 0,  0, 29, 0, 0, 0,  0,
          64, 17,   0, 0, 10, 0, 0, 1,    10, 0, 0, 2, 0x9c, 0x40, 0,    53, 0, 9,  0, 0, 'x'};
}

int lldp_frames = 0;

const DissectorInfo kLinkOnly[] = {
    {.name = "lldp-test",
     .transport = Transport::kLink,
     .probe = [](std::span<const std::uint8_t>,
                 const ProbeContext& c) { return c.packet->ethertype == 0x88cc; },
     .dissect_packet = [](const Packet&, Sink&) { ++lldp_frames; }},
};

void Feed(Pipeline& p, const Bytes& frame, std::int64_t time = 1) {
  p.HandleFrame(LinkType::kEthernet, frame, static_cast<std::uint32_t>(frame.size()), time);
}

TEST(Pipeline, ReportsEachArpPairOnce) {
  CollectingSink sink;
  Pipeline p({}, {}, sink);

  Feed(p, Arp(5, 7));
  Feed(p, Arp(5, 7));
  Feed(p, Arp(6, 8));

  ASSERT_EQ(sink.observations.size(), 2u);
  EXPECT_EQ(sink.observations[0].protocol, "arp");
  EXPECT_EQ(sink.observations[0].subject.mac->ToString(), "00:1b:00:00:00:05");
  EXPECT_EQ(sink.observations[0].subject.ip->ToString(), "10.0.0.7");
  EXPECT_EQ(p.stats().arp, 3u);
}

TEST(Pipeline, GivesNonIpFramesToLinkDissectors) {
  CollectingSink sink;
  Pipeline p({}, kLinkOnly, sink);
  lldp_frames = 0;

  Feed(p, Lldp());
  Feed(p, Udp());

  EXPECT_EQ(lldp_frames, 1);
  EXPECT_EQ(p.stats().other, 1u);
  EXPECT_EQ(p.stats().ipv4, 1u);
}

TEST(Pipeline, IpPacketsBecomeFlowRecordsWhenTheCaptureEnds) {
  CollectingSink sink;
  Pipeline p({}, {}, sink);

  Feed(p, Udp(), 5);
  EXPECT_EQ(p.active_flows(), 1u);
  p.Finish();

  ASSERT_EQ(sink.flows.size(), 1u);
  EXPECT_EQ(sink.flows[0].server.port, 53);
  EXPECT_EQ(sink.flows[0].client.port, 40000);
  EXPECT_EQ(p.active_flows(), 0u);
}

TEST(Pipeline, CountsWhatItCannotDecode) {
  CollectingSink sink;
  Pipeline p({}, {}, sink);
  Bytes truncated = Udp();
  truncated.resize(20);

  Feed(p, Bytes{1, 2, 3});
  Feed(p, truncated);

  EXPECT_EQ(p.stats().frames, 2u);
  EXPECT_EQ(p.stats().undecodable, 1u);
  EXPECT_EQ(p.weird().Get(Weird::kTruncatedLinkHeader), 1u);
  EXPECT_EQ(p.weird().Get(Weird::kTruncatedIpv4), 1u);
}

}  // namespace
}  // namespace vigil::sensor
