#include "sensor/dissect/hl7/message.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <span>
#include <string>
#include <string_view>

namespace vigil::sensor::hl7 {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::span<const std::uint8_t> Bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

constexpr std::string_view kAdt =
    "MSH|^~\\&|MONITOR_GW^1.2^ISO|WARD_7|LAB_ENGINE|GENERAL_HOSP|20260101115959||"
    "ADT^A01^ADT_A01|CTL12345|P|2.5.1\r"
    "EVN|A01|20260101115959\r"
    "PID|1||MRN000111^^^GH^MR||FAKEPERSON^TESTY^Q||19700101|F\r"
    "PV1|1|I|WARD7^701^1\r";

TEST(ParseMessage, ReadsHeaderFieldsFirstComponents) {
  const auto message = ParseMessage(Bytes(kAdt));

  ASSERT_TRUE(message) << message.error().message;
  EXPECT_EQ(message->sending_application, "MONITOR_GW");
  EXPECT_EQ(message->sending_facility, "WARD_7");
  EXPECT_EQ(message->receiving_application, "LAB_ENGINE");
  EXPECT_EQ(message->receiving_facility, "GENERAL_HOSP");
  EXPECT_EQ(message->message_type, "ADT^A01");
  EXPECT_EQ(message->version, "2.5.1");
  EXPECT_TRUE(message->ack_code.empty());
  EXPECT_FALSE(message->truncated);
}

TEST(ParseMessage, ListsSegmentIdsAndPatientSegments) {
  const auto message = ParseMessage(Bytes(kAdt));

  ASSERT_TRUE(message);
  EXPECT_THAT(message->segment_ids, ElementsAre("MSH", "EVN", "PID", "PV1"));
  EXPECT_THAT(message->phi_segment_ids, ElementsAre("PID", "PV1"));
}

TEST(ParseMessage, NeverKeepsControlIdOrPatientFields) {
  const auto message = ParseMessage(Bytes(kAdt));

  ASSERT_TRUE(message);
  for (const std::string* field : {&message->sending_application, &message->sending_facility,
                                   &message->receiving_application, &message->receiving_facility,
                                   &message->message_type, &message->version, &message->ack_code}) {
    EXPECT_EQ(field->find("CTL12345"), std::string::npos);
    EXPECT_EQ(field->find("FAKEPERSON"), std::string::npos);
    EXPECT_EQ(field->find("MRN000111"), std::string::npos);
  }
}

TEST(ParseMessage, UsesSeparatorsDeclaredInMsh) {
  const auto message =
      ParseMessage(Bytes("MSH#*~\\&#APP*X#FAC#RCV#RFAC#2026##ORU*R01#1#P#2.4\nOBX#1#NM#x##98\n"));

  ASSERT_TRUE(message) << message.error().message;
  EXPECT_EQ(message->sending_application, "APP");
  EXPECT_EQ(message->message_type, "ORU^R01");
  EXPECT_EQ(message->version, "2.4");
  EXPECT_THAT(message->phi_segment_ids, ElementsAre("OBX"));
}

TEST(ParseMessage, ObxWithoutValueIsNotPatientData) {
  const auto message =
      ParseMessage(Bytes("MSH|^~\\&|A|B|C|D|1||ORU^R01|1|P|2.3\rOBR|1\rOBX|1|NM|8867-4||\r"));

  ASSERT_TRUE(message);
  EXPECT_THAT(message->segment_ids, ElementsAre("MSH", "OBR", "OBX"));
  EXPECT_THAT(message->phi_segment_ids, IsEmpty());
}

TEST(ParseMessage, ReadsAcknowledgementCode) {
  const auto message = ParseMessage(Bytes("MSH|^~\\&|A|B|C|D|1||ACK|99|P|2.3\rMSA|AE|CTL1\r"));

  ASSERT_TRUE(message);
  EXPECT_EQ(message->message_type, "ACK");
  EXPECT_EQ(message->ack_code, "AE");
  EXPECT_THAT(message->segment_ids, ElementsAre("MSH", "MSA"));
}

TEST(ParseMessage, TruncatedMessageDropsItsCutSegment) {
  const auto message =
      ParseMessage(Bytes("MSH|^~\\&|A|B|C|D|1||ADT^A08|1|P|2.3\rEVN|A08\rPI"), true);

  ASSERT_TRUE(message);
  EXPECT_TRUE(message->truncated);
  EXPECT_THAT(message->segment_ids, ElementsAre("MSH", "EVN"));
}

TEST(ParseMessage, ShortHeaderKeepsWhatIsThere) {
  const auto message = ParseMessage(Bytes("MSH|^~\\&|ONLY_APP"));

  ASSERT_TRUE(message);
  EXPECT_EQ(message->sending_application, "ONLY_APP");
  EXPECT_TRUE(message->message_type.empty());
  EXPECT_TRUE(message->version.empty());
}

TEST(ParseMessage, RejectsWhatIsNotMsh) {
  EXPECT_FALSE(ParseMessage(Bytes("")));
  EXPECT_FALSE(ParseMessage(Bytes("MSH")));
  EXPECT_FALSE(ParseMessage(Bytes("PID|1|x")));
  EXPECT_FALSE(ParseMessage(Bytes("MSH\r|^~")));
}

TEST(ParseMessage, BoundsSegmentIdsAndFieldSizes) {
  std::string text = "MSH|^~\\&|" + std::string(1000, 'A') + "|F|R|RF|1||ADT^A01|1|P|2.3\r";
  for (int i = 0; i < 100; ++i) text += "Z" + std::to_string(10 + i % 90) + "|x\r";

  const auto message = ParseMessage(Bytes(text));

  ASSERT_TRUE(message);
  EXPECT_EQ(message->sending_application.size(), kMaxFieldBytes);
  EXPECT_EQ(message->segment_ids.size(), kMaxSegmentIds);
}

TEST(ParseMessage, IgnoresLinesThatAreNotSegments) {
  const auto message =
      ParseMessage(Bytes("MSH|^~\\&|A|B|C|D|1||ADT^A01|1|P|2.3\r\n\r\nlower|x\rPIDX|1\rPID\r"));

  ASSERT_TRUE(message);
  EXPECT_THAT(message->segment_ids, ElementsAre("MSH", "PID"));
}

}  // namespace
}  // namespace vigil::sensor::hl7
