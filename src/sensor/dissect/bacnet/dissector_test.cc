#include "sensor/dissect/bacnet/dissector.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>

#include "core/hex.h"
#include "sensor/dissect/bacnet/bacnet_builders_test.h"
#include "sensor/dissect/bacnet/message.h"
#include "sensor/dissect/testing/dissect_testing.h"
#include "testing/fixtures.h"

namespace vigil::sensor::bacnet {
namespace {

Packet MakePacket(const ByteVector& payload) {
  Packet packet = MakeUdpPacket("10.5.0.21", 47808, "10.5.0.255", 47808, payload);
  packet.time_unix_nanos = 7;
  packet.vlan = 50;
  packet.src_mac = MacAddress::Parse("00:a0:45:00:00:01").value();
  packet.dst_mac = MacAddress::Parse("ff:ff:ff:ff:ff:ff").value();
  return packet;
}

std::vector<model::Fact> Facts(const ByteVector& payload) {
  const CollectingSink sink = DissectPacket(Info(), MakePacket(payload));
  return sink.observations.empty() ? std::vector<model::Fact>{} : sink.observations[0].facts;
}

TEST(BacnetProbe, AcceptsBvlcWithAMatchingLength) {
  ByteVector short_length = WhoIs();
  short_length[3] = 4;
  const ByteVector register_fd = Bvlc(0x05, {0x00, 0x3c}, false);

  EXPECT_TRUE(Info().probe(WhoIs(), {.server_port = 47809}));
  EXPECT_TRUE(Info().probe(register_fd, {}));
  EXPECT_FALSE(Info().probe(short_length, {}));
  EXPECT_FALSE(Info().probe(ByteVector{0x81, 0x0b, 0x00}, {}));
  EXPECT_FALSE(Info().probe(ByteVector{0x81, 0x20, 0x00, 0x04}, {}));
}

TEST(BacnetDissector, ReportsIAm) {
  CollectingSink sink;

  Info().dissect_packet(MakePacket(IAmOf(1234)), sink);

  ASSERT_EQ(sink.observations.size(), 1u);
  const auto& o = sink.observations[0];
  EXPECT_EQ(o.protocol, "bacnet");
  EXPECT_EQ(o.subject.ip, IpAddress::Parse("10.5.0.21").value());
  EXPECT_EQ(o.subject.port, 47808);
  EXPECT_EQ(o.vlan, 50);
  const std::vector<model::Fact> expected = {{"bacnet.bvlc_function", "original_broadcast_npdu"},
                                             {"bacnet.apdu_type", "unconfirmed_request"},
                                             {"bacnet.service", "i_am"},
                                             {"bacnet.device_instance", "1234"},
                                             {"bacnet.vendor_id", "260"}};
  EXPECT_EQ(o.facts, expected);
}

TEST(BacnetDissector, ReportsIdentifyingProperties) {
  const ByteVector name = ReadPropertyAck(77, "AHU-2\n");
  const ByteVector vendor = ReadPropertyAck(121, "Acme Controls");
  const ByteVector model = ReadPropertyAck(70, "AC-500");
  const ByteVector firmware = ReadPropertyAck(44, "4.1.7");
  const ByteVector description = ReadPropertyAck(28, "not an identifying property");

  EXPECT_EQ(Facts(name).back(), (model::Fact{"bacnet.object_name", "AHU-2\\x0a"}));
  EXPECT_EQ(Facts(vendor).back(), (model::Fact{"bacnet.vendor_name", "Acme Controls"}));
  EXPECT_EQ(Facts(model).back(), (model::Fact{"bacnet.model_name", "AC-500"}));
  EXPECT_EQ(Facts(firmware).back(), (model::Fact{"bacnet.firmware_revision", "4.1.7"}));
  EXPECT_EQ(Facts(description).back(), (model::Fact{"bacnet.service", "read_property"}));
}

TEST(BacnetDissector, ForwardedNpduDescribesTheOriginalSender) {
  ByteVector forwarded = IAmOf(7);
  forwarded[1] = kForwardedNpdu;
  forwarded.insert(forwarded.begin() + 4, {192, 168, 5, 9, 0xba, 0xc0});
  forwarded[3] = static_cast<std::uint8_t>(forwarded.size());
  CollectingSink sink;

  Info().dissect_packet(MakePacket(forwarded), sink);

  ASSERT_EQ(sink.observations.size(), 1u);
  EXPECT_EQ(sink.observations[0].subject.ip, IpAddress::Parse("192.168.5.9").value());
  EXPECT_FALSE(sink.observations[0].subject.mac);
}

TEST(BacnetDissector, IgnoresMalformedPayloads) {
  EXPECT_TRUE(Facts(ByteVector{0x81, 0x0a, 0x00, 0x08, 0x02, 0x00, 0x10, 0x08}).empty());
}

// Every BACnet payload of the shared capture is recognised and parsed, with the BVLC function,
// APDU type, services, device instances and vendor ids that tshark reads.
TEST(BacnetDissector, AgreesWithTsharkOnTheSharedCapture) {
  VIGIL_REQUIRE_FIXTURE(pcap, "pcap/ndpi_bacnet.pcap");
  VIGIL_REQUIRE_TOOL(tshark, "tshark");
  std::istringstream lines(RunCommand(
      tshark.string() + " -r " + pcap.string() +
      " -T fields -e udp.payload -e bvlc.function -e bacapp.type -e bacapp.unconfirmed_service"
      " -e bacapp.confirmed_service -e bacapp.vendor_identifier 2>/dev/null"));
  std::string line;
  int count = 0;
  int i_ams = 0;
  while (std::getline(lines, line)) {
    std::istringstream columns(line);
    std::string hex, function, type, unconfirmed, confirmed, vendor;
    for (auto* field : {&hex, &function, &type, &unconfirmed, &confirmed, &vendor}) {
      std::getline(columns, *field, '\t');
    }
    const auto payload = HexDecode(hex);
    ASSERT_TRUE(payload) << line;

    const auto message = ParseBacnet(*payload);

    ASSERT_TRUE(message) << line;
    EXPECT_TRUE(Info().probe(*payload, {})) << line;
    EXPECT_EQ(message->bvlc_function, std::stoi(function, nullptr, 16)) << line;
    if (type.empty()) continue;
    EXPECT_EQ(static_cast<int>(message->apdu_type), std::stoi(type)) << line;
    const std::string& service = unconfirmed.empty() ? confirmed : unconfirmed;
    if (!service.empty()) {
      EXPECT_EQ(message->service, std::stoi(service)) << line;
    }
    if (!vendor.empty()) {
      ASSERT_TRUE(message->i_am) << line;
      EXPECT_EQ(message->i_am->vendor_id, static_cast<std::uint32_t>(std::stoi(vendor)));
      ++i_ams;
    }
    ++count;
  }
  EXPECT_EQ(count, 21);
  EXPECT_EQ(i_ams, 5);
}

}  // namespace
}  // namespace vigil::sensor::bacnet
