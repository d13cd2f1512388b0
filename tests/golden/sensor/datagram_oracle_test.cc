// MQTT against Zeek's mqtt_connect.log, mDNS and SNMP against tshark run on the same capture.

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "golden/sensor/sensor_run.h"
#include "testing/fixtures.h"

namespace vigil::golden {
namespace {

std::string End(const Json& endpoint) {
  return endpoint.value("ip", "") + ":" + std::to_string(endpoint.value("port", 0));
}

TEST(MqttOracle, ConnectsAgreeWithZeek) {
  VIGIL_REQUIRE_FIXTURE(pcap, "pcap/zeek_mqtt.pcap");
  VIGIL_REQUIRE_FIXTURE(log, "pcap/zeek_mqtt.pcap.mqtt_connect.log");
  const std::map<std::string, std::string> kStatus = {{"Connection Accepted", "accepted"}};
  std::set<std::string> expected;
  std::vector<std::string> columns;
  std::istringstream lines(testing::ReadFileOrEmpty(log));
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("#fields\t", 0) == 0) columns = Split(line.substr(8), '\t');
    if (line.empty() || line[0] == '#' || columns.empty()) continue;
    std::map<std::string, std::string> row;
    const auto values = Split(line, '\t');
    for (std::size_t i = 0; i < columns.size() && i < values.size(); ++i)
      row[columns[i]] = values[i];
    ASSERT_EQ(kStatus.count(row["connect_status"]), 1u) << row["connect_status"];
    expected.insert(row["id.orig_h"] + ":" + row["id.orig_p"] + " -> " + row["id.resp_h"] + ":" +
                    row["id.resp_p"] + " " + row["proto_name"] + " " + row["proto_version"] + " " +
                    row["client_id"] + " " + kStatus.at(row["connect_status"]));
  }
  ASSERT_EQ(expected.size(), 2u);

  const SensorRun sensor = RunSensor({pcap});

  ASSERT_EQ(sensor.run.exit_code, 0) << sensor.run.err;
  const auto observations = Select(sensor.records, "observation", "mqtt");
  std::map<std::string, std::string> connack;  // By the client's end.
  for (const auto& o : observations) {
    for (const auto& code : FactValues(o, "mqtt.connack")) connack[End(o["peer"])] = code;
  }
  std::set<std::string> ours;
  for (const auto& o : observations) {
    const auto id = FactValues(o, "mqtt.client_id");
    if (id.empty()) continue;
    ours.insert(End(o["subject"]) + " -> " + End(o["peer"]) + " " +
                FactValues(o, "mqtt.protocol_name").at(0) + " " +
                FactValues(o, "mqtt.protocol_version").at(0) + " " + id[0] + " " +
                connack[End(o["subject"])]);
  }
  EXPECT_EQ(ours, expected);
}

// tshark's view of one DNS message: the names asked and "name -> address" for A and AAAA.
struct DnsMessage {
  std::set<std::string> queries;
  std::set<std::string> answers;
};

TEST(MdnsOracle, QueriesAndAddressRecordsAgreeWithTshark) {
  VIGIL_REQUIRE_TOOL(tshark, "tshark");
  VIGIL_REQUIRE_FIXTURE(pcap, "pcap/zeek_mdns.pcap");
  std::vector<DnsMessage> expected;
  for (const auto& row : Tshark(
           pcap,
           {"frame.number", "dns.qry.name", "dns.resp.name", "dns.resp.type", "dns.a", "dns.aaaa"},
           "dns or mdns", ',')) {
    DnsMessage m;
    for (const auto& q : Split(row[1], ',')) m.queries.insert(q);
    const auto names = Split(row[2], ','), types = Split(row[3], ',');
    const auto a = Split(row[4], ','), aaaa = Split(row[5], ',');
    std::size_t next_a = 0, next_aaaa = 0;
    for (std::size_t i = 0; i < names.size() && i < types.size(); ++i) {
      if (types[i] == "1" && next_a < a.size()) m.answers.insert(names[i] + " -> " + a[next_a++]);
      if (types[i] == "28" && next_aaaa < aaaa.size()) {
        m.answers.insert(names[i] + " -> " + aaaa[next_aaaa++]);
      }
    }
    expected.push_back(std::move(m));
  }
  ASSERT_GE(expected.size(), 10u);

  const SensorRun sensor = RunSensor({pcap});

  ASSERT_EQ(sensor.run.exit_code, 0) << sensor.run.err;
  const auto ours = Select(sensor.records, "observation", "dns");
  ASSERT_EQ(ours.size(), expected.size()) << "one observation per mDNS message";
  for (std::size_t i = 0; i < ours.size(); ++i) {
    SCOPED_TRACE("dns message " + std::to_string(i + 1));
    const auto q = FactValues(ours[i], "dns.query");
    const auto a = FactValues(ours[i], "dns.answer");
    EXPECT_EQ(std::set<std::string>(q.begin(), q.end()), expected[i].queries);
    EXPECT_EQ(std::set<std::string>(a.begin(), a.end()), expected[i].answers);
  }
}

TEST(SnmpOracle, DefaultCommunitiesBecomeFindingsOthersNeverAppear) {
  VIGIL_REQUIRE_TOOL(tshark, "tshark");
  VIGIL_REQUIRE_FIXTURE(pcap, "pcap/ndpi_snmp.pcap");
  const auto rows = Tshark(pcap, {"frame.number", "snmp.community"}, "snmp");
  ASSERT_GE(rows.size(), 10u);

  const SensorRun sensor = RunSensor({pcap});

  ASSERT_EQ(sensor.run.exit_code, 0) << sensor.run.err;
  const auto ours = Select(sensor.records, "observation", "snmp");
  ASSERT_EQ(ours.size(), rows.size()) << "one observation per SNMP message";
  std::size_t defaults = 0;
  std::set<std::string> secrets;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    SCOPED_TRACE("frame " + rows[i][0]);
    const std::string& community = rows[i][1];
    const bool is_default = community == "public" || community == "private";
    defaults += is_default ? 1 : 0;
    if (!community.empty() && !is_default) secrets.insert(community);
    const std::vector<std::string> expected =
        community.empty() ? std::vector<std::string>{}
                          : std::vector<std::string>{is_default ? community : "other"};
    EXPECT_EQ(FactValues(ours[i], "snmp.community"), expected);
  }
  EXPECT_GT(defaults, 0u);
  // A flow reports its first finding only (datagram dissectors keep no state; a poller would
  // repeat it every minute): at least one, at most one per message with a default community.
  const std::size_t findings = Select(sensor.records, "finding", "snmp").size();
  EXPECT_GE(findings, 1u);
  EXPECT_LE(findings, defaults);
  ASSERT_FALSE(secrets.empty()) << "the capture should carry a community that is not a default";
  for (const auto& secret : secrets) {
    EXPECT_EQ((sensor.run.out + sensor.run.err).find(secret), std::string::npos)
        << "a community string of " << secret.size() << " characters appears in the output";
  }
}

}  // namespace
}  // namespace vigil::golden
