#include "sensor/dissect/ssdp/dissector.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "sensor/dissect/testing/dissect_testing.h"
#include "sensor/dissect/text.h"

namespace vigil::sensor::ssdp {
namespace {

Packet UdpPacket(std::string_view payload, const char* src, std::uint16_t sport, const char* dst,
                 std::uint16_t dport) {
  Packet packet =
      MakeUdpPacket(src, sport, dst, dport,
                    {reinterpret_cast<const std::uint8_t*>(payload.data()), payload.size()});
  packet.time_unix_nanos = 3;
  packet.src_mac = MacAddress({0x02, 0, 0, 0, 0, 0x01});
  packet.dst_mac = MacAddress({0x02, 0, 0, 0, 0, 0x02});
  packet.vlan = 12;
  return packet;
}

CollectingSink Dissect(const Packet& packet) { return DissectPacket(Info(), packet); }

TEST(SsdpDissector, ANotifyDescribesTheAdvertisingDevice) {
  const std::string_view notify =
      "NOTIFY * HTTP/1.1\r\nLOCATION: http://10.0.4.20:49152/d.xml\r\n"
      "NT: urn:schemas-upnp-org:device:MediaRenderer:1\r\nNTS: ssdp:alive\r\n"
      "SERVER: Linux/4.9 UPnP/1.0 Monitor/2.1\r\nUSN: uuid:1234::urn:x\r\n\r\n";

  const auto sink = Dissect(UdpPacket(notify, "10.0.4.20", 1900, "239.255.255.250", 1900));

  ASSERT_EQ(sink.observations.size(), 1u);
  const auto& o = sink.observations[0];
  EXPECT_EQ(o.protocol, "ssdp");
  EXPECT_EQ(o.vlan, 12);
  EXPECT_EQ(o.subject.ip->ToString(), "10.0.4.20");
  EXPECT_FALSE(o.peer);
  EXPECT_EQ(Values(o, "ssdp.message"), std::vector<std::string>{"notify"});
  EXPECT_EQ(Values(o, "ssdp.server"), std::vector<std::string>{"Linux/4.9 UPnP/1.0 Monitor/2.1"});
  EXPECT_EQ(Values(o, "ssdp.device_type"),
            std::vector<std::string>{"urn:schemas-upnp-org:device:MediaRenderer:1"});
  EXPECT_EQ(Values(o, "ssdp.location"), std::vector<std::string>{"http://10.0.4.20:49152/d.xml"});
  EXPECT_EQ(Values(o, "ssdp.nts"), std::vector<std::string>{"ssdp:alive"});
}

TEST(SsdpDissector, AResponseFromAHighPortNamesItsSearcher) {
  const std::string_view response =
      "HTTP/1.1 200 OK\r\nST: urn:schemas-upnp-org:device:Printer:1\r\n"
      "USN: uuid:77::urn:schemas-upnp-org:device:Printer:1\r\nSERVER: RTOS/1 UPnP/1.0 x/1\r\n\r\n";

  const auto sink = Dissect(UdpPacket(response, "10.0.4.30", 49200, "10.0.4.5", 50000));

  ASSERT_EQ(sink.observations.size(), 1u);
  const auto& o = sink.observations[0];
  EXPECT_EQ(o.subject.ip->ToString(), "10.0.4.30");
  ASSERT_TRUE(o.peer);
  EXPECT_EQ(o.peer->ip->ToString(), "10.0.4.5");
  EXPECT_EQ(Values(o, "ssdp.st"),
            std::vector<std::string>{"urn:schemas-upnp-org:device:Printer:1"});
  EXPECT_EQ(Values(o, "ssdp.device_type"),
            std::vector<std::string>{"urn:schemas-upnp-org:device:Printer:1"});
}

TEST(SsdpDissector, ASearchDescribesTheSearcher) {
  const std::string_view search =
      "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\n"
      "ST: ssdp:all\r\nUSER-AGENT: Android/13 UPnP/1.1 App/2\r\n\r\n";

  const auto sink = Dissect(UdpPacket(search, "10.0.4.5", 50000, "239.255.255.250", 1900));

  ASSERT_EQ(sink.observations.size(), 1u);
  const auto& o = sink.observations[0];
  EXPECT_EQ(Values(o, "ssdp.message"), std::vector<std::string>{"m-search"});
  EXPECT_EQ(Values(o, "ssdp.search_target"), std::vector<std::string>{"ssdp:all"});
  EXPECT_EQ(Values(o, "ssdp.user_agent"), std::vector<std::string>{"Android/13 UPnP/1.1 App/2"});
  EXPECT_TRUE(Values(o, "ssdp.st").empty());
}

TEST(SsdpDissector, EscapesControlBytesAndBoundsValues) {
  const std::string notify =
      "NOTIFY * HTTP/1.1\r\nSERVER: a\x01" + std::string(1000, 'b') + "\r\n\r\n";

  const auto sink = Dissect(UdpPacket(notify, "10.0.4.20", 1900, "239.255.255.250", 1900));

  ASSERT_EQ(sink.observations.size(), 1u);
  const auto server = Values(sink.observations[0], "ssdp.server");
  ASSERT_EQ(server.size(), 1u);
  EXPECT_TRUE(server[0].starts_with("a\\x01b"));
  EXPECT_LE(server[0].size(), kMaxFactBytes);
}

TEST(SsdpDissector, ProbeIgnoresPorts) {
  const std::string_view search = "M-SEARCH * HTTP/1.1\r\n\r\n";
  const auto packet = UdpPacket(search, "192.168.242.8", 42253, "192.168.242.255", 32412);

  EXPECT_TRUE(Info().probe(packet.payload, {.client_port = 42253, .server_port = 32412}));
  EXPECT_EQ(Dissect(packet).observations.size(), 1u);
  EXPECT_FALSE(
      Info().probe(UdpPacket("GET / HTTP/1.1\r\n", "10.0.0.1", 1, "10.0.0.2", 1900).payload, {}));
}

}  // namespace
}  // namespace vigil::sensor::ssdp
