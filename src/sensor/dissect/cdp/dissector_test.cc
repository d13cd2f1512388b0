#include "sensor/dissect/cdp/dissector.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sensor/dissect/cdp/cdp_testing.h"
#include "sensor/dissect/cdp/message.h"
#include "sensor/dissect/testing/dissect_testing.h"
#include "sensor/dissect/testing/pcap_frames.h"
#include "testing/fixtures.h"

namespace vigil::sensor::cdp {
namespace {

using testing::CdpBuilder;

Packet SnapPacket(const std::vector<std::uint8_t>& payload) {
  Packet packet;
  packet.time_unix_nanos = 11;
  packet.has_ethernet = true;
  packet.src_mac = MacAddress({0x00, 0x18, 0xba, 0x98, 0x68, 0x8f});
  packet.dst_mac = MacAddress({0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc});
  packet.llc_snap = true;
  packet.snap_oui = kSnapOui;
  packet.ethertype = kSnapProtocol;
  packet.vlan = 40;
  packet.payload = payload;
  return packet;
}

CollectingSink Dissect(const Packet& packet) { return DissectPacket(Info(), packet); }

TEST(CdpDissector, DescribesTheSenderAndItsPort) {
  const auto bytes = CdpBuilder()
                         .Text(0x0001, "S1")
                         .Field(0x0002, testing::Ipv4Addresses(10, 0, 0, 1))
                         .Text(0x0003, "FastEthernet0/13")
                         .Field(0x0004, {0, 0, 0, 0x28})
                         .Text(0x0005, "Cisco IOS Software, C3560\nCopyright (c) 1986-2008")
                         .Text(0x0006, "cisco WS-C3560-24TS")
                         .Field(0x000a, {0, 12})
                         .Field(0x0016, testing::Ipv4Addresses(0, 0, 0, 0))
                         .Build();

  const auto sink = Dissect(SnapPacket(bytes));

  ASSERT_EQ(sink.observations.size(), 1u);
  const auto& o = sink.observations[0];
  EXPECT_EQ(o.protocol, "cdp");
  EXPECT_EQ(o.vlan, 40);
  EXPECT_EQ(o.subject.mac->ToString(), "00:18:ba:98:68:8f");
  EXPECT_EQ(Value(o, "cdp.device_id"), "S1");
  EXPECT_EQ(Values(o, "cdp.address"), std::vector<std::string>{"10.0.0.1"});
  EXPECT_EQ(Value(o, "cdp.port_id"), "FastEthernet0/13");
  EXPECT_EQ(Value(o, "cdp.capabilities"), "switch,igmp");
  EXPECT_EQ(Value(o, "cdp.software_version"), "Cisco IOS Software, C3560");
  EXPECT_EQ(Value(o, "cdp.platform"), "cisco WS-C3560-24TS");
  EXPECT_EQ(Value(o, "cdp.native_vlan"), "12");
  EXPECT_TRUE(Values(o, "cdp.management_address").empty());  // 0.0.0.0 is left out.
}

TEST(CdpDissector, ProbeWantsCiscoSnapAndAKnownVersion) {
  const auto bytes = CdpBuilder().Text(0x0001, "S1").Build();
  const auto packet = SnapPacket(bytes);
  Packet lldp = packet;
  lldp.llc_snap = false;
  lldp.ethertype = 0x88cc;
  const auto v3 = CdpBuilder(3).Build();

  EXPECT_TRUE(Info().probe(bytes, {.packet = &packet}));
  EXPECT_FALSE(Info().probe(bytes, {.packet = &lldp}));
  EXPECT_FALSE(Info().probe(v3, {.packet = &packet}));
  EXPECT_FALSE(Info().probe(std::span(bytes).first(3), {.packet = &packet}));
}

TEST(CdpDissector, EscapesControlBytes) {
  const auto bytes = CdpBuilder().Text(0x0001, std::string_view("S\x1b[2J", 5)).Build();

  const auto sink = Dissect(SnapPacket(bytes));

  ASSERT_EQ(sink.observations.size(), 1u);
  EXPECT_EQ(Value(sink.observations[0], "cdp.device_id"), "S\\x1b[2J");
}

// 802.3 frames with LLC/SNAP OUI 00000c protocol 2000: their payloads after the SNAP header.
std::vector<std::vector<std::uint8_t>> CdpPayloads(const std::filesystem::path& capture) {
  std::vector<std::vector<std::uint8_t>> payloads;
  for (const auto& frame : ReadPcapFrames(capture)) {
    const bool snap = frame.size() > 22 && frame[14] == 0xaa && frame[15] == 0xaa &&
                      frame[17] == 0 && frame[18] == 0 && frame[19] == 0x0c && frame[20] == 0x20 &&
                      frame[21] == 0x00;
    if (snap) payloads.emplace_back(frame.begin() + 22, frame.end());
  }
  return payloads;
}

TEST(CdpDissector, ReadsTheLldpAndCdpCaptureLikeTcpdump) {
  VIGIL_REQUIRE_FIXTURE(capture, "pcap/tcpdump_LLDP_and_CDP.pcap");

  const auto payloads = CdpPayloads(capture);

  ASSERT_EQ(payloads.size(), 4u);
  const auto s1 = Dissect(SnapPacket(payloads[0]));
  ASSERT_EQ(s1.observations.size(), 1u);
  const auto& o = s1.observations[0];
  EXPECT_EQ(Value(o, "cdp.device_id"), "S1");
  EXPECT_EQ(Value(o, "cdp.platform"), "cisco WS-C3560-24TS");
  EXPECT_EQ(Value(o, "cdp.port_id"), "FastEthernet0/13");
  EXPECT_EQ(Value(o, "cdp.capabilities"), "switch,igmp");
  EXPECT_EQ(Value(o, "cdp.native_vlan"), "1");
  EXPECT_EQ(Value(o, "cdp.software_version"),
            "Cisco IOS Software, C3560 Software (C3560-ADVIPSERVICESK9-M), Version 12.2(44)SE, "
            "RELEASE SOFTWARE (fc1)");
  const auto s2 = Dissect(SnapPacket(payloads[1]));
  ASSERT_EQ(s2.observations.size(), 1u);
  EXPECT_EQ(Value(s2.observations[0], "cdp.platform"), "cisco WS-C3560G-24PS");
  EXPECT_EQ(Value(s2.observations[0], "cdp.port_id"), "GigabitEthernet0/13");
}

}  // namespace
}  // namespace vigil::sensor::cdp
