#include "golden/sensor/sensor_run.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <sstream>

#include "integration/cli/process.h"
#include "testing/fixtures.h"

namespace vigil::golden {
namespace fs = std::filesystem;

namespace {

std::string ShellQuote(const std::string& arg) {
  std::string quoted = "'";
  for (char c : arg) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

}  // namespace

Run RunSplit(const std::vector<std::string>& argv) {
  // process.h merges the two streams; a shell sends stderr to a file instead.
  testing::TempDir dir;
  std::string command = "exec";
  for (const auto& arg : argv) command += " " + ShellQuote(arg);
  command += " 2>" + ShellQuote((dir / "stderr").string());
  const auto outcome =
      cli_test::RunProcess({"/bin/sh", "-c", command}, {}, std::chrono::seconds(120));
  return {.exit_code = outcome.exit_code,
          .out = outcome.output,
          .err = testing::ReadFileOrEmpty(dir / "stderr")};
}

SensorRun RunSensor(const std::vector<fs::path>& pcaps) {
  std::vector<std::string> argv = {cli_test::VigilBinary(), "sensor"};
  for (const auto& pcap : pcaps) {
    argv.push_back("--pcap");
    argv.push_back(pcap.string());
  }
  argv.push_back("--json");
  SensorRun result{.run = RunSplit(argv), .records = {}};
  std::istringstream lines(result.run.out);
  for (std::string line; std::getline(lines, line);) {
    auto record = Json::parse(line, nullptr, false);
    if (record.is_discarded() || !record.is_object()) {
      ADD_FAILURE() << "vigil printed a line that is not a JSON object: " << line;
      continue;
    }
    result.records.push_back(std::move(record));
  }
  return result;
}

std::vector<Json> Select(const std::vector<Json>& records, std::string_view type,
                         std::string_view protocol) {
  std::vector<Json> selected;
  for (const auto& r : records) {
    if (r.value("type", "") != type) continue;
    if (!protocol.empty() && r.value("protocol", "") != protocol) continue;
    selected.push_back(r);
  }
  return selected;
}

std::vector<std::string> FactValues(const Json& observation, std::string_view key) {
  std::vector<std::string> values;
  if (!observation.contains("facts")) return values;
  for (const auto& fact : observation["facts"]) {
    if (fact.size() == 2 && fact[0] == key) values.push_back(fact[1].get<std::string>());
  }
  return values;
}

std::vector<std::string> AllFactValues(const std::vector<Json>& observations,
                                       std::string_view key) {
  std::vector<std::string> values;
  for (const auto& o : observations) {
    auto more = FactValues(o, key);
    values.insert(values.end(), more.begin(), more.end());
  }
  return values;
}

std::set<std::string> FactSet(const std::vector<Json>& observations, std::string_view key) {
  auto values = AllFactValues(observations, key);
  return {values.begin(), values.end()};
}

std::vector<std::string> Split(std::string_view text, char sep) {
  std::vector<std::string> pieces;
  if (text.empty()) return pieces;
  std::size_t start = 0;
  while (true) {
    const auto at = text.find(sep, start);
    pieces.emplace_back(text.substr(start, at == std::string_view::npos ? at : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return pieces;
}

std::vector<std::vector<std::string>> Tshark(const fs::path& pcap,
                                             const std::vector<std::string>& fields,
                                             std::string_view filter, char aggregator,
                                             const std::vector<std::string>& options) {
  std::vector<std::string> argv = {
      "tshark", "-n", "-r",           pcap.string(), "-T",
      "fields", "-E", "occurrence=a", "-E",          std::string("aggregator=") + aggregator};
  argv.insert(argv.end(), options.begin(), options.end());
  if (!filter.empty()) {
    argv.push_back("-Y");
    argv.emplace_back(filter);
  }
  for (const auto& f : fields) {
    argv.push_back("-e");
    argv.push_back(f);
  }
  const Run run = RunSplit(argv);
  EXPECT_EQ(run.exit_code, 0) << "tshark failed: " << run.err;
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(run.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.find_first_not_of('\t') == std::string::npos) continue;
    auto row = Split(line, '\t');
    row.resize(fields.size());
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<fs::path> SharedCaptures() {
  std::vector<fs::path> captures;
  const auto dir = testing::Fixture("pcap");
  if (!dir) return captures;
  for (const auto& entry : fs::directory_iterator(*dir)) {
    const auto ext = entry.path().extension();
    if (ext == ".pcap" || ext == ".pcapng") captures.push_back(entry.path());
  }
  std::sort(captures.begin(), captures.end());
  return captures;
}

}  // namespace vigil::golden
