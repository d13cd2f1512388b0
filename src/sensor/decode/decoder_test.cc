#include "sensor/decode/decoder.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "sensor/decode/byte_reader.h"

namespace vigil::sensor {
namespace {

using Bytes = std::vector<std::uint8_t>;

void Append(Bytes& b, std::initializer_list<std::uint8_t> more) { b.insert(b.end(), more); }
void Append(Bytes& b, const Bytes& more) { b.insert(b.end(), more.begin(), more.end()); }
void U16(Bytes& b, std::uint16_t v) { Append(b, {std::uint8_t(v >> 8), std::uint8_t(v)}); }

Bytes EthernetHeader(std::uint16_t type) {
  Bytes b = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01, 0x00, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f};
  U16(b, type);
  return b;
}

Bytes Ipv4Header(std::uint8_t protocol, std::uint16_t payload, std::uint16_t flags_offset = 0) {
  Bytes b = {0x45, 0x00};
  U16(b, static_cast<std::uint16_t>(20 + payload));
  Append(b, {0x12, 0x34});
  U16(b, flags_offset);
  Append(b, {64, protocol, 0, 0, 10, 1, 2, 3, 10, 1, 2, 4});
  return b;
}

Bytes UdpHeader(std::uint16_t src, std::uint16_t dst, std::uint16_t payload) {
  Bytes b;
  U16(b, src);
  U16(b, dst);
  U16(b, static_cast<std::uint16_t>(8 + payload));
  Append(b, {0, 0});
  return b;
}

Bytes TcpHeader(std::uint16_t src, std::uint16_t dst, std::uint8_t flags) {
  Bytes b;
  U16(b, src);
  U16(b, dst);
  Append(b, {0, 0, 0, 100, 0, 0, 0, 7, 0x50, flags, 0xff, 0xff, 0, 0, 0, 0});
  return b;
}

struct Decoded {
  bool ok;
  Packet packet;
  WeirdCounters weird;
};

Decoded DecodeFrame(LinkType link, const Bytes& frame) {
  Decoded d{};
  d.ok = Decode(link, frame, static_cast<std::uint32_t>(frame.size()), 42, d.packet, d.weird);
  return d;
}

TEST(Decode, EthernetIpv4Tcp) {
  Bytes f = EthernetHeader(0x0800);
  Append(f, Ipv4Header(6, 20 + 3));
  Append(f, TcpHeader(40000, 6661, kTcpSyn | kTcpAck));
  Append(f, {'M', 'S', 'H'});

  Decoded d = DecodeFrame(LinkType::kEthernet, f);

  ASSERT_TRUE(d.ok);
  EXPECT_EQ(d.weird.Total(), 0u);
  const Packet& p = d.packet;
  EXPECT_EQ(p.time_unix_nanos, 42);
  EXPECT_EQ(p.src_mac.ToString(), "00:1b:2c:3d:4e:5f");
  EXPECT_EQ(p.network, Network::kIpv4);
  EXPECT_EQ(p.src_ip.ToString(), "10.1.2.3");
  EXPECT_EQ(p.dst_ip.ToString(), "10.1.2.4");
  EXPECT_EQ(p.ip_length, 43u);
  ASSERT_TRUE(p.has_transport);
  EXPECT_EQ(p.src_port, 40000);
  EXPECT_EQ(p.dst_port, 6661);
  EXPECT_EQ(p.tcp_seq, 100u);
  EXPECT_EQ(p.tcp_flags, kTcpSyn | kTcpAck);
  EXPECT_EQ(AsString(p.payload), "MSH");
}

TEST(Decode, QinQTagsAndEthernetPaddingAfterUdp) {
  Bytes f = EthernetHeader(0x88A8);
  Append(f, {0x00, 0x64, 0x81, 0x00, 0x20, 0xC8, 0x08, 0x00});  // S-tag 100, C-tag 200.
  Append(f, Ipv4Header(17, 8 + 2));
  Append(f, UdpHeader(68, 67, 2));
  Append(f, {0xAB, 0xCD, 0, 0, 0, 0, 0, 0});  // Two bytes of payload, then padding.

  Decoded d = DecodeFrame(LinkType::kEthernet, f);

  EXPECT_EQ(d.packet.vlan, 100);
  EXPECT_EQ(d.packet.inner_vlan, 200);
  ASSERT_TRUE(d.packet.has_transport);
  EXPECT_EQ(d.packet.dst_port, 67);
  EXPECT_EQ(d.packet.payload.size(), 2u);
  EXPECT_EQ(d.weird.Total(), 0u);
}

TEST(Decode, Ipv6WithHopByHopAndFragmentHeaders) {
  Bytes f = EthernetHeader(0x86DD);
  Bytes ip = {0x60, 0, 0, 0};
  U16(ip, 8 + 8 + 8 + 1);
  Append(ip, {0, 255});  // Next header hop-by-hop.
  for (int i = 0; i < 15; ++i) ip.push_back(0);
  ip.push_back(1);  // ::1
  Append(ip, {0xfe, 0x80});
  for (int i = 0; i < 13; ++i) ip.push_back(0);
  ip.push_back(2);                              // fe80::2
  Append(ip, {44, 0, 1, 4, 0, 0, 0, 0});        // Hop-by-hop, 8 bytes, next: fragment.
  Append(ip, {17, 0, 0x00, 0x01, 0, 0, 0, 9});  // Fragment at offset 0, more to come.
  Append(f, ip);
  Append(f, UdpHeader(5353, 5353, 1));
  f.push_back(0x99);

  Decoded d = DecodeFrame(LinkType::kEthernet, f);

  EXPECT_EQ(d.packet.network, Network::kIpv6);
  EXPECT_EQ(d.packet.src_ip.ToString(), "::1");
  EXPECT_EQ(d.packet.dst_ip.ToString(), "fe80::2");
  EXPECT_TRUE(d.packet.fragment);
  EXPECT_TRUE(d.packet.first_fragment);
  EXPECT_EQ(d.weird.Get(Weird::kIpFragment), 1u);
  ASSERT_TRUE(d.packet.has_transport);
  EXPECT_EQ(d.packet.src_port, 5353);
  EXPECT_EQ(d.packet.payload.size(), 1u);
}

TEST(Decode, LaterIpv4FragmentHasNoTransport) {
  Bytes f = EthernetHeader(0x0800);
  Append(f, Ipv4Header(17, 4, 0x0010));  // Offset 16 x 8 bytes.
  Append(f, {1, 2, 3, 4});

  Decoded d = DecodeFrame(LinkType::kEthernet, f);

  EXPECT_TRUE(d.packet.fragment);
  EXPECT_FALSE(d.packet.first_fragment);
  EXPECT_FALSE(d.packet.has_transport);
  EXPECT_EQ(d.packet.payload.size(), 4u);
}

TEST(Decode, Arp) {
  Bytes f = EthernetHeader(0x0806);
  Append(f, {0,  1, 8, 0, 6, 4, 0, 2, 0, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f,
             10, 0, 0, 7, 0, 0, 0, 0, 0, 1,    10,   0,    0,    1});

  Decoded d = DecodeFrame(LinkType::kEthernet, f);

  EXPECT_EQ(d.packet.network, Network::kArp);
  EXPECT_EQ(d.packet.arp.operation, 2);
  EXPECT_EQ(d.packet.arp.sender_ip.ToString(), "10.0.0.7");
  EXPECT_EQ(d.packet.arp.sender_mac.ToString(), "00:1b:2c:3d:4e:5f");
}

TEST(Decode, Ieee8023LlcSnapCarriesCdp) {
  Bytes f = {0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc, 0x00, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f};
  U16(f, 8 + 4);
  Append(f, {0xAA, 0xAA, 0x03, 0x00, 0x00, 0x0c, 0x20, 0x00, 0x02, 0xb4, 0x00, 0x00});

  Decoded d = DecodeFrame(LinkType::kEthernet, f);

  EXPECT_TRUE(d.packet.llc_snap);
  EXPECT_EQ(d.packet.snap_oui, 0x00000cu);
  EXPECT_EQ(d.packet.ethertype, 0x2000);
  EXPECT_EQ(d.packet.network, Network::kOther);
  EXPECT_EQ(d.packet.payload.size(), 4u);
}

TEST(Decode, LinuxCookedV1AndV2) {
  Bytes ip = Ipv4Header(17, 8);
  Append(ip, UdpHeader(1, 2, 0));
  Bytes v1 = {0, 0, 0, 1, 0, 6, 0, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f, 0, 0, 8, 0};
  Append(v1, ip);
  Bytes v2 = {8, 0, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 0, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f, 0, 0};
  Append(v2, ip);

  Decoded d1 = DecodeFrame(LinkType::kLinuxSll, v1);
  Decoded d2 = DecodeFrame(LinkType::kLinuxSll2, v2);

  for (const Decoded* d : {&d1, &d2}) {
    EXPECT_EQ(d->packet.src_mac.ToString(), "00:1b:2c:3d:4e:5f");
    EXPECT_EQ(d->packet.src_ip.ToString(), "10.1.2.3");
    EXPECT_EQ(d->packet.dst_port, 2);
    EXPECT_EQ(d->weird.Total(), 0u);
  }
}

TEST(Decode, RawIpPicksTheVersionFromTheFirstNibble) {
  Bytes f = Ipv4Header(1, 4);
  Append(f, {8, 0, 0, 0});

  Decoded d = DecodeFrame(LinkType::kRawIp, f);

  EXPECT_EQ(d.packet.network, Network::kIpv4);
  EXPECT_EQ(d.packet.ip_protocol, kIpProtoIcmp);
  EXPECT_EQ(d.packet.icmp_type, 8);
}

TEST(Decode, MalformedLayersAreCountedByReason) {
  Bytes short_link = {1, 2, 3};
  Bytes bad_ihl = EthernetHeader(0x0800);
  Append(bad_ihl, Ipv4Header(6, 0));
  bad_ihl[14] = 0x44;
  Bytes short_tcp = EthernetHeader(0x0800);
  Append(short_tcp, Ipv4Header(6, 10));
  Append(short_tcp, {0, 1, 0, 2, 0, 0, 0, 0, 0, 0});
  Bytes snapped = EthernetHeader(0x0800);
  Append(snapped, Ipv4Header(17, 500));
  Append(snapped, UdpHeader(1, 2, 492));

  EXPECT_FALSE(DecodeFrame(LinkType::kEthernet, short_link).ok);
  EXPECT_EQ(DecodeFrame(LinkType::kEthernet, short_link).weird.Get(Weird::kTruncatedLinkHeader),
            1u);
  EXPECT_EQ(DecodeFrame(LinkType::kEthernet, bad_ihl).weird.Get(Weird::kBadIpv4HeaderLength), 1u);
  Decoded tcp = DecodeFrame(LinkType::kEthernet, short_tcp);
  EXPECT_EQ(tcp.weird.Get(Weird::kTruncatedTcp), 1u);
  EXPECT_EQ(tcp.packet.src_ip.ToString(), "10.1.2.3");  // The layers before stay decoded.
  EXPECT_FALSE(tcp.packet.has_transport);
  Decoded cut = DecodeFrame(LinkType::kEthernet, snapped);
  EXPECT_EQ(cut.weird.Get(Weird::kCapturedShort), 1u);
  EXPECT_TRUE(cut.packet.has_transport);
  EXPECT_EQ(cut.packet.payload.size(), 0u);
}

}  // namespace
}  // namespace vigil::sensor
