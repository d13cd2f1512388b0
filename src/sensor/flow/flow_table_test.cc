#include "sensor/flow/flow_table.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace vigil::sensor {
namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

std::span<const std::uint8_t> Bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

bool StartsWith(std::span<const std::uint8_t> payload, std::string_view prefix) {
  return payload.size() >= prefix.size() &&
         std::string_view(reinterpret_cast<const char*>(payload.data()), prefix.size()) == prefix;
}

// A datagram dissector for payloads starting "PING": one observation and one finding per
// packet.
void PingPacket(const Packet& packet, Sink& sink) {
  sink.Report({.time_unix_nanos = packet.time_unix_nanos, .kind = "ping_seen"});
  model::Observation o;
  o.protocol = "ping";
  o.time_unix_nanos = packet.time_unix_nanos;
  o.subject.ip = packet.src_ip;
  sink.Observe(std::move(o));
}

// A stream dissector for connections starting "HELLO": one observation per complete line; a
// line "STOP" finishes it. One that starts "HOARD" never consumes anything.
class LineDissector final : public StreamDissector {
 public:
  explicit LineDissector(bool hoard) : hoard_(hoard) {}
  std::size_t OnData(Direction dir, std::span<const std::uint8_t> data, std::int64_t time,
                     const FlowView& flow, Sink& sink) override {
    if (hoard_) return 0;
    std::size_t used = 0;
    std::string_view text(reinterpret_cast<const char*>(data.data()), data.size());
    for (std::size_t nl; (nl = text.find('\n', used)) != std::string_view::npos; used = nl + 1) {
      std::string line(text.substr(used, nl - used));
      if (line == "STOP") finished_ = true;
      model::Observation o;
      o.protocol = "lines";
      o.time_unix_nanos = time;
      o.subject = dir == Direction::kClientToServer ? flow.client : flow.server;
      o.facts.push_back({.key = "line", .value = line + (gap_ ? " (after gap)" : "")});
      sink.Observe(std::move(o));
    }
    return used;
  }
  void OnGap(Direction) override { gap_ = true; }
  void OnEnd(std::int64_t time, const FlowView& flow, Sink& sink) override {
    model::Observation o;
    o.protocol = "lines";
    o.time_unix_nanos = time;
    o.subject = flow.client;
    o.facts.push_back({.key = "line", .value = "(end)"});
    sink.Observe(std::move(o));
  }
  bool Finished() const override { return finished_; }

 private:
  bool hoard_;
  bool finished_ = false;
  bool gap_ = false;
};

const DissectorInfo kDissectors[] = {
    {.name = "ping",
     .transport = Transport::kUdp,
     .probe = [](std::span<const std::uint8_t> p,
                 const ProbeContext&) { return StartsWith(p, "PING"); },
     .dissect_packet = PingPacket},
    {.name = "lines",
     .transport = Transport::kTcp,
     .probe = [](std::span<const std::uint8_t> p,
                 const ProbeContext&) { return StartsWith(p, "HELLO"); },
     .make_stream = []() -> std::unique_ptr<StreamDissector> {
       return std::make_unique<LineDissector>(false);
     }},
    {.name = "hoard",
     .transport = Transport::kTcp,
     .probe = [](std::span<const std::uint8_t> p,
                 const ProbeContext&) { return StartsWith(p, "HOARD"); },
     .make_stream = []() -> std::unique_ptr<StreamDissector> {
       return std::make_unique<LineDissector>(true);
     }},
};

struct Host {
  const char* ip;
  std::uint16_t port;
  std::uint8_t mac_last;
};

Packet Make(std::int64_t time, std::uint8_t protocol, Host from, Host to,
            std::string_view payload = {}, std::uint8_t flags = 0, std::uint32_t seq = 0) {
  Packet p;
  p.time_unix_nanos = time;
  p.has_ethernet = true;
  p.src_mac = MacAddress({0, 0x1b, 0, 0, 0, from.mac_last});
  p.dst_mac = MacAddress({0, 0x1b, 0, 0, 0, to.mac_last});
  p.network = Network::kIpv4;
  p.src_ip = *IpAddress::Parse(from.ip);
  p.dst_ip = *IpAddress::Parse(to.ip);
  p.ip_protocol = protocol;
  p.ip_length = static_cast<std::uint32_t>(40 + payload.size());
  p.has_transport = true;
  p.src_port = from.port;
  p.dst_port = to.port;
  p.tcp_flags = flags;
  p.tcp_seq = seq;
  p.payload = Bytes(payload);
  return p;
}

class FlowTableTest : public ::testing::Test {
 protected:
  FlowTable& Table(FlowOptions options = {}) {
    table_ = std::make_unique<FlowTable>(options, kDissectors, sink_, weird_);
    return *table_;
  }
  std::vector<std::string> Lines() const {
    std::vector<std::string> lines;
    for (const auto& o : sink_.observations) {
      if (o.protocol == "lines") lines.push_back(o.facts.at(0).value);
    }
    return lines;
  }

  CollectingSink sink_;
  WeirdCounters weird_;
  std::unique_ptr<FlowTable> table_;
};

const Host kPump{"10.1.0.5", 40000, 5};
const Host kServer{"10.2.0.9", 6661, 9};

TEST_F(FlowTableTest, CountsBothDirectionsOfAUdpFlowAndDissectsEachPacket) {
  FlowTable& t = Table();

  t.Process(Make(1 * kSecond, kIpProtoUdp, kPump, kServer, "PING 1"));
  t.Process(Make(2 * kSecond, kIpProtoUdp, kServer, kPump, "PONG"));
  t.Process(Make(3 * kSecond, kIpProtoUdp, kPump, kServer, "PING 2"));
  t.Flush();

  ASSERT_EQ(sink_.flows.size(), 1u);
  const model::FlowRecord& r = sink_.flows[0];
  EXPECT_EQ(r.client.ip->ToString(), "10.1.0.5");
  EXPECT_EQ(r.client.port, 40000);
  EXPECT_EQ(r.client.mac->ToString(), "00:1b:00:00:00:05");
  EXPECT_EQ(r.server.port, 6661);
  EXPECT_EQ(r.client_packets, 2u);
  EXPECT_EQ(r.server_packets, 1u);
  EXPECT_EQ(r.client_bytes, 92u);
  EXPECT_EQ(r.start_unix_nanos, 1 * kSecond);
  EXPECT_EQ(r.end_unix_nanos, 3 * kSecond);
  EXPECT_EQ(r.application, "ping");
  EXPECT_EQ(r.end, model::FlowEnd::kEndOfCapture);
  EXPECT_EQ(sink_.observations.size(), 3u);
  EXPECT_EQ(sink_.findings.size(), 1u);  // Once per flow, not per packet.
  EXPECT_TRUE(r.tcp_state.empty());
}

TEST_F(FlowTableTest, ReassemblesTcpInOrderAndClosesAfterTheLinger) {
  FlowTable& t = Table();
  t.Process(Make(0, kIpProtoTcp, kPump, kServer, "", kTcpSyn, 100));
  t.Process(Make(1, kIpProtoTcp, kServer, kPump, "", kTcpSyn | kTcpAck, 5000));

  t.Process(Make(2, kIpProtoTcp, kPump, kServer, "HELLO\n", kTcpAck, 101));
  t.Process(Make(3, kIpProtoTcp, kPump, kServer, "there\n", kTcpAck, 113));  // Early.
  t.Process(Make(3, kIpProtoTcp, kPump, kServer, "world\n", kTcpAck, 107));
  t.Process(Make(4, kIpProtoTcp, kServer, kPump, "ok\n", kTcpAck, 5001));
  t.Process(Make(5, kIpProtoTcp, kPump, kServer, "", kTcpFin | kTcpAck, 119));
  t.Process(Make(6, kIpProtoTcp, kServer, kPump, "", kTcpFin | kTcpAck, 5004));
  EXPECT_TRUE(sink_.flows.empty());  // Lingers for the last ACK.
  t.Process(Make(10 * kSecond, kIpProtoUdp, kPump, kServer, "x"));

  EXPECT_EQ(Lines(), (std::vector<std::string>{"HELLO", "world", "there", "ok", "(end)"}));
  ASSERT_EQ(sink_.flows.size(), 1u);
  EXPECT_EQ(sink_.flows[0].end, model::FlowEnd::kClosed);
  EXPECT_EQ(sink_.flows[0].tcp_state, "closed");
  EXPECT_EQ(sink_.flows[0].application, "lines");
  EXPECT_EQ(sink_.flows[0].client.ip->ToString(), "10.1.0.5");
}

TEST_F(FlowTableTest, ASegmentThatOvertakesTheFirstIsNotProbed) {
  FlowTable& t = Table();
  t.Process(Make(0, kIpProtoTcp, kPump, kServer, "", kTcpSyn, 100));

  t.Process(Make(1, kIpProtoTcp, kPump, kServer, "HELLO\n", kTcpAck, 107));  // Overtook.
  t.Process(Make(2, kIpProtoTcp, kPump, kServer, "HELLO\n", kTcpAck, 101));
  t.Flush();

  EXPECT_EQ(Lines(), (std::vector<std::string>{"HELLO", "(end)"}));  // The early one is lost.
}

TEST_F(FlowTableTest, TheSynAckReceiverIsTheClient) {
  FlowTable& t = Table();

  t.Process(Make(0, kIpProtoTcp, kServer, kPump, "", kTcpSyn | kTcpAck, 1));
  t.Flush();

  EXPECT_EQ(sink_.flows.at(0).client.ip->ToString(), "10.1.0.5");
}

TEST_F(FlowTableTest, AReplyFromAWellKnownPortMakesTheOtherSideTheClient) {
  FlowTable& t = Table();
  Host dns{"10.0.0.53", 53, 53};

  t.Process(Make(0, kIpProtoUdp, dns, kPump, "answer"));
  t.Flush();

  EXPECT_EQ(sink_.flows.at(0).client.ip->ToString(), "10.1.0.5");
  EXPECT_EQ(sink_.flows.at(0).server.port, 53);
}

TEST_F(FlowTableTest, StreamDissectorSeesAGapWhenSegmentsAreLost) {
  FlowTable& t = Table();
  t.Process(Make(0, kIpProtoTcp, kPump, kServer, "", kTcpSyn, 0));
  t.Process(Make(1, kIpProtoTcp, kPump, kServer, "HELLO\n", kTcpAck, 1));

  t.Process(Make(2, kIpProtoTcp, kPump, kServer, "after\n", kTcpAck, 50));  // 43 bytes lost.
  t.Flush();

  EXPECT_EQ(Lines(), (std::vector<std::string>{"HELLO", "after (after gap)", "(end)"}));
  EXPECT_EQ(weird_.Get(Weird::kTcpGap), 1u);
}

TEST_F(FlowTableTest, AFinishedDissectorStopsBeingFed) {
  FlowTable& t = Table();

  t.Process(Make(1, kIpProtoTcp, kPump, kServer, "HELLO\nSTOP\n", kTcpAck, 1));
  t.Process(Make(2, kIpProtoTcp, kPump, kServer, "more\n", kTcpAck, 12));
  t.Flush();

  EXPECT_EQ(Lines(), (std::vector<std::string>{"HELLO", "STOP"}));
  EXPECT_EQ(sink_.flows.at(0).application, "lines");
  EXPECT_EQ(sink_.flows.at(0).tcp_state, "midstream");
}

TEST_F(FlowTableTest, ADissectorThatNeverConsumesIsDroppedAtTheBufferBound) {
  FlowTable& t = Table();
  std::string chunk = "HOARD" + std::string(1000, 'x');

  std::uint32_t seq = 1;
  for (int i = 0; i < 80; ++i) {
    t.Process(Make(i, kIpProtoTcp, kPump, kServer, chunk, kTcpAck, seq));
    seq += static_cast<std::uint32_t>(chunk.size());
  }
  t.Flush();

  EXPECT_EQ(weird_.Get(Weird::kTcpReassemblyOverflow), 1u);
  EXPECT_EQ(sink_.flows.at(0).client_packets, 80u);
}

TEST_F(FlowTableTest, UnrecognisedPayloadLeavesTheApplicationEmpty) {
  FlowTable& t = Table();

  t.Process(Make(1, kIpProtoTcp, kPump, kServer, "SSH-2.0-x\r\n", kTcpAck, 1));
  t.Process(Make(2, kIpProtoTcp, kServer, kPump, "SSH-2.0-y\r\n", kTcpAck, 1));
  t.Process(Make(3, kIpProtoTcp, kPump, kServer, "HELLO\n", kTcpAck, 12));
  t.Flush();

  EXPECT_TRUE(Lines().empty());
  EXPECT_EQ(sink_.flows.at(0).application, "");
}

TEST_F(FlowTableTest, IdleFlowsEndOnPacketTime) {
  FlowTable& t = Table();
  Host other{"10.9.9.9", 5000, 7};
  t.Process(Make(0, kIpProtoUdp, kPump, kServer, "a"));

  t.Process(Make(61 * kSecond, kIpProtoUdp, other, kServer, "b"));

  ASSERT_EQ(sink_.flows.size(), 1u);
  EXPECT_EQ(sink_.flows[0].end, model::FlowEnd::kIdle);
  EXPECT_EQ(sink_.flows[0].client.ip->ToString(), "10.1.0.5");
  EXPECT_EQ(t.size(), 1u);
}

TEST_F(FlowTableTest, AFullTableEvictsTheLeastRecentlySeenFlow) {
  FlowTable& t = Table({.max_flows = 2});
  Host a{"10.0.0.1", 41001, 1}, b{"10.0.0.2", 41002, 2}, c{"10.0.0.3", 41003, 3};

  t.Process(Make(1, kIpProtoUdp, a, kServer, "a"));
  t.Process(Make(2, kIpProtoUdp, b, kServer, "b"));
  t.Process(Make(3, kIpProtoUdp, a, kServer, "a again"));
  t.Process(Make(4, kIpProtoUdp, c, kServer, "c"));

  ASSERT_EQ(sink_.flows.size(), 1u);
  EXPECT_EQ(sink_.flows[0].client.ip->ToString(), "10.0.0.2");
  EXPECT_EQ(sink_.flows[0].end, model::FlowEnd::kEvicted);
  EXPECT_EQ(weird_.Get(Weird::kFlowTableFull), 1u);
  EXPECT_EQ(t.stats().evicted, 1u);
  EXPECT_EQ(t.size(), 2u);
}

TEST_F(FlowTableTest, ALongFlowWritesARecordPerActiveTimeout) {
  FlowTable& t = Table({.active_nanos = 100 * kSecond});

  for (int i = 0; i <= 250; i += 10) {
    t.Process(Make(i * kSecond, kIpProtoUdp, kPump, kServer, "x"));
  }
  t.Flush();

  ASSERT_EQ(sink_.flows.size(), 3u);
  EXPECT_EQ(sink_.flows[0].end, model::FlowEnd::kActive);
  EXPECT_EQ(sink_.flows[0].client_packets, 11u);
  EXPECT_EQ(sink_.flows[1].end, model::FlowEnd::kActive);
  EXPECT_EQ(sink_.flows[2].end, model::FlowEnd::kEndOfCapture);
  std::uint64_t total = 0;
  for (const auto& r : sink_.flows) total += r.client_packets;
  EXPECT_EQ(total, 26u);
}

}  // namespace
}  // namespace vigil::sensor
