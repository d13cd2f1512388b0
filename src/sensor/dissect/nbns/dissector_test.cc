#include "sensor/dissect/nbns/dissector.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sensor/dissect/nbns/message.h"
#include "sensor/dissect/nbns/nbns_builders_test.h"
#include "sensor/dissect/testing/dissect_testing.h"

namespace vigil::sensor::nbns {
namespace {

using testing::MessageBuilder;

Packet UdpPacket(const std::vector<std::uint8_t>& payload, const char* src, const char* dst) {
  Packet packet = MakeUdpPacket(src, 137, dst, 137, payload);
  packet.time_unix_nanos = 9;
  packet.src_mac = MacAddress({0x02, 0, 0, 0, 0, 0x01});
  return packet;
}

CollectingSink Dissect(const Packet& packet) { return DissectPacket(Info(), packet); }

TEST(NbnsDissector, ABroadcastQueryNamesWhatTheQuerierLooksFor) {
  const auto bytes = MessageBuilder(0x0110, 1, 0).Question("PACS01", 0x20, kTypeNb).Build();

  const auto sink = Dissect(UdpPacket(bytes, "10.0.0.5", "10.0.0.255"));

  ASSERT_EQ(sink.observations.size(), 1u);
  const auto& o = sink.observations[0];
  EXPECT_EQ(o.protocol, "nbns");
  EXPECT_EQ(o.subject.ip->ToString(), "10.0.0.5");
  EXPECT_FALSE(o.peer);
  EXPECT_EQ(Values(o, "nbns.query"), std::vector<std::string>{"PACS01<20>"});
}

TEST(NbnsDissector, ARegistrationNamesTheRegisteringHost) {
  const auto unique = MessageBuilder(0x2910, 1, 0, 1)
                          .Question("PUMP12", 0x00, kTypeNb)
                          .RecordAtQuestion(kTypeNb, 6)
                          .Raw({0x00, 0, 10, 0, 0, 5})
                          .Build();
  const auto group = MessageBuilder(0x2910, 1, 0, 1)
                         .Question("WORKGROUP", 0x00, kTypeNb)
                         .RecordAtQuestion(kTypeNb, 6)
                         .Raw({0x80, 0, 10, 0, 0, 5})
                         .Build();

  const auto u = Dissect(UdpPacket(unique, "10.0.0.5", "10.0.0.255"));
  const auto g = Dissect(UdpPacket(group, "10.0.0.5", "10.0.0.255"));

  ASSERT_EQ(u.observations.size(), 1u);
  EXPECT_EQ(Values(u.observations[0], "nbns.name"), std::vector<std::string>{"PUMP12<00>"});
  ASSERT_EQ(g.observations.size(), 1u);
  EXPECT_EQ(Values(g.observations[0], "nbns.group"), std::vector<std::string>{"WORKGROUP<00>"});
}

TEST(NbnsDissector, APositiveResponseDescribesTheNamedAddress) {
  const auto bytes = MessageBuilder(0x8500, 0, 1)
                         .Name("PACS01", 0x20)
                         .U16(kTypeNb)
                         .U16(1)
                         .U16(0)
                         .U16(300)
                         .U16(6)
                         .Raw({0x00, 0, 10, 0, 0, 9})
                         .Build();

  const auto from_wins = Dissect(UdpPacket(bytes, "10.0.0.2", "10.0.0.5"));
  const auto from_self = Dissect(UdpPacket(bytes, "10.0.0.9", "10.0.0.5"));

  ASSERT_EQ(from_wins.observations.size(), 1u);
  EXPECT_EQ(from_wins.observations[0].subject.ip->ToString(), "10.0.0.9");
  EXPECT_FALSE(from_wins.observations[0].subject.mac);
  EXPECT_EQ(Values(from_wins.observations[0], "nbns.name"), std::vector<std::string>{"PACS01<20>"});
  ASSERT_EQ(from_self.observations.size(), 1u);
  EXPECT_TRUE(from_self.observations[0].subject.mac);
}

TEST(NbnsDissector, ANodeStatusResponseListsTheRespondersNames) {
  const std::string data = std::string("\x02", 1) + "PUMP12         " +
                           std::string("\x00\x04\x00", 3) + "WORKGROUP      " +
                           std::string("\x00\x84\x00", 3) +
                           std::string("\x00\x1b\x21\x3a\x4b\x5c", 6);
  const auto bytes = MessageBuilder(0x8400, 0, 1)
                         .Raw({32, 'C', 'K'})
                         .Bytes(std::string(30, 'A'))
                         .Raw({0})
                         .U16(kTypeNbstat)
                         .U16(1)
                         .U16(0)
                         .U16(0)
                         .U16(static_cast<std::uint16_t>(data.size()))
                         .Bytes(data)
                         .Build();

  const auto sink = Dissect(UdpPacket(bytes, "10.0.0.5", "10.0.0.7"));

  ASSERT_EQ(sink.observations.size(), 1u);
  const auto& o = sink.observations[0];
  EXPECT_EQ(o.subject.ip->ToString(), "10.0.0.5");
  EXPECT_EQ(Values(o, "nbns.name"), std::vector<std::string>{"PUMP12<00>"});
  EXPECT_EQ(Values(o, "nbns.group"), std::vector<std::string>{"WORKGROUP<00>"});
  EXPECT_EQ(Values(o, "nbns.unit_id"), std::vector<std::string>{"00:1b:21:3a:4b:5c"});
}

TEST(NbnsDissector, EscapesControlCharactersInNames) {
  const auto bytes =
      MessageBuilder(0x0110, 1, 0).Question(std::string_view("A\x01", 2), 0, kTypeNb).Build();

  const auto sink = Dissect(UdpPacket(bytes, "10.0.0.5", "10.0.0.255"));

  ASSERT_EQ(sink.observations.size(), 1u);
  EXPECT_EQ(Values(sink.observations[0], "nbns.query"), std::vector<std::string>{"A\\x01<00>"});
}

TEST(NbnsDissector, ProbeWantsAnEncodedNameWhateverThePorts) {
  const auto query = MessageBuilder(0x0110, 1, 0).Question("PACS01", 0x20, kTypeNb).Build();
  auto not_encoded = query;
  not_encoded[20] = 'z';
  auto opcode = query;
  opcode[2] = 0x10;  // Opcode 2 is not used by NBNS.

  EXPECT_TRUE(Info().probe(query, {.client_port = 50000, .server_port = 137}));
  EXPECT_TRUE(Info().probe(query, {.client_port = 50000, .server_port = 50001}));
  EXPECT_FALSE(Info().probe(not_encoded, {}));
  EXPECT_FALSE(Info().probe(opcode, {}));
  EXPECT_FALSE(Info().probe(std::span(query).first(40), {}));
}

TEST(NbnsDissector, IgnoresMalformedMessages) {
  auto bytes = MessageBuilder(0x0110, 1, 0).Question("PACS01", 0x20, kTypeNb).Build();
  bytes.resize(30);

  EXPECT_TRUE(Dissect(UdpPacket(bytes, "10.0.0.5", "10.0.0.255")).observations.empty());
}

}  // namespace
}  // namespace vigil::sensor::nbns
