// LLDP and CDP against tcpdump's own decodings shipped beside the captures
// (tcpdump_lldp_cdp-ev.out for tcpdump_LLDP_and_CDP.pcap, tcpdump_lldp_mudurl-v.out and -vv.out
// for tcpdump_lldp_mudurl.pcap): packet by packet, the sender, system name, port id and
// description, platform, software version and MUD URL.

// g++ 12 reports a false maybe-uninitialized inside <regex>'s std::function at -O1.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "golden/sensor/sensor_run.h"
#include "testing/fixtures.h"

namespace vigil::golden {
namespace {

struct TcpdumpPacket {
  std::string source_mac;
  std::string protocol;                                    // "lldp" or "cdp"
  std::vector<std::pair<std::string, std::string>> facts;  // What we must report too.
};

std::vector<TcpdumpPacket> ReadTcpdumpOut(const std::filesystem::path& path) {
  static const std::regex kHeader(R"(^\s+\d+\s+\S+ \S+ ([0-9a-f:]{17}) > )");
  static const std::regex kCdpQuoted(
      R"(^\t(Device-ID|Platform|Port-ID) \(0x[0-9a-f]+\), value length: \d+ bytes?: '(.*)'$)");
  static const std::regex kLldpValue(
      R"(^\t(System Name|Port Description) TLV \(\d+\), length \d+: (.*)$)");
  static const std::regex kSubtype(R"(^\t  Subtype [^:]*\(\d+\): (.*)$)");
  std::vector<TcpdumpPacket> packets;
  std::istringstream lines(testing::ReadFileOrEmpty(path));
  std::string previous;
  for (std::string line; std::getline(lines, line); previous = line) {
    std::smatch m;
    if (std::regex_search(line, m, kHeader)) {
      packets.push_back({.source_mac = m[1],
                         .protocol = line.find("LLDP") != std::string::npos ? "lldp" : "cdp",
                         .facts = {}});
      continue;
    }
    if (packets.empty()) continue;
    auto& facts = packets.back().facts;
    if (std::regex_match(line, m, kCdpQuoted)) {
      const std::string what = m[1];
      facts.emplace_back(what == "Device-ID"  ? "cdp.device_id"
                         : what == "Platform" ? "cdp.platform"
                                              : "cdp.port_id",
                         m[2]);
    } else if (previous.rfind("\tVersion String", 0) == 0 && line.rfind("\t  ", 0) == 0) {
      facts.emplace_back("cdp.software_version", line.substr(3));
    } else if (std::regex_match(line, m, kLldpValue)) {
      facts.emplace_back(m[1] == "System Name" ? "lldp.system_name" : "lldp.port_description",
                         m[2]);
    } else if (std::regex_match(line, m, kSubtype)) {
      if (previous.rfind("\tChassis ID TLV", 0) == 0) facts.emplace_back("lldp.chassis_id", m[1]);
      if (previous.rfind("\tPort ID TLV", 0) == 0) facts.emplace_back("lldp.port_id", m[1]);
    } else if (line.rfind("\t  MUD-URL=", 0) == 0) {
      facts.emplace_back("lldp.mud_url", line.substr(line.find('=') + 1));
    }
  }
  return packets;
}

void CompareWithTcpdump(const std::string& capture, const std::string& decoding) {
  VIGIL_REQUIRE_FIXTURE(pcap, "pcap/" + capture);
  VIGIL_REQUIRE_FIXTURE(out, "pcap/" + decoding);
  const auto packets = ReadTcpdumpOut(out);
  ASSERT_FALSE(packets.empty()) << out;

  const SensorRun sensor = RunSensor({pcap});

  ASSERT_EQ(sensor.run.exit_code, 0) << sensor.run.err;
  std::vector<Json> ours;
  for (const auto& o : Select(sensor.records, "observation")) {
    if (o["protocol"] == "lldp" || o["protocol"] == "cdp") ours.push_back(o);
  }
  ASSERT_EQ(ours.size(), packets.size()) << "one observation per LLDP or CDP frame";
  for (std::size_t i = 0; i < packets.size(); ++i) {
    SCOPED_TRACE(decoding + " packet " + std::to_string(i + 1));
    EXPECT_EQ(ours[i]["protocol"], packets[i].protocol);
    EXPECT_EQ(ours[i]["subject"].value("mac", ""), packets[i].source_mac);
    EXPECT_GE(packets[i].facts.size(), 3u) << "the decoding was not read";
    for (const auto& [key, value] : packets[i].facts) {
      EXPECT_EQ(FactValues(ours[i], key), std::vector<std::string>{value}) << key;
    }
  }
}

TEST(LinkOracle, LldpAndCdpAgreeWithTcpdump) {
  CompareWithTcpdump("tcpdump_LLDP_and_CDP.pcap", "tcpdump_lldp_cdp-ev.out");
}

TEST(LinkOracle, LldpMudUrlAgreesWithTcpdump) {
  CompareWithTcpdump("tcpdump_lldp_mudurl.pcap", "tcpdump_lldp_mudurl-v.out");
  CompareWithTcpdump("tcpdump_lldp_mudurl.pcap", "tcpdump_lldp_mudurl-vv.out");
}

}  // namespace
}  // namespace vigil::golden
