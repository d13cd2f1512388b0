#include "sensor/dissect/testing/dissect_testing.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "sensor/dissect/testing/pcap_frames.h"
#include "testing/fixtures.h"
#include "testing/pcap_writer.h"

namespace vigil::sensor {
namespace {

// Observes the size of every segment it is given: its result depends on how bytes are cut, so
// the split checks must fail for it.
class SegmentCounter final : public StreamDissector {
 public:
  std::size_t OnData(Direction dir, std::span<const std::uint8_t> data, std::int64_t time,
                     const FlowView& flow, Sink& sink) override {
    sink.Observe({.time_unix_nanos = time,
                  .subject = dir == Direction::kClientToServer ? flow.client : flow.server,
                  .facts = {{.key = "size", .value = std::to_string(data.size())}}});
    return data.size();
  }
  bool Finished() const override { return false; }
};

// Observes nothing: the same result however the bytes are cut.
class Silent final : public StreamDissector {
 public:
  std::size_t OnData(Direction, std::span<const std::uint8_t> data, std::int64_t, const FlowView&,
                     Sink&) override {
    return data.size();
  }
  bool Finished() const override { return false; }
};

const DissectorInfo& CounterInfo() {
  static const DissectorInfo info{
      .name = "counter", .transport = Transport::kTcp, .make_stream = [] {
        return std::unique_ptr<StreamDissector>(new SegmentCounter());
      }};
  return info;
}

const DissectorInfo& SilentInfo() {
  static const DissectorInfo info{
      .name = "silent", .transport = Transport::kTcp, .make_stream = [] {
        return std::unique_ptr<StreamDissector>(new Silent());
      }};
  return info;
}

FlowView Flow() { return MakeFlow("10.0.0.1", 40000, "10.0.0.2", 80, 9); }

std::string Summary(const CollectingSink& sink) { return Describe(sink, Flow()); }

TEST(DissectTesting, SplitChecksFailWhenCutsChangeTheResult) {
  const std::vector<StreamChunk> chunks = {MakeChunk(Direction::kClientToServer, "abcd")};

  const auto split = SameResultAtEverySplit(CounterInfo(), Flow(), chunks, Summary);
  const auto bytewise = SameResultOneByteAtATime(CounterInfo(), Flow(), chunks, Summary);

  EXPECT_FALSE(split);
  EXPECT_NE(std::string(split.message()).find("split at 1"), std::string::npos);
  EXPECT_FALSE(bytewise);
  EXPECT_TRUE(SameResultAtEverySplit(SilentInfo(), Flow(), chunks, Summary));
  EXPECT_TRUE(SameResultOneByteAtATime(SilentInfo(), Flow(), chunks, Summary));
}

TEST(DissectTesting, DescribesSidesFactsAndFindings) {
  CollectingSink sink;
  sink.Observe({.subject = Flow().server, .facts = {{"a", "1"}, {"b", "2"}}});
  sink.Report({.kind = "k", .detail = "d"});

  EXPECT_EQ(Describe(sink, Flow()), "server:a=1;b=2;\nk:d\n");
  EXPECT_EQ(SidedFacts(sink, Flow()), (std::vector<std::string>{"server a=1", "server b=2"}));
  EXPECT_EQ(Values(sink.observations[0], "a"), std::vector<std::string>{"1"});
  EXPECT_EQ(Value(sink.observations[0], "c", "<absent>"), "<absent>");
}

TEST(DissectTesting, UnhexReadsPairsOfDigits) {
  EXPECT_EQ(Unhex("48690a"), "Hi\n");
  EXPECT_EQ(Unhex("4"), "");
}

TEST(DissectTesting, ReadsTheFramesPcapWriterWrote) {
  vigil::testing::TempDir dir;
  const auto path = dir / "two.pcap";
  vigil::testing::WritePcap(path, 1, {{1, 2, 3}, {4}});

  EXPECT_EQ(ReadPcapFrames(path), (std::vector<std::vector<std::uint8_t>>{{1, 2, 3}, {4}}));
  EXPECT_TRUE(ReadPcapFrames(dir / "missing.pcap").empty());
}

}  // namespace
}  // namespace vigil::sensor
