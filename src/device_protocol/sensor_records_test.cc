#include "device_protocol/sensor_records.h"

#include <gtest/gtest.h>

namespace vigil::device_protocol {
namespace {

constexpr std::int64_t kTime = 1'700'000'000'123'456'789;

TEST(SensorRecords, ObservationWithFactsInOrderAndNoEmptyParts) {
  model::Observation o{.time_unix_nanos = kTime,
                       .protocol = "dhcp",
                       .subject = {.mac = *MacAddress::Parse("00:1b:2c:3d:4e:5f")},
                       .vlan = 12,
                       .facts = {{"dhcp.hostname", "pump-12"}, {"dhcp.hostname", "a\"b"}}};

  EXPECT_EQ(WriteObservationJson(o),
            R"({"type":"observation","time":"2023-11-14T22:13:20.123456789Z","protocol":"dhcp",)"
            R"("subject":{"mac":"00:1b:2c:3d:4e:5f"},"vlan":12,)"
            R"("facts":[["dhcp.hostname","pump-12"],["dhcp.hostname","a\"b"]]})");
}

TEST(SensorRecords, FindingWithPeer) {
  model::Finding f{.time_unix_nanos = kTime,
                   .kind = "cleartext_patient_data",
                   .protocol = "hl7",
                   .severity = model::FindingSeverity::kHigh,
                   .subject = {.ip = *IpAddress::Parse("10.0.0.1"), .port = 40000},
                   .peer = model::Endpoint{.ip = *IpAddress::Parse("10.0.0.2"), .port = 6661},
                   .detail = "PID crossed in clear"};

  EXPECT_EQ(WriteFindingJson(f),
            R"({"type":"finding","time":"2023-11-14T22:13:20.123456789Z",)"
            R"("kind":"cleartext_patient_data","protocol":"hl7","severity":"high",)"
            R"("subject":{"ip":"10.0.0.1","port":40000},"peer":{"ip":"10.0.0.2","port":6661},)"
            R"("detail":"PID crossed in clear"})");
}

TEST(SensorRecords, FlowRecord) {
  model::FlowRecord r{.start_unix_nanos = kTime,
                      .end_unix_nanos = kTime + 1'000'000'000,
                      .ip_protocol = 6,
                      .client = {.ip = *IpAddress::Parse("fd00::1"), .port = 40000},
                      .server = {.ip = *IpAddress::Parse("fd00::2"), .port = 104},
                      .client_packets = 3,
                      .client_bytes = 300,
                      .server_packets = 2,
                      .server_bytes = 120,
                      .application = "dicom",
                      .tcp_state = "closed",
                      .end = model::FlowEnd::kClosed};

  EXPECT_EQ(WriteFlowRecordJson(r),
            R"({"type":"flow","start":"2023-11-14T22:13:20.123456789Z",)"
            R"("end":"2023-11-14T22:13:21.123456789Z","proto":"tcp",)"
            R"("client":{"ip":"fd00::1","port":40000},"server":{"ip":"fd00::2","port":104},)"
            R"("client_packets":3,"client_bytes":300,"server_packets":2,"server_bytes":120,)"
            R"("application":"dicom","tcp_state":"closed","end_reason":"closed"})");
}

TEST(SensorRecords, Stats) {
  SensorStats s{.counters = {{"packets", 10}, {"flows", 2}}, .weird = {{"truncated_ipv4", 1}}};

  EXPECT_EQ(WriteSensorStatsJson(s),
            R"({"type":"stats","packets":10,"flows":2,"weird":{"truncated_ipv4":1}})");
}

}  // namespace
}  // namespace vigil::device_protocol
