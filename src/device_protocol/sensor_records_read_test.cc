#include <gtest/gtest.h>

#include "device_protocol/sensor_records.h"

namespace vigil::device_protocol {
namespace {

constexpr std::int64_t kTime = 1'700'000'000'123'456'789;

model::Observation SampleObservation() {
  return {.time_unix_nanos = kTime,
          .protocol = "dhcp",
          .subject = {.mac = *MacAddress::Parse("00:1b:2c:3d:4e:5f"),
                      .ip = *IpAddress::Parse("10.0.0.7")},
          .peer = model::Endpoint{.ip = *IpAddress::Parse("fd00::1"), .port = 67},
          .vlan = 12,
          .facts = {{"dhcp.hostname", "pump-12"}, {"dhcp.vendor_class", "a\"b\\c\x01"}}};
}

model::Finding SampleFinding() {
  return {.time_unix_nanos = kTime,
          .kind = "cleartext_patient_data",
          .protocol = "hl7",
          .severity = model::FindingSeverity::kHigh,
          .subject = {.ip = *IpAddress::Parse("10.0.0.1"), .port = 40000},
          .peer = model::Endpoint{.ip = *IpAddress::Parse("10.0.0.2"), .port = 6661},
          .detail = "PID crossed in clear"};
}

model::FlowRecord SampleFlow(std::uint8_t protocol = 6) {
  return {.start_unix_nanos = kTime,
          .end_unix_nanos = kTime + 1'000'000'000,
          .vlan = 3,
          .ip_protocol = protocol,
          .client = {.ip = *IpAddress::Parse("10.0.0.1"), .port = 40000},
          .server = {.mac = *MacAddress::Parse("00:00:5e:00:53:01"),
                     .ip = *IpAddress::Parse("10.0.0.2"),
                     .port = 104},
          .client_packets = 3,
          .client_bytes = 300,
          .server_packets = 2,
          .server_bytes = 120,
          .application = "dicom",
          .tcp_state = "closed",
          .end = model::FlowEnd::kEndOfCapture};
}

TEST(ParseSensorRecord, ReadsBackEachWrittenLine) {
  const SensorStats stats{.counters = {{"packets", 10}, {"flows", 2}},
                          .weird = {{"truncated_ipv4", 1}}};

  const auto observation = ParseSensorRecord(WriteObservationJson(SampleObservation()));
  const auto finding = ParseSensorRecord(WriteFindingJson(SampleFinding()));
  const auto flow = ParseSensorRecord(WriteFlowRecordJson(SampleFlow()));
  const auto other = ParseSensorRecord(WriteFlowRecordJson(SampleFlow(132)));
  const auto summary = ParseSensorRecord(WriteSensorStatsJson(stats));

  ASSERT_TRUE(observation) << observation.error().message;
  EXPECT_EQ(std::get<model::Observation>(*observation), SampleObservation());
  ASSERT_TRUE(finding) << finding.error().message;
  EXPECT_EQ(std::get<model::Finding>(*finding), SampleFinding());
  ASSERT_TRUE(flow) << flow.error().message;
  EXPECT_EQ(std::get<model::FlowRecord>(*flow), SampleFlow());
  ASSERT_TRUE(other) << other.error().message;
  EXPECT_EQ(std::get<model::FlowRecord>(*other), SampleFlow(132));
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(std::get<SensorStats>(*summary), stats);
}

TEST(ParseSensorRecord, NeedsAKnownType) {
  const auto missing = ParseSensorRecord(R"({"time":"2024-01-01T00:00:00Z"})");
  const auto unknown = ParseSensorRecord(R"({"type":"packet"})");

  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "sensor record: type: missing");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message,
            "sensor record: type: expected one of observation, finding, flow, stats");
}

TEST(ParseObservationsBody, RoundTripsWithTheWriter) {
  const std::vector<model::Observation> observations = {SampleObservation(), SampleObservation()};
  const std::vector<model::Finding> findings = {SampleFinding()};

  const auto body = ParseObservationsBody(WriteObservationsBody(observations, findings));

  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ(body->observations, observations);
  EXPECT_EQ(body->findings, findings);
}

TEST(ParseObservationsBody, AcceptsRecordsWithoutType) {
  const auto body =
      ParseObservationsBody(R"({"observations":[{"time":"2024-01-01T00:00:00Z","protocol":"arp",)"
                            R"("subject":{"mac":"00:1b:2c:3d:4e:5f"},"facts":[]}],"findings":[]})");

  ASSERT_TRUE(body) << body.error().message;
  ASSERT_EQ(body->observations.size(), 1u);
  EXPECT_EQ(body->observations[0].protocol, "arp");
}

TEST(ParseObservationsBody, ErrorsNameThePath) {
  const auto bad_mac =
      ParseObservationsBody(R"({"observations":[{"time":"2024-01-01T00:00:00Z","protocol":"arp",)"
                            R"("subject":{"mac":"zz"},"facts":[]}],"findings":[]})");
  const auto bad_fact =
      ParseObservationsBody(R"({"observations":[{"time":"2024-01-01T00:00:00Z","protocol":"arp",)"
                            R"("subject":{},"facts":[["a"]]}],"findings":[]})");
  const auto wrong_type =
      ParseObservationsBody(R"({"observations":[],"findings":[{"type":"flow"}]})");

  ASSERT_FALSE(bad_mac);
  EXPECT_EQ(bad_mac.error().message,
            "observations: observations[0].subject.mac: expected a mac address");
  ASSERT_FALSE(bad_fact);
  EXPECT_EQ(bad_fact.error().message,
            "observations: observations[0].facts[0]: expected [key, value]");
  ASSERT_FALSE(wrong_type);
  EXPECT_EQ(wrong_type.error().message, "observations: findings[0].type: expected \"finding\"");
}

TEST(ParseObservationsBody, LimitsRecordsAcrossBothArrays) {
  const std::vector<model::Observation> observations = {SampleObservation(), SampleObservation()};
  const std::vector<model::Finding> findings = {SampleFinding()};

  const auto body =
      ParseObservationsBody(WriteObservationsBody(observations, findings), {.max_records = 2});

  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(body.error().message, "observations: findings: more than 0 records");
}

TEST(ParseObservationsBody, LimitsFactsAndTheirSize) {
  model::Observation many = SampleObservation();
  many.facts.assign(5, {"k", "v"});
  model::Observation long_value = SampleObservation();
  long_value.facts = {{"k", std::string(33, 'x')}};

  const auto too_many =
      ParseObservationsBody(WriteObservationsBody({&many, 1}, {}), {.max_facts = 4});
  const auto too_long =
      ParseObservationsBody(WriteObservationsBody({&long_value, 1}, {}), {.max_text = 32});

  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().message, "observations: observations[0].facts: more than 4 facts");
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().message,
            "observations: observations[0].facts[0][1]: longer than 32 bytes");
}

TEST(ParseFlowsBody, RoundTripsWithTheWriter) {
  const std::vector<model::FlowRecord> flows = {SampleFlow(), SampleFlow(17), SampleFlow(0)};

  const auto body = ParseFlowsBody(WriteFlowsBody(flows));

  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ(*body, flows);
}

TEST(ParseFlowsBody, RefusesBadProtocolsAndCounts) {
  const std::string head =
      R"({"flows":[{"start":"2024-01-01T00:00:00Z","end":"2024-01-01T00:00:00Z",)";
  const std::string tail =
      R"("client":{},"server":{},"client_bytes":0,"server_packets":0,"server_bytes":0,)"
      R"("end_reason":"idle"}]})";

  const auto proto = ParseFlowsBody(head + R"("proto":"017","client_packets":0,)" + tail);
  const auto negative = ParseFlowsBody(head + R"("proto":"tcp","client_packets":-1,)" + tail);

  ASSERT_FALSE(proto);
  EXPECT_EQ(proto.error().message,
            "flows: flows[0].proto: expected tcp, udp, icmp, icmpv6 or a number 0 to 255");
  ASSERT_FALSE(negative);
  EXPECT_EQ(negative.error().message, "flows: flows[0].client_packets: must be at least 0");
}

TEST(ParseFlowsBody, NeedsTheArray) {
  const auto body = ParseFlowsBody(R"({"observations":[]})");

  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().message, "flows: flows: missing");
}

}  // namespace
}  // namespace vigil::device_protocol
