// DHCP against the reference decodings: Zeek's dhcp.log beside each zeek_dhcp* capture, and
// tshark's dhcp.option.* fields on the tcpdump_dhcp-* captures.
//
// Zeek logs one row per transaction (xid), with the message types in order and the last value
// of each field; we print one observation per message, so the test groups ours by xid. Zeek
// takes host_name, client_fqdn and requested_addr from client messages and domain,
// assigned_addr and lease_time from the server's, which the comparison follows.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "golden/sensor/sensor_run.h"
#include "testing/fixtures.h"

namespace vigil::golden {
namespace {

namespace fs = std::filesystem;
using Row = std::map<std::string, std::string>;

// A Zeek TSV log: the columns from "#fields" (or a bare "ts\t..." header, as in btest
// baselines cut to the data), then one Row per data line.
std::vector<Row> ReadZeekLog(const fs::path& path) {
  std::vector<Row> rows;
  std::vector<std::string> columns;
  std::istringstream lines(testing::ReadFileOrEmpty(path));
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("#fields\t", 0) == 0) {
      columns = Split(line.substr(8), '\t');
    } else if (line.rfind("ts\t", 0) == 0) {
      columns = Split(line, '\t');
    } else if (!line.empty() && line[0] != '#' && !columns.empty()) {
      const auto values = Split(line, '\t');
      Row row;
      for (std::size_t i = 0; i < columns.size() && i < values.size(); ++i) {
        row[columns[i]] = values[i];
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

std::string Upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Zeek escapes non-printable bytes as \xNN; we print option 82 sub-options in hex.
std::string ZeekStringToHex(const std::string& s) {
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\\' && i + 3 < s.size() && s[i + 1] == 'x') {
      c = static_cast<unsigned char>(std::stoi(s.substr(i + 2, 2), nullptr, 16));
      i += 3;
    }
    hex += kHex[c >> 4];
    hex += kHex[c & 15];
  }
  return hex;
}

// Our observations of one transaction.
struct Transaction {
  std::string mac;
  std::vector<Json> messages;
  bool used = false;

  std::string Types() const {
    std::string types;
    for (const auto& m : messages) {
      if (!types.empty()) types += ",";
      const auto t = FactValues(m, "dhcp.message_type");
      types += t.empty() ? "?" : Upper(t[0]);
    }
    return types;
  }
  // The last value of `key` among client messages (server == false) or server messages.
  std::string Last(std::string_view key, bool server) const {
    std::string value = "-";
    for (const auto& m : messages) {
      const auto t = FactValues(m, "dhcp.message_type");
      const bool from_server = !t.empty() && (t[0] == "offer" || t[0] == "ack" || t[0] == "nak");
      if (from_server != server) continue;
      const auto v = FactValues(m, key);
      if (!v.empty()) value = v.back();
    }
    return value;
  }
};

std::vector<Transaction> Transactions(const std::vector<Json>& records) {
  std::vector<Transaction> out;
  std::map<std::string, std::size_t> by_xid;
  for (const auto& o : Select(records, "observation", "dhcp")) {
    const auto xid = FactValues(o, "dhcp.xid");
    const std::string key = (xid.empty() ? "" : xid[0]) + o["subject"].value("mac", "");
    auto [it, fresh] = by_xid.try_emplace(key, out.size());
    if (fresh) out.push_back({.mac = o["subject"].value("mac", ""), .messages = {}});
    out[it->second].messages.push_back(o);
  }
  return out;
}

std::string Seconds(const std::string& zeek_interval) {
  if (zeek_interval == "-") return "-";
  return std::to_string(static_cast<long long>(std::stod(zeek_interval)));
}

void CompareWithZeek(const std::string& capture, const std::string& log,
                     bool one_row_per_transaction) {
  VIGIL_REQUIRE_FIXTURE(pcap, "pcap/" + capture);
  VIGIL_REQUIRE_FIXTURE(zeek, "pcap/" + log);
  const auto rows = ReadZeekLog(zeek);
  ASSERT_FALSE(rows.empty()) << zeek;

  const SensorRun sensor = RunSensor({pcap});
  ASSERT_EQ(sensor.run.exit_code, 0) << sensor.run.err;
  auto ours = Transactions(sensor.records);

  for (const Row& row : rows) {
    SCOPED_TRACE(row.at("mac") + " " + row.at("msg_types"));
    auto match = std::find_if(ours.begin(), ours.end(), [&](const Transaction& t) {
      return !t.used && t.mac == row.at("mac") && t.Types() == row.at("msg_types");
    });
    ASSERT_NE(match, ours.end()) << "no transaction of ours with this MAC and message types";
    match->used = true;
    EXPECT_EQ(match->Last("dhcp.hostname", false), row.at("host_name"));
    EXPECT_EQ(match->Last("dhcp.fqdn", false), row.at("client_fqdn"));
    EXPECT_EQ(match->Last("dhcp.requested_addr", false), row.at("requested_addr"));
    EXPECT_EQ(match->Last("dhcp.domain", true), row.at("domain"));
    EXPECT_EQ(match->Last("dhcp.lease_time", true), Seconds(row.at("lease_time")));
    // assigned_addr is the yiaddr of the server's ACK.
    std::string assigned = "-";
    for (const auto& m : match->messages) {
      const auto yiaddr = FactValues(m, "dhcp.yiaddr");
      if (FactValues(m, "dhcp.message_type") == std::vector<std::string>{"ack"}) {
        assigned = yiaddr.empty() ? "-" : yiaddr[0];
      }
    }
    EXPECT_EQ(assigned, row.at("assigned_addr"));
    if (row.count("circuit_id") == 1 && row.at("circuit_id") != "-") {
      EXPECT_EQ(match->Last("dhcp.circuit_id", true), ZeekStringToHex(row.at("circuit_id")));
    }
    if (row.count("agent_remote_id") == 1 && row.at("agent_remote_id") != "-") {
      EXPECT_EQ(match->Last("dhcp.remote_id", true), ZeekStringToHex(row.at("agent_remote_id")));
    }
    for (const char* software : {"client_software", "server_software"}) {
      if (row.count(software) == 1 && row.at(software) != "-") {
        EXPECT_EQ(match->Last("dhcp.vendor_class", software[0] == 's'), row.at(software));
      }
    }
  }
  if (one_row_per_transaction) {
    EXPECT_EQ(ours.size(), rows.size()) << "we saw transactions Zeek did not log";
  }
}

TEST(DhcpOracle, AllMessageTypesAgreeWithZeek) {
  CompareWithZeek("zeek_dhcp.pcap", "zeek_dhcp.pcap.dhcp.log", true);
}

TEST(DhcpOracle, AckWithRelayAgentSubOptionsAgreesWithZeek) {
  CompareWithZeek("zeek_dhcp_ack_subscriber_id_and_agent_remote_id.pcap",
                  "zeek_dhcp_ack_subscriber_id_and_agent_remote_id.pcap.dhcp.log", true);
  // The sub-opts policy adds circuit_id and agent_remote_id (subscriber_id, sub-option 6, is
  // not one of our facts).
  CompareWithZeek("zeek_dhcp_ack_subscriber_id_and_agent_remote_id.pcap",
                  "zeek_dhcp_ack_subscriber_id_and_agent_remote_id.pcap.sub-opts.dhcp.log", true);
}

TEST(DhcpOracle, DiscoverWithParameterListAgreesWithZeek) {
  CompareWithZeek("zeek_dhcp_discover_param_req_and_client_id.pcap",
                  "zeek_dhcp_discover_param_req_and_client_id.pcap.dhcp.log", true);
}

TEST(DhcpOracle, InformAgreesWithZeek) {
  CompareWithZeek("zeek_dhcp_inform.pcap", "zeek_dhcp_inform.pcap.dhcp.log", true);
}

TEST(DhcpOracle, UniqueTransactionsAgreeWithZeek) {
  // Zeek made this log with DHCP::max_tracked_transactions = 5 (README of the fixtures), so it
  // may leave out transactions it stopped tracking: every row must be ours, not the reverse.
  CompareWithZeek("zeek_dhcp-unique-xid-join-data-growth.pcapng",
                  "zeek_dhcp-unique-xid-join-data-growth.pcapng.dhcp.log", false);
}

// tshark's option fields, packet by packet, against our observations in the same order.
void CompareWithTshark(const std::string& capture) {
  VIGIL_REQUIRE_TOOL(tshark, "tshark");
  VIGIL_REQUIRE_FIXTURE(pcap, "pcap/" + capture);
  const auto rows = Tshark(pcap,
                           {"frame.number", "dhcp.option.hostname", "dhcp.option.vendor_class_id",
                            "dhcp.option.request_list_item", "dhcp.option.mudurl"},
                           "dhcp", ',');

  const SensorRun sensor = RunSensor({pcap});
  ASSERT_EQ(sensor.run.exit_code, 0) << sensor.run.err;
  const auto ours = Select(sensor.records, "observation", "dhcp");

  ASSERT_EQ(ours.size(), rows.size());
  auto one = [](const Json& o, std::string_view key) {
    const auto v = FactValues(o, key);
    return v.empty() ? std::string() : v[0];
  };
  for (std::size_t i = 0; i < rows.size(); ++i) {
    SCOPED_TRACE(capture + " frame " + rows[i][0]);
    EXPECT_EQ(one(ours[i], "dhcp.hostname"), rows[i][1]);
    EXPECT_EQ(one(ours[i], "dhcp.vendor_class"), rows[i][2]);
    EXPECT_EQ(one(ours[i], "dhcp.param_list"), rows[i][3]);
    EXPECT_EQ(one(ours[i], "dhcp.mud_url"), rows[i][4]);
  }
}

TEST(DhcpOracle, MudUrlVendorClassAndParameterListAgreeWithTshark) {
  CompareWithTshark("tcpdump_dhcp-mud.pcap");
}

TEST(DhcpOracle, UserClassCaptureAgreesWithTshark) {
  CompareWithTshark("tcpdump_dhcp-rfc3004.pcap");
}

TEST(DhcpOracle, TftpServerCaptureAgreesWithTshark) {
  CompareWithTshark("tcpdump_dhcp-rfc5859.pcap");
}

}  // namespace
}  // namespace vigil::golden
