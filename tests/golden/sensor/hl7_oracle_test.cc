// HL7 against tshark on ndpi_hl7.pcap (MSH fields and message types), and the privacy rule of
// issue 5: no value of the PID segment in that capture appears anywhere in what vigil prints.
// The PID values are read from the capture with tshark at test time, never written down here.

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "golden/sensor/sensor_run.h"
#include "integration/cli/process.h"
#include "testing/fixtures.h"

namespace vigil::golden {
namespace {

const std::vector<std::string> kDecodeAs = {"-d", "tcp.port==6661,hl7"};

// The segments of each HL7 message in the capture (tshark's hl7.segment), in order.
std::vector<std::vector<std::string>> Messages(const std::filesystem::path& pcap) {
  std::vector<std::vector<std::string>> messages;
  for (const auto& row : Tshark(pcap, {"hl7.segment"}, "hl7", '\x1f', kDecodeAs)) {
    auto segments = Split(row[0], '\x1f');
    for (auto& s : segments) {
      while (!s.empty() && (s.back() == '\r' || s.back() == '\n')) s.pop_back();
      // tshark prints the segment terminator as the two characters "\r".
      if (s.ends_with("\\r")) s.resize(s.size() - 2);
    }
    messages.push_back(segments);
  }
  return messages;
}

std::string FirstComponent(const std::string& field) { return field.substr(0, field.find('^')); }

TEST(Hl7Oracle, MessageHeadersAgreeWithTshark) {
  VIGIL_REQUIRE_TOOL(tshark, "tshark");
  VIGIL_REQUIRE_FIXTURE(pcap, "pcap/ndpi_hl7.pcap");
  const auto messages = Messages(pcap);
  ASSERT_EQ(messages.size(), 2u) << "tshark should see the ADT^A01 and its ACK";

  const SensorRun sensor = RunSensor({pcap});

  ASSERT_EQ(sensor.run.exit_code, 0) << sensor.run.err;
  const auto ours = Select(sensor.records, "observation", "hl7");
  ASSERT_EQ(ours.size(), messages.size());
  for (std::size_t i = 0; i < messages.size(); ++i) {
    ASSERT_TRUE(messages[i][0].starts_with("MSH|")) << messages[i][0];
    // MSH-1 is the field separator itself, so MSH-n is piece n-1 of the split.
    const auto msh = Split(messages[i][0], '|');
    ASSERT_GE(msh.size(), 12u);
    auto one = [&](std::string_view key) {
      const auto v = FactValues(ours[i], key);
      return v.empty() ? std::string("(absent)") : v[0];
    };
    EXPECT_EQ(one("hl7.sending_application"), FirstComponent(msh[2]));
    EXPECT_EQ(one("hl7.sending_facility"), FirstComponent(msh[3]));
    EXPECT_EQ(one("hl7.receiving_application"), FirstComponent(msh[4]));
    EXPECT_EQ(one("hl7.receiving_facility"), FirstComponent(msh[5]));
    EXPECT_EQ(one("hl7.message_type"), msh[8]);
    EXPECT_EQ(one("hl7.version"), FirstComponent(msh[11]));
    // Segment ids in order, each once (the dissector lists a repeated AL1 once).
    std::string ids;
    std::set<std::string> seen;
    for (const auto& s : messages[i]) {
      if (seen.insert(s.substr(0, 3)).second) ids += (ids.empty() ? "" : ",") + s.substr(0, 3);
    }
    EXPECT_EQ(one("hl7.segments"), ids);
  }
  // tshark's message and event types for the same messages.
  const auto types = Tshark(pcap, {"hl7.message.type", "hl7.event.type"}, "hl7", ',', kDecodeAs);
  ASSERT_EQ(types.size(), ours.size());
  for (std::size_t i = 0; i < types.size(); ++i) {
    const std::string type = types[i][0] + (types[i][1].empty() ? "" : "^" + types[i][1]);
    EXPECT_EQ(FactValues(ours[i], "hl7.message_type"), std::vector<std::string>{type});
  }
  EXPECT_EQ(Select(sensor.records, "finding", "hl7").size(), 1u);
}

// Every value of 3 or more characters in the PID segments: whole fields, components,
// repetitions and sub-components.
std::set<std::string> PatientValues(const std::vector<std::vector<std::string>>& messages) {
  std::set<std::string> values;
  auto add = [&](std::string v) {
    while (!v.empty() && v.front() == ' ') v.erase(v.begin());
    while (!v.empty() && v.back() == ' ') v.pop_back();
    if (v.size() >= 3) values.insert(v);
  };
  for (const auto& message : messages) {
    for (const auto& segment : message) {
      if (!segment.starts_with("PID|")) continue;
      const auto fields = Split(segment, '|');
      for (std::size_t f = 1; f < fields.size(); ++f) {
        add(fields[f]);
        for (const auto& rep : Split(fields[f], '~')) {
          add(rep);
          for (const auto& component : Split(rep, '^')) {
            add(component);
            for (const auto& sub : Split(component, '&')) add(sub);
          }
        }
      }
    }
  }
  return values;
}

TEST(Hl7Privacy, NoPatientValueAppearsInAnythingVigilPrintsOrStores) {
  VIGIL_REQUIRE_TOOL(tshark, "tshark");
  VIGIL_REQUIRE_FIXTURE(pcap, "pcap/ndpi_hl7.pcap");
  const auto values = PatientValues(Messages(pcap));
  ASSERT_GE(values.size(), 5u) << "tshark should show the PID segment's values";

  const SensorRun sensor = RunSensor({pcap});

  ASSERT_EQ(sensor.run.exit_code, 0) << sensor.run.err;
  ASSERT_FALSE(Select(sensor.records, "finding", "hl7").empty()) << "the capture was not dissected";
  // The same capture into a data directory: the inventory's store (database, its write-ahead
  // log, every other file there) and what the run and `vigil inventory` print.
  testing::TempDir dir;
  const std::string data = (dir / "data").string();
  const golden::Run stored =
      RunSplit({cli_test::VigilBinary(), "sensor", "--pcap", pcap.string(), "--data-dir", data});
  ASSERT_EQ(stored.exit_code, 0) << stored.err;
  const golden::Run listed =
      RunSplit({cli_test::VigilBinary(), "inventory", "list", "--data-dir", data});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  std::vector<std::pair<std::string, std::string>> outputs = {
      {"vigil sensor --json", sensor.run.out + sensor.run.err},
      {"vigil sensor --data-dir", stored.out + stored.err},
      {"vigil inventory list", listed.out + listed.err}};
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path())) {
    if (!entry.is_regular_file()) continue;
    outputs.emplace_back(entry.path().filename().string(), testing::ReadFileOrEmpty(entry.path()));
  }
  ASSERT_GE(outputs.size(), 4u) << "the data directory holds no file";
  // The search reads what the store keeps: the header facts are there, in the clear.
  bool header_stored = false;
  for (std::size_t i = 3; i < outputs.size(); ++i) {
    header_stored |= outputs[i].second.find("SENDING_APPLICATION") != std::string::npos;
  }
  EXPECT_TRUE(header_stored) << "no stored file holds the HL7 header facts";
  for (const auto& [where, text] : outputs) {
    for (const auto& value : values) {
      // The value itself is patient data: the failure names only its length and where it was.
      const auto at = text.find(value);
      EXPECT_EQ(at, std::string::npos) << "a PID value of " << value.size()
                                       << " characters appears at byte " << at << " of " << where;
    }
  }
}

}  // namespace
}  // namespace vigil::golden
