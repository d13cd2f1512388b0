#include "sensor/dissect/lldp/dissector.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sensor/dissect/lldp/lldp_testing.h"
#include "sensor/dissect/lldp/message.h"
#include "sensor/dissect/testing/dissect_testing.h"
#include "sensor/dissect/testing/pcap_frames.h"
#include "testing/fixtures.h"

namespace vigil::sensor::lldp {
namespace {

using testing::LldpBuilder;

Packet LinkPacket(const std::vector<std::uint8_t>& payload) {
  Packet packet;
  packet.time_unix_nanos = 5;
  packet.has_ethernet = true;
  packet.src_mac = MacAddress({0x00, 0x19, 0x2f, 0xa7, 0xb2, 0x8d});
  packet.dst_mac = MacAddress({0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e});
  packet.ethertype = kEthertype;
  packet.vlan = 30;
  packet.payload = payload;
  return packet;
}

CollectingSink Dissect(const Packet& packet) { return DissectPacket(Info(), packet); }

TEST(LldpDissector, DescribesTheSendingSwitchAndPort) {
  const auto bytes = LldpBuilder()
                         .Tlv(1, {4, 0x00, 0x19, 0x2f, 0xa7, 0xb2, 0x8d})
                         .Text(2, {1}, "Uplink to S1")
                         .Tlv(3, {0, 120})
                         .Text(4, {}, "GigabitEthernet0/13")
                         .Text(5, {}, "S2.cisco.com")
                         .Text(6, {}, "Cisco IOS Software, C3560\nCopyright (c) 1986-2008")
                         .Tlv(7, {0x00, 0x14, 0x00, 0x04})
                         .Tlv(127, {0x00, 0x80, 0xc2, 1, 0x00, 0x01})
                         .End();

  const auto sink = Dissect(LinkPacket(bytes));

  ASSERT_EQ(sink.observations.size(), 1u);
  const auto& o = sink.observations[0];
  EXPECT_EQ(o.protocol, "lldp");
  EXPECT_EQ(o.vlan, 30);
  EXPECT_EQ(o.subject.mac->ToString(), "00:19:2f:a7:b2:8d");
  EXPECT_FALSE(o.peer);
  EXPECT_EQ(Value(o, "lldp.chassis_id"), "00:19:2f:a7:b2:8d");
  EXPECT_EQ(Value(o, "lldp.port_id"), "Uplink to S1");
  EXPECT_EQ(Value(o, "lldp.port_description"), "GigabitEthernet0/13");
  EXPECT_EQ(Value(o, "lldp.system_name"), "S2.cisco.com");
  EXPECT_EQ(Value(o, "lldp.system_description"), "Cisco IOS Software, C3560");
  EXPECT_EQ(Value(o, "lldp.capabilities"), "bridge,router");
  EXPECT_EQ(Value(o, "lldp.enabled_capabilities"), "bridge");
  EXPECT_EQ(Value(o, "lldp.port_vlan"), "1");
}

TEST(LldpDissector, ProbeWantsTheEthertypeAndAChassisIdFirst) {
  const auto bytes = LldpBuilder().Text(1, {7}, "sw1").End();
  auto packet = LinkPacket(bytes);
  const ProbeContext context{.packet = &packet};
  Packet other = packet;
  other.ethertype = 0x0800;
  const ProbeContext other_context{.packet = &other};
  const auto port_first = LldpBuilder().Text(2, {7}, "p1").End();

  EXPECT_TRUE(Info().probe(bytes, context));
  EXPECT_FALSE(Info().probe(bytes, other_context));
  EXPECT_FALSE(Info().probe(port_first, context));
}

TEST(LldpDissector, IgnoresMalformedFrames) {
  EXPECT_TRUE(Dissect(LinkPacket({0x04, 0x07})).observations.empty());
  EXPECT_TRUE(Dissect(LinkPacket({})).observations.empty());
}

// Ethernet II frames with ethertype 0x88cc in a capture: their payloads after the 14-byte header.
std::vector<std::vector<std::uint8_t>> LldpPayloads(const std::filesystem::path& capture) {
  std::vector<std::vector<std::uint8_t>> payloads;
  for (const auto& frame : ReadPcapFrames(capture)) {
    if (frame.size() > 14 && frame[12] == 0x88 && frame[13] == 0xcc) {
      payloads.emplace_back(frame.begin() + 14, frame.end());
    }
  }
  return payloads;
}

TEST(LldpDissector, ReadsTheLldpAndCdpCaptureLikeTcpdump) {
  VIGIL_REQUIRE_FIXTURE(capture, "pcap/tcpdump_LLDP_and_CDP.pcap");

  const auto payloads = LldpPayloads(capture);

  ASSERT_EQ(payloads.size(), 8u);
  const auto s2 = Dissect(LinkPacket(payloads[0]));
  ASSERT_EQ(s2.observations.size(), 1u);
  EXPECT_EQ(Value(s2.observations[0], "lldp.chassis_id"), "00:19:2f:a7:b2:8d");
  EXPECT_EQ(Value(s2.observations[0], "lldp.port_id"), "Uplink to S1");
  EXPECT_EQ(Value(s2.observations[0], "lldp.system_name"), "S2.cisco.com");
  EXPECT_EQ(Value(s2.observations[0], "lldp.port_description"), "GigabitEthernet0/13");
  EXPECT_EQ(Value(s2.observations[0], "lldp.port_vlan"), "1");
  const auto s1 = Dissect(LinkPacket(payloads[1]));
  ASSERT_EQ(s1.observations.size(), 1u);
  EXPECT_EQ(Value(s1.observations[0], "lldp.port_id"), "Fa0/13");
  EXPECT_EQ(Value(s1.observations[0], "lldp.system_description"),
            "Cisco IOS Software, C3560 Software (C3560-ADVIPSERVICESK9-M), Version 12.2(44)SE, "
            "RELEASE SOFTWARE (fc1)");
}

TEST(LldpDissector, ReadsTheMudUrl) {
  VIGIL_REQUIRE_FIXTURE(capture, "pcap/tcpdump_lldp_mudurl.pcap");

  const auto payloads = LldpPayloads(capture);

  ASSERT_FALSE(payloads.empty());
  const auto sink = Dissect(LinkPacket(payloads[0]));
  ASSERT_EQ(sink.observations.size(), 1u);
  EXPECT_EQ(Value(sink.observations[0], "lldp.mud_url"),
            "https://imright.mud.example.com/.well-known/mud/v1/vomitv2.0");
}

}  // namespace
}  // namespace vigil::sensor::lldp
