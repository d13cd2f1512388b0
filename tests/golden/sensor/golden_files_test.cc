// Golden files: for each shared capture, our whole output (every JSON line vigil prints on
// stdout) is compared exactly with tests/golden/sensor/expected/<capture>.jsonl. Run with
// VIGIL_UPDATE_GOLDEN=1 to rewrite them after a deliberate change, then review the diff.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "golden/sensor/sensor_run.h"
#include "testing/fixtures.h"

namespace vigil::golden {
namespace {

namespace fs = std::filesystem;

fs::path ExpectedDir() { return testing::SourceDir() / "tests/golden/sensor/expected"; }

bool Updating() {
  const char* env = std::getenv("VIGIL_UPDATE_GOLDEN");
  return env != nullptr && std::string(env) == "1";
}

// The first line where `actual` and `expected` differ, for a readable failure.
std::string FirstDifference(const std::string& actual, const std::string& expected) {
  std::istringstream a(actual), e(expected);
  std::string la, le;
  for (int n = 1;; ++n) {
    const bool more_a = static_cast<bool>(std::getline(a, la));
    const bool more_e = static_cast<bool>(std::getline(e, le));
    if (!more_a && !more_e) return "(no line differs; the files differ in their last newline)";
    if (la != le || more_a != more_e) {
      return "line " + std::to_string(n) + ":\n  expected: " + (more_e ? le : "(end)") +
             "\n  actual:   " + (more_a ? la : "(end)");
    }
  }
}

TEST(GoldenFiles, EverySharedCaptureGivesItsExpectedLines) {
  const auto captures = SharedCaptures();
  if (captures.empty()) {
    VIGIL_SKIP_OR_FAIL(
        "shared captures not found (set VIGIL_FIXTURES or place ../shared/data "
        "beside the checkout)");
  }
  std::set<std::string> names;

  for (const auto& pcap : captures) {
    const std::string name = pcap.filename().string();
    names.insert(name + ".jsonl");
    SCOPED_TRACE(name);
    const SensorRun sensor = RunSensor({pcap});
    ASSERT_EQ(sensor.run.exit_code, 0) << sensor.run.err;
    const fs::path expected_path = ExpectedDir() / (name + ".jsonl");
    if (Updating()) {
      std::ofstream(expected_path, std::ios::binary) << sensor.run.out;
      continue;
    }
    const std::string expected = testing::ReadFileOrEmpty(expected_path);
    ASSERT_FALSE(expected.empty())
        << expected_path << " is missing: run with VIGIL_UPDATE_GOLDEN=1 to write it";
    EXPECT_TRUE(sensor.run.out == expected)
        << name << " differs from " << expected_path << " at "
        << FirstDifference(sensor.run.out, expected)
        << "\n(if the change is intended, rerun with VIGIL_UPDATE_GOLDEN=1 and review the diff)";
  }

  // A golden file whose capture is gone is stale.
  for (const auto& entry : fs::directory_iterator(ExpectedDir())) {
    EXPECT_TRUE(names.count(entry.path().filename().string()) == 1)
        << entry.path() << " has no capture in the shared fixtures";
  }
}

TEST(GoldenFiles, OutputIsTheSameOnEveryRun) {
  VIGIL_REQUIRE_FIXTURE(pcap, "pcap/zeek_mdns.pcap");

  const SensorRun first = RunSensor({pcap});
  const SensorRun second = RunSensor({pcap});

  ASSERT_EQ(first.run.exit_code, 0) << first.run.err;
  EXPECT_EQ(first.run.out, second.run.out);
}

}  // namespace
}  // namespace vigil::golden
