#include "sensor/runner/run_sensor.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "sensor/runner/json_lines_sink.h"
#include "testing/fixtures.h"
#include "testing/pcap_writer.h"

namespace vigil::sensor {
namespace {

using testing::UdpFrame;
using testing::WritePcap;

std::string ReadAll(std::FILE* f) {
  std::rewind(f);
  std::string text;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
  return text;
}

TEST(RunSensor, FilesAreOneContinuousCaptureAndEveryRecordIsAJsonLine) {
  testing::TempDir dir;
  WritePcap(dir / "1.pcap", 1, {UdpFrame(40000, 9999, {'a'}), UdpFrame(40000, 9999, {'b'})});
  WritePcap(dir / "2.pcap", 1, {UdpFrame(40000, 9999, {'c'})}, 1'700'000'010);
  std::FILE* out = std::tmpfile();
  JsonLinesSink sink(out);
  std::atomic<bool> stop{false};

  auto summary =
      RunSensor({.pcap_files = {(dir / "1.pcap").string(), (dir / "2.pcap").string()}}, sink, stop);
  sink.Flush();

  ASSERT_TRUE(summary.has_value()) << summary.error().message;
  EXPECT_EQ(summary->packets.frames, 3u);
  EXPECT_EQ(summary->flows.created, 1u);
  EXPECT_EQ(summary->flow_records, 1u);
  std::string text = ReadAll(out);
  std::fclose(out);
  EXPECT_NE(text.find(R"("type":"flow")"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("client_packets":3)"), std::string::npos) << text;
  EXPECT_EQ(text.back(), '\n');
  EXPECT_NE(DescribeSummary(*summary).find("3 packets, 1 flows"), std::string::npos);
}

TEST(RunSensor, AMissingFileFailsBeforeAnyOutput) {
  testing::TempDir dir;
  WritePcap(dir / "1.pcap", 1, {UdpFrame(1, 2, {})});
  CollectingSink sink;
  std::atomic<bool> stop{false};

  auto summary = RunSensor(
      {.pcap_files = {(dir / "1.pcap").string(), (dir / "nope.pcap").string()}}, sink, stop);

  ASSERT_FALSE(summary.has_value());
  EXPECT_EQ(summary.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(sink.flows.empty());
}

TEST(RunSensor, FilesAndAnInterfaceTogetherAreRefused) {
  CollectingSink sink;
  std::atomic<bool> stop{false};

  auto both = RunSensor({.pcap_files = {"a.pcap"}, .interface = "eth0"}, sink, stop);
  auto neither = RunSensor({}, sink, stop);

  ASSERT_FALSE(both.has_value());
  EXPECT_EQ(both.error().code, ErrorCode::kInvalidArgument);
  ASSERT_FALSE(neither.has_value());
}

TEST(RunSensor, StatsCarryWeirdReasonsAboveZero) {
  testing::TempDir dir;
  testing::FrameBytes cut = UdpFrame(1, 2, {});
  cut.resize(20);
  WritePcap(dir / "1.pcap", 1, {cut});
  CollectingSink sink;
  std::atomic<bool> stop{false};

  auto summary = RunSensor({.pcap_files = {(dir / "1.pcap").string()}}, sink, stop);

  ASSERT_TRUE(summary.has_value());
  auto stats = StatsOf(*summary);
  ASSERT_EQ(stats.weird.size(), 1u);
  EXPECT_EQ(stats.weird[0].first, "truncated_ipv4");
}

}  // namespace
}  // namespace vigil::sensor
