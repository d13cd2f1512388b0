#include "sensor/dissect/dhcp/dissector.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "sensor/dissect/dhcp/dhcp_testing.h"
#include "sensor/dissect/testing/dissect_testing.h"
#include "testing/fixtures.h"

namespace vigil::sensor::dhcp {
namespace {

using testing::MessageBuilder;

CollectingSink Dissect(const std::vector<std::uint8_t>& payload) {
  Packet packet = MakeUdpPacket("10.0.0.1", 67, "255.255.255.255", 68, payload);
  packet.time_unix_nanos = 42;
  packet.src_mac = MacAddress({0x02, 0, 0, 0, 0, 0x99});
  packet.vlan = 20;
  return DissectPacket(Info(), packet);
}

TEST(DhcpDissector, DescribesTheClientOfARequest) {
  const auto bytes = MessageBuilder(1, 7)
                         .Option(53, {3})
                         .Option(12, "pump-12")
                         .Option(55, {1, 3, 6, 15})
                         .Option(50, {10, 0, 0, 7})
                         .Option(54, {10, 0, 0, 1})
                         .Option(61, {1, 2, 0, 0, 0, 0, 7})
                         .Option(161, "https://example.com/mud/pump")
                         .End();

  const auto sink = Dissect(bytes);

  ASSERT_EQ(sink.observations.size(), 1u);
  const auto& o = sink.observations[0];
  EXPECT_EQ(o.protocol, "dhcp");
  EXPECT_EQ(o.time_unix_nanos, 42);
  EXPECT_EQ(o.vlan, 20);
  EXPECT_EQ(o.subject.mac->ToString(), "02:00:00:00:00:07");
  EXPECT_EQ(o.subject.ip->ToString(), "10.0.0.7");
  ASSERT_TRUE(o.peer);
  EXPECT_EQ(o.peer->ip->ToString(), "10.0.0.1");
  EXPECT_EQ(Value(o, "dhcp.message_type"), "request");
  EXPECT_EQ(Value(o, "dhcp.xid"), "0x01020304");
  EXPECT_EQ(Value(o, "dhcp.hostname"), "pump-12");
  EXPECT_EQ(Value(o, "dhcp.param_list"), "1,3,6,15");
  EXPECT_EQ(Value(o, "dhcp.client_id"), "01:020000000007");
  EXPECT_EQ(Value(o, "dhcp.mud_url"), "https://example.com/mud/pump");
  EXPECT_TRUE(sink.findings.empty());
}

TEST(DhcpDissector, TakesTheClientAddressFromYiaddrInAnAck) {
  const auto bytes = MessageBuilder(2, 7)
                         .Address(testing::kYiaddr, 10, 0, 0, 9)
                         .Option(53, {5})
                         .Option(51, {0, 0, 0x0e, 0x10})
                         .Option(54, {10, 0, 0, 1})
                         .End();

  const auto sink = Dissect(bytes);

  ASSERT_EQ(sink.observations.size(), 1u);
  const auto& o = sink.observations[0];
  EXPECT_EQ(o.subject.ip->ToString(), "10.0.0.9");
  EXPECT_EQ(o.peer->mac->ToString(), "02:00:00:00:00:99");
  EXPECT_EQ(o.peer->port, 67);
  EXPECT_EQ(Value(o, "dhcp.lease_time"), "3600");
  EXPECT_EQ(Value(o, "dhcp.yiaddr"), "10.0.0.9");
}

TEST(DhcpDissector, ReportsRelayAgentSubOptionsAsHex) {
  const auto bytes = MessageBuilder(1)
                         .Address(testing::kGiaddr, 10, 9, 0, 1)
                         .Option(53, {1})
                         .Option(82, {1, 2, 0xab, 0xcd, 2, 3, 'a', 'b', 'c'})
                         .End();

  const auto sink = Dissect(bytes);

  ASSERT_EQ(sink.observations.size(), 1u);
  EXPECT_EQ(Value(sink.observations[0], "dhcp.circuit_id"), "abcd");
  EXPECT_EQ(Value(sink.observations[0], "dhcp.remote_id"), "616263");
  EXPECT_EQ(Value(sink.observations[0], "dhcp.relay"), "10.9.0.1");
}

TEST(DhcpDissector, EscapesControlBytesInHostNames) {
  const auto bytes = MessageBuilder(1).Option(12, std::string_view("a\nb", 3)).End();

  const auto sink = Dissect(bytes);

  ASSERT_EQ(sink.observations.size(), 1u);
  EXPECT_EQ(Value(sink.observations[0], "dhcp.hostname"), "a\\x0ab");
}

TEST(DhcpDissector, ProbeWantsOpAndCookieWhateverThePorts) {
  const auto good = MessageBuilder(1).End();
  auto bad_cookie = good;
  bad_cookie[236] = 0;
  auto bad_op = good;
  bad_op[0] = 0;
  const ProbeContext context{.client_port = 40000, .server_port = 40001};

  EXPECT_TRUE(Info().probe(good, context));
  EXPECT_FALSE(Info().probe(bad_cookie, context));
  EXPECT_FALSE(Info().probe(bad_op, context));
  EXPECT_FALSE(Info().probe(std::span(good).first(239), context));
}

TEST(DhcpDissector, IgnoresMalformedMessages) {
  auto bad_cookie = MessageBuilder(1).Option(12, "x").End();
  bad_cookie[237] = 0;

  EXPECT_TRUE(Dissect(bad_cookie).observations.empty());
  EXPECT_TRUE(Dissect(std::vector<std::uint8_t>(100, 1)).observations.empty());
}

// The UDP payloads of a capture, through tshark.
std::vector<std::vector<std::uint8_t>> Payloads(const std::filesystem::path& capture) {
  std::vector<std::vector<std::uint8_t>> payloads;
  std::istringstream lines(
      RunCommand("tshark -r '" + capture.string() + "' -T fields -e udp.payload"));
  for (std::string line; std::getline(lines, line);) {
    const std::string bytes = Unhex(line);
    payloads.emplace_back(bytes.begin(), bytes.end());
  }
  return payloads;
}

TEST(DhcpDissector, ReadsTheMudCaptureLikeTcpdump) {
  VIGIL_REQUIRE_FIXTURE(capture, "pcap/tcpdump_dhcp-mud.pcap");
  VIGIL_REQUIRE_TOOL(tshark, "tshark");

  const auto payloads = Payloads(capture);

  ASSERT_GE(payloads.size(), 2u);
  const auto request = Dissect(payloads[0]);
  ASSERT_EQ(request.observations.size(), 1u);
  const auto& o = request.observations[0];
  EXPECT_EQ(o.subject.mac->ToString(), "b8:27:eb:b8:53:c8");
  EXPECT_EQ(Value(o, "dhcp.hostname"), "raspberrypi");
  EXPECT_EQ(Value(o, "dhcp.mud_url"), "https://mudctl.example.com/.well-known/mud/v1/rasbp101");
  EXPECT_EQ(Value(o, "dhcp.vendor_class"), "dhcpcd-6.11.5:Linux-4.1.18-v7+:armv7l:BCM2709");
  EXPECT_EQ(Value(o, "dhcp.param_list"), "1,121,33,3,6,12,15,28,42,51,54,58,59,100,101,119");
  EXPECT_EQ(Value(o, "dhcp.client_id"), "01:b827ebb853c8");
  const auto ack = Dissect(payloads[1]);
  ASSERT_EQ(ack.observations.size(), 1u);
  EXPECT_EQ(Value(ack.observations[0], "dhcp.message_type"), "ack");
  EXPECT_EQ(Value(ack.observations[0], "dhcp.lease_time"), "600");
  EXPECT_EQ(ack.observations[0].subject.ip->ToString(), "62.12.173.123");
}

TEST(DhcpDissector, IgnoresTheMessagesWithoutCookieInTheBadCookieCapture) {
  VIGIL_REQUIRE_FIXTURE(capture, "pcap/zeek_dhcp_bad_cookie_option_retention.pcap");
  VIGIL_REQUIRE_TOOL(tshark, "tshark");
  std::size_t probed = 0;
  std::size_t observed = 0;

  const auto payloads = Payloads(capture);
  for (const auto& payload : payloads) {
    if (Info().probe(payload, {})) ++probed;
    observed += Dissect(payload).observations.size();
  }

  // Frames 1 and 5 are DISCOVERs; frames 2 to 4 carry no cookie (Zeek logs only the two).
  ASSERT_EQ(payloads.size(), 5u);
  EXPECT_EQ(probed, 2u);
  EXPECT_EQ(observed, 2u);
}

}  // namespace
}  // namespace vigil::sensor::dhcp
