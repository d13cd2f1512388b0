#include "sensor/dissect/snmp/dissector.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>

#include "core/hex.h"
#include "sensor/dissect/snmp/message.h"
#include "sensor/dissect/snmp/snmp_builders_test.h"
#include "sensor/dissect/testing/dissect_testing.h"
#include "testing/fixtures.h"

namespace vigil::sensor::snmp {
namespace {

constexpr std::int64_t kTime = 1'700'000'000'000'000'000;

Packet MakePacket(const ByteVector& payload, std::uint16_t src_port, std::uint16_t dst_port) {
  Packet packet = MakeUdpPacket("10.1.0.20", src_port, "10.1.0.1", dst_port, payload);
  packet.time_unix_nanos = kTime;
  packet.vlan = 30;
  packet.src_mac = MacAddress::Parse("00:11:22:33:44:55").value();
  packet.dst_mac = MacAddress::Parse("66:77:88:99:aa:bb").value();
  return packet;
}

CollectingSink Dissect(const Packet& packet) { return DissectPacket(Info(), packet); }

std::string FactOf(const model::Observation& o, std::string_view key) {
  return Value(o, key, "<absent>");
}

TEST(SnmpProbe, AcceptsEachVersionOnAnyPort) {
  const ByteVector v2c = Community(1, "public", Pdu(0xa0, {}));
  const ByteVector v3 = V3("u", 0, Scoped(Pdu(0xa0, {})));
  const ByteVector ldap{0x30, 0x0c, 0x02, 0x01, 0x01, 0x60, 0x07, 0x02, 0x01, 0x03};

  EXPECT_TRUE(Info().probe(v2c, {.server_port = 10161}));
  EXPECT_TRUE(Info().probe(v3, {}));
  EXPECT_FALSE(Info().probe(ldap, {.server_port = 161}));
  EXPECT_FALSE(Info().probe(std::span(v2c).first(6), {}));
}

TEST(SnmpDissector, ReportsTheAgentsSystemValuesFromAResponse) {
  const ByteVector bytes = Community(
      1, "public",
      Pdu(0xa2, Cat({Binding(SysDescrOid(), Str("Infusion pump\r\n7.2")),
                     Binding(SysObjectIdOid(), VendorOid()), Binding(SysNameOid(), Str("ip-7"))})));

  const CollectingSink sink = Dissect(MakePacket(bytes, 161, 40000));

  ASSERT_EQ(sink.observations.size(), 1u);
  const auto& o = sink.observations[0];
  EXPECT_EQ(o.protocol, "snmp");
  EXPECT_EQ(o.subject.ip, IpAddress::Parse("10.1.0.20").value());
  EXPECT_EQ(o.subject.port, 161);
  EXPECT_EQ(o.peer->port, 40000);
  EXPECT_EQ(o.vlan, 30);
  EXPECT_EQ(FactOf(o, "snmp.version"), "2c");
  EXPECT_EQ(FactOf(o, "snmp.pdu"), "response");
  EXPECT_EQ(FactOf(o, "snmp.sys_descr"), "Infusion pump\\x0d\\x0a7.2");
  EXPECT_EQ(FactOf(o, "snmp.sys_object_id"), "1.3.6.1.4.1.9.1.1208");
  EXPECT_EQ(FactOf(o, "snmp.sys_name"), "ip-7");
}

TEST(SnmpDissector, ReportsTheDefaultCommunity) {
  const ByteVector request = Community(1, "private", Pdu(0xa0, Binding(SysNameOid(), Null())));

  const CollectingSink sink = Dissect(MakePacket(request, 40000, 161));

  ASSERT_EQ(sink.findings.size(), 1u);
  const auto& finding = sink.findings[0];
  EXPECT_EQ(finding.kind, "snmp_default_community");
  EXPECT_EQ(finding.severity, model::FindingSeverity::kHigh);
  EXPECT_EQ(finding.subject.port, 161);  // The agent is the request's receiver.
  EXPECT_EQ(finding.detail, "snmp v2c with the default community \"private\"");
  EXPECT_EQ(FactOf(sink.observations[0], "snmp.community"), "private");
  EXPECT_EQ(FactOf(sink.observations[0], "snmp.sys_name"), "<absent>");  // Only responses.
}

TEST(SnmpDissector, NeverRecordsAnotherCommunity) {
  const ByteVector request = Community(0, "s3cr3t-ward4", Pdu(0xa3, Binding(SysNameOid(), Null())));

  const CollectingSink sink = Dissect(MakePacket(request, 40000, 161));

  ASSERT_EQ(sink.observations.size(), 1u);
  EXPECT_TRUE(sink.findings.empty());
  EXPECT_EQ(FactOf(sink.observations[0], "snmp.community"), "other");
  EXPECT_EQ(FactOf(sink.observations[0], "snmp.pdu"), "set_request");
  for (const auto& fact : sink.observations[0].facts) {
    EXPECT_EQ(fact.value.find("s3cr3t"), std::string::npos) << fact.key;
  }
}

TEST(SnmpDissector, ReportsV3UserAndFlags) {
  const ByteVector encrypted = V3("biomed", 0x03, Str("ciphertext"));

  const CollectingSink sink = Dissect(MakePacket(encrypted, 40000, 161));

  ASSERT_EQ(sink.observations.size(), 1u);
  const auto& o = sink.observations[0];
  EXPECT_EQ(FactOf(o, "snmp.version"), "3");
  EXPECT_EQ(FactOf(o, "snmp.pdu"), "unknown");
  EXPECT_EQ(FactOf(o, "snmp.user"), "biomed");
  EXPECT_EQ(FactOf(o, "snmp.auth"), "true");
  EXPECT_EQ(FactOf(o, "snmp.priv"), "true");
  EXPECT_EQ(FactOf(o, "snmp.community"), "<absent>");
  EXPECT_EQ(o.subject.port, 161);
  EXPECT_TRUE(sink.findings.empty());
}

TEST(SnmpDissector, IgnoresMalformedPayloads) {
  const ByteVector bytes{0x30, 0x05, 0x02, 0x01, 0x01, 0x04, 0x09};

  const CollectingSink sink = Dissect(MakePacket(bytes, 40000, 161));

  EXPECT_TRUE(sink.observations.empty());
}

// Every SNMP payload of the shared capture parses, with the version, community and PDU type
// tshark reads (its snmp.data is the PDU's index in RFC 3416's CHOICE).
TEST(SnmpDissector, AgreesWithTsharkOnTheSharedCapture) {
  VIGIL_REQUIRE_FIXTURE(pcap, "pcap/ndpi_snmp.pcap");
  VIGIL_REQUIRE_TOOL(tshark, "tshark");
  std::istringstream lines(RunCommand(tshark.string() + " -r " + pcap.string() +
                                      " -T fields -e udp.payload -e snmp.version -e snmp.community"
                                      " -e snmp.data -e snmp.msgUserName 2>/dev/null"));
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    std::istringstream columns(line);
    std::string hex, version, community, data, user;
    std::getline(columns, hex, '\t');
    std::getline(columns, version, '\t');
    std::getline(columns, community, '\t');
    std::getline(columns, data, '\t');
    std::getline(columns, user, '\t');
    const auto payload = HexDecode(hex);
    ASSERT_TRUE(payload) << line;

    const auto message = ParseSnmp(*payload);

    ASSERT_TRUE(message) << line;
    EXPECT_TRUE(Info().probe(*payload, {}));
    if (!version.empty()) {
      EXPECT_EQ(static_cast<int>(message->version), std::stoi(version));
    }
    EXPECT_EQ(message->community, community);
    if (data.empty()) {
      EXPECT_EQ(message->pdu, PduType::kUnknown) << line;  // Encrypted (privFlag).
    } else {
      EXPECT_EQ(static_cast<int>(message->pdu) - 0xa0, std::stoi(data)) << line;
    }
    EXPECT_EQ(message->user_name, user);
    ++count;
  }
  EXPECT_EQ(count, 72);
}

}  // namespace
}  // namespace vigil::sensor::snmp
