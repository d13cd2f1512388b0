#include "sensor/dissect/dns/dissector.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "sensor/dissect/dns/dns_builders_test.h"
#include "sensor/dissect/dns/message.h"
#include "sensor/dissect/testing/dissect_testing.h"
#include "testing/fixtures.h"

namespace vigil::sensor::dns {
namespace {

using testing::MessageBuilder;
using testing::NameLength;

Packet UdpPacket(const std::vector<std::uint8_t>& payload, const char* src, std::uint16_t sport,
                 const char* dst, std::uint16_t dport) {
  Packet packet = MakeUdpPacket(src, sport, dst, dport, payload);
  packet.time_unix_nanos = 7;
  packet.src_mac = MacAddress({0x02, 0, 0, 0, 0, 0x01});
  packet.dst_mac = MacAddress({0x02, 0, 0, 0, 0, 0x02});
  return packet;
}

CollectingSink Dissect(const Packet& packet) { return DissectPacket(Info(), packet); }

TEST(DnsDissector, AQueryDescribesTheQuerier) {
  const auto bytes = MessageBuilder(0x0100, 1, 0).Question("pacs.hospital.org", kTypeA).Build();

  const auto sink = Dissect(UdpPacket(bytes, "10.0.0.5", 40000, "10.0.0.53", 53));

  ASSERT_EQ(sink.observations.size(), 1u);
  const auto& o = sink.observations[0];
  EXPECT_EQ(o.protocol, "dns");
  EXPECT_EQ(o.subject.ip->ToString(), "10.0.0.5");
  EXPECT_EQ(o.subject.mac->ToString(), "02:00:00:00:00:01");
  ASSERT_TRUE(o.peer);
  EXPECT_EQ(o.peer->ip->ToString(), "10.0.0.53");
  EXPECT_EQ(o.peer->port, 53);
  EXPECT_EQ(Values(o, "dns.query"), std::vector<std::string>{"pacs.hospital.org"});
}

TEST(DnsDissector, AUnicastAnswerDescribesTheQuerier) {
  const auto bytes = MessageBuilder(0x8180, 1, 1)
                         .Question("pacs.hospital.org", kTypeA)
                         .Raw({0xC0, 12})
                         .U16(kTypeA)
                         .U16(1)
                         .U16(0)
                         .U16(60)
                         .U16(4)
                         .Raw({10, 1, 2, 3})
                         .Build();

  const auto sink = Dissect(UdpPacket(bytes, "10.0.0.53", 53, "10.0.0.5", 40000));

  ASSERT_EQ(sink.observations.size(), 1u);
  const auto& o = sink.observations[0];
  EXPECT_EQ(o.subject.ip->ToString(), "10.0.0.5");
  EXPECT_EQ(o.peer->ip->ToString(), "10.0.0.53");
  EXPECT_EQ(Values(o, "dns.answer"), std::vector<std::string>{"pacs.hospital.org -> 10.1.2.3"});
  EXPECT_TRUE(Values(o, "dns.hostname").empty());
}

TEST(DnsDissector, ReportsErrorCodes) {
  const auto bytes = MessageBuilder(0x8183, 1, 0).Question("nope.org", kTypeA).Build();

  const auto sink = Dissect(UdpPacket(bytes, "10.0.0.53", 53, "10.0.0.5", 40000));

  ASSERT_EQ(sink.observations.size(), 1u);
  EXPECT_EQ(Values(sink.observations[0], "dns.rcode"), std::vector<std::string>{"nxdomain"});
}

std::vector<std::uint8_t> PrinterAnnouncement() {
  const std::string instance = "Ward 3 Printer._ipp._tcp.local";
  return MessageBuilder(0x8400, 0, 4)
      .Record("_ipp._tcp.local", kTypePtr, NameLength(instance))
      .Name(instance)
      .Record(instance, kTypeSrv, static_cast<std::uint16_t>(6 + NameLength("prn3.local")))
      .U16(0)
      .U16(0)
      .U16(631)
      .Name("prn3.local")
      .Record(instance, kTypeTxt, 5 + 19 + 10)
      .Text("rp=a")
      .Text("ty=HP LaserJet 400")
      .Text("note=ward")
      .Record("prn3.local", kTypeA, 4)
      .Raw({10, 0, 3, 9})
      .Build();
}

TEST(DnsDissector, AnMdnsAnnouncementDescribesTheResponder) {
  const auto bytes = PrinterAnnouncement();

  const auto sink = Dissect(UdpPacket(bytes, "10.0.3.9", 5353, "224.0.0.251", 5353));

  ASSERT_EQ(sink.observations.size(), 1u);
  const auto& o = sink.observations[0];
  EXPECT_EQ(o.subject.ip->ToString(), "10.0.3.9");
  EXPECT_EQ(o.subject.port, 5353);
  EXPECT_FALSE(o.peer);
  EXPECT_EQ(Values(o, "dns.service"), std::vector<std::string>{"_ipp._tcp.local"});
  EXPECT_EQ(Values(o, "dns.instance"), std::vector<std::string>{"Ward 3 Printer._ipp._tcp.local"});
  EXPECT_EQ(Values(o, "dns.srv"),
            std::vector<std::string>{"Ward 3 Printer._ipp._tcp.local -> prn3.local:631"});
  EXPECT_EQ(Values(o, "dns.txt"), std::vector<std::string>{"ty=HP LaserJet 400"});
  EXPECT_EQ(Values(o, "dns.hostname"), std::vector<std::string>{"prn3.local"});
}

TEST(DnsDissector, AnMdnsProbeNamesTheQuerier) {
  const auto bytes = MessageBuilder(0x0000, 1, 0, 1)
                         .Question("ct-scanner.local", 255)
                         .Record("ct-scanner.local", kTypeA, 4)
                         .Raw({10, 0, 0, 8})
                         .Build();

  const auto sink = Dissect(UdpPacket(bytes, "10.0.0.8", 5353, "224.0.0.251", 5353));

  ASSERT_EQ(sink.observations.size(), 1u);
  EXPECT_EQ(Values(sink.observations[0], "dns.hostname"),
            std::vector<std::string>{"ct-scanner.local"});
}

TEST(DnsDissector, DropsDuplicateFactsAndBoundsTheirNumber) {
  MessageBuilder builder(0x8400, 0, 60);
  for (int i = 0; i < 60; ++i) {
    builder.Record("h" + std::to_string(i % 50) + ".local", kTypeA, 4).Raw({10, 0, 0, 1});
  }

  const auto sink = Dissect(UdpPacket(builder.Build(), "10.0.0.1", 5353, "224.0.0.251", 5353));

  ASSERT_EQ(sink.observations.size(), 1u);
  EXPECT_EQ(sink.observations[0].facts.size(), 48u);
}

TEST(DnsDissector, IgnoresMalformedAndOtherOpcodes) {
  const auto update = MessageBuilder(0x2800, 1, 0).Question("a.org", kTypeA).Build();
  const std::vector<std::uint8_t> junk = {1, 2, 3};

  EXPECT_TRUE(Dissect(UdpPacket(update, "10.0.0.5", 4000, "10.0.0.53", 53)).observations.empty());
  EXPECT_TRUE(Dissect(UdpPacket(junk, "10.0.0.5", 4000, "10.0.0.53", 53)).observations.empty());
}

TEST(DnsDissector, ProbeUsesPortsAsHintsAndStrictShapeElsewhere) {
  const auto query = MessageBuilder(0x0100, 1, 0).Question("pacs.org", kTypeA).Build();
  const auto two = MessageBuilder(0x0100, 2, 0).Question("a.org", 1).Question("b.org", 1).Build();
  const auto opcode = MessageBuilder(0x2800, 1, 0).Question("a.org", kTypeA).Build();
  auto z_bit = query;
  z_bit[3] |= 0x40;

  EXPECT_TRUE(Info().probe(query, {.client_port = 40000, .server_port = 53}));
  EXPECT_TRUE(Info().probe(two, {.client_port = 5353, .server_port = 45000}));
  EXPECT_TRUE(Info().probe(query, {.client_port = 40000, .server_port = 8600}));
  EXPECT_FALSE(Info().probe(two, {.client_port = 40000, .server_port = 8600}));
  EXPECT_FALSE(Info().probe(query, {.client_port = 137, .server_port = 137}));
  EXPECT_FALSE(Info().probe(opcode, {.client_port = 40000, .server_port = 53}));
  EXPECT_FALSE(Info().probe(z_bit, {.client_port = 40000, .server_port = 53}));
  EXPECT_FALSE(Info().probe(std::span(query).first(11), {.server_port = 53}));
}

// One line per frame of a capture, from tshark.
std::vector<std::string> Tshark(const std::filesystem::path& capture, std::string_view fields) {
  std::vector<std::string> lines;
  std::istringstream out(RunCommand("tshark -r '" + capture.string() + "' -T fields " +
                                    std::string(fields) + " 2>/dev/null"));
  for (std::string line; std::getline(out, line);) lines.push_back(line);
  return lines;
}

std::vector<std::uint8_t> FromHex(std::string_view hex) {
  const std::string bytes = Unhex(hex);
  return {bytes.begin(), bytes.end()};
}

// Every A and AAAA address tshark decodes in zeek_mdns.pcap is in a dns.answer fact of the same
// frame, and no other; the responder names itself.
TEST(DnsDissector, AgreesWithTsharkOnTheMdnsCapture) {
  VIGIL_REQUIRE_FIXTURE(capture, "pcap/zeek_mdns.pcap");
  VIGIL_REQUIRE_TOOL(tshark, "tshark");

  const auto lines = Tshark(capture,
                            "-e ip.src -e ipv6.src -e udp.payload -e dns.a -e "
                            "dns.aaaa");

  ASSERT_EQ(lines.size(), 24u);
  std::size_t hostnames = 0;
  std::size_t answers = 0;
  for (const auto& line : lines) {
    std::vector<std::string> columns;
    std::stringstream stream(line);
    for (std::string column; std::getline(stream, column, '\t');) columns.push_back(column);
    columns.resize(5);
    if (columns[2].empty()) continue;
    const auto payload = FromHex(columns[2]);
    const char* source = columns[0].empty() ? columns[1].c_str() : columns[0].c_str();
    const auto sink = Dissect(UdpPacket(payload, source, 5353, "224.0.0.251", 5353));
    std::set<std::string> expected;
    for (const auto& list : {columns[3], columns[4]}) {
      std::stringstream items(list);
      for (std::string item; std::getline(items, item, ',');) expected.insert(item);
    }
    std::set<std::string> seen;
    for (const auto& o : sink.observations) {
      for (const auto& answer : Values(o, "dns.answer"))
        seen.insert(answer.substr(answer.find(" -> ") + 4));
      hostnames += Values(o, "dns.hostname").size();
      for (const auto& name : Values(o, "dns.hostname")) {
        EXPECT_EQ(name, "johanna-QEMU-Virtual-Machine.local");
      }
    }
    EXPECT_EQ(seen, expected) << line;
    answers += seen.size();
  }
  EXPECT_GT(answers, 20u);
  EXPECT_GT(hostnames, 0u);
}

}  // namespace
}  // namespace vigil::sensor::dns
