#include "agent/metrics/system_metrics.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "testing/fixtures.h"

namespace vigil::agent {
namespace {

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kT0 = 1'700'000'000 * kSecond;

void WriteText(const std::filesystem::path& path, std::string_view text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

std::map<std::string, double> ByName(const std::vector<model::MetricPoint>& points) {
  std::map<std::string, double> out;
  for (const auto& p : points) out[p.name] = p.value;
  return out;
}

class SystemMetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteText(dir_ / "stat", "cpu 100 0 0 300 0 0 0 0\n");
    WriteText(dir_ / "meminfo", "MemTotal: 1000 kB\nMemAvailable: 250 kB\n");
    WriteText(dir_ / "net/dev",
              "h|\nh|\n lo: 5 0 0 0 0 0 0 0 5 0 0 0 0 0 0 0\n"
              " eth0: 1000 0 0 0 0 0 0 0 2000 0 0 0 0 0 0 0\n");
    WriteText(dir_ / "uptime", "42.5 10.0\n");
    WriteText(dir_ / "loadavg", "0.5 0.25 0.125 1/2 3\n");
  }

  SystemMetrics Make() {
    return SystemMetrics({.proc_root = dir_.path(), .disk_path = dir_.path()});
  }

  testing::TempDir dir_;
};

TEST_F(SystemMetricsTest, ReportsEveryFamilyButRatesOnTheFirstSample) {
  auto metrics = Make();

  const auto sample = metrics.Collect({"cpu", "memory", "disk", "network", "uptime", "load"}, kT0);

  EXPECT_TRUE(sample.errors.empty());
  const auto points = ByName(sample.points);
  EXPECT_FALSE(points.contains("cpu.percent"));
  EXPECT_FALSE(points.contains("network.rx_bytes_per_second"));
  EXPECT_EQ(points.at("memory.used_bytes"), 750.0 * 1024);
  EXPECT_EQ(points.at("memory.available_bytes"), 250.0 * 1024);
  EXPECT_EQ(points.at("network.rx_bytes"), 1000);
  EXPECT_EQ(points.at("network.tx_bytes"), 2000);
  EXPECT_EQ(points.at("uptime.seconds"), 42.5);
  EXPECT_EQ(points.at("load.15m"), 0.125);
  EXPECT_GE(points.at("disk.used_percent"), 0);
  EXPECT_LE(points.at("disk.used_percent"), 100);
  EXPECT_GT(points.at("disk.available_bytes"), 0);
  for (const auto& p : sample.points) EXPECT_EQ(p.time_unix_nanos, kT0);
}

TEST_F(SystemMetricsTest, ReportsRatesFromTheSecondSample) {
  auto metrics = Make();
  metrics.Prime(kT0);
  WriteText(dir_ / "stat", "cpu 130 0 0 370 0 0 0 0\n");
  WriteText(dir_ / "net/dev", "h|\nh|\n eth0: 3000 0 0 0 0 0 0 0 2500 0 0 0 0 0 0 0\n");

  const auto sample = metrics.Collect({"cpu", "network"}, kT0 + 10 * kSecond);

  const auto points = ByName(sample.points);
  EXPECT_DOUBLE_EQ(points.at("cpu.percent"), 30.0);
  EXPECT_DOUBLE_EQ(points.at("network.rx_bytes_per_second"), 200.0);
  EXPECT_DOUBLE_EQ(points.at("network.tx_bytes_per_second"), 50.0);
}

TEST_F(SystemMetricsTest, CollectsOnlyTheAskedFamilies) {
  auto metrics = Make();

  const auto sample = metrics.Collect({"load", "no-such-family"}, kT0);

  ASSERT_EQ(sample.points.size(), 3u);
  EXPECT_EQ(sample.points[0].name, "load.1m");
}

TEST_F(SystemMetricsTest, AnUnreadableFileCostsOnlyItsFamily) {
  std::filesystem::remove(dir_ / "meminfo");
  WriteText(dir_ / "loadavg", "garbage\n");
  auto metrics = Make();

  const auto sample = metrics.Collect({"memory", "load", "uptime"}, kT0);

  EXPECT_EQ(sample.errors.size(), 2u);
  ASSERT_EQ(sample.points.size(), 1u);
  EXPECT_EQ(sample.points[0].name, "uptime.seconds");
}

TEST(SystemMetrics, ReadsThisMachinesProc) {
  SystemMetrics metrics({});
  metrics.Prime(kT0);

  const auto sample =
      metrics.Collect({"cpu", "memory", "disk", "network", "uptime", "load"}, kT0 + kSecond);

  for (const auto& e : sample.errors) ADD_FAILURE() << e.message;
  EXPECT_TRUE(ByName(sample.points).contains("memory.used_bytes"));
}

}  // namespace
}  // namespace vigil::agent
