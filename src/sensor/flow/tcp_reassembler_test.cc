#include "sensor/flow/tcp_reassembler.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace vigil::sensor {
namespace {

std::span<const std::uint8_t> Bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

struct Collector {
  std::string text;
  int gaps = 0;
  void operator()(std::span<const std::uint8_t> b, bool gap) {
    if (gap) {
      ++gaps;
      text += '|';
    }
    text.append(reinterpret_cast<const char*>(b.data()), b.size());
  }
};

TEST(TcpReassembler, DeliversInOrderSegmentsAtOnce) {
  TcpReassembler r;
  Collector c;
  r.Start(1000);

  r.Add(1000, Bytes("hello "), c);
  r.Add(1006, Bytes("world"), c);

  EXPECT_EQ(c.text, "hello world");
  EXPECT_EQ(c.gaps, 0);
}

TEST(TcpReassembler, HoldsLaterSegmentsUntilTheHoleIsFilled) {
  TcpReassembler r;
  Collector c;
  r.Start(0);

  r.Add(6, Bytes("world"), c);
  EXPECT_EQ(c.text, "");
  r.Add(0, Bytes("hello "), c);

  EXPECT_EQ(c.text, "hello world");
}

TEST(TcpReassembler, TrimsRetransmissionsAndOverlaps) {
  TcpReassembler r;
  Collector c;
  r.Start(0);

  r.Add(0, Bytes("abcd"), c);
  r.Add(0, Bytes("abcd"), c);   // Retransmitted.
  r.Add(2, Bytes("cdefg"), c);  // Overlaps by two.
  r.Add(9, Bytes("jk"), c);     // Waits.
  r.Add(6, Bytes("ghij"), c);   // Fills the hole and overlaps the waiting one.

  EXPECT_EQ(c.text, "abcdefghijk");
}

TEST(TcpReassembler, WrapsAroundTheSequenceSpace) {
  TcpReassembler r;
  Collector c;
  r.Start(0xFFFFFFFE);

  r.Add(0x00000001, Bytes("cd"), c);
  r.Add(0xFFFFFFFE, Bytes("ab"), c);
  r.Add(0x00000000, Bytes("x"), c);

  EXPECT_EQ(c.text, "abxcd");
}

TEST(TcpReassembler, DeclaresAGapWhenTooManySegmentsWait) {
  TcpReassembler r;
  Collector c;
  r.Start(0);

  for (std::uint32_t i = 1; i <= TcpReassembler::kMaxPendingSegments + 1; ++i) {
    r.Add(i * 10, Bytes("0123456789"), c);
  }

  EXPECT_EQ(c.gaps, 1);
  EXPECT_EQ(r.gaps(), 1u);
  EXPECT_EQ(c.text.substr(0, 11), "|0123456789");
}

TEST(TcpReassembler, FinishDeliversWhatWaitsAfterAGap) {
  TcpReassembler r;
  Collector c;
  r.Start(0);
  r.Add(0, Bytes("ab"), c);
  r.Add(5, Bytes("fg"), c);

  r.Finish(c);

  EXPECT_EQ(c.text, "ab|fg");
}

TEST(TcpReassembler, StartsAtTheFirstSegmentWithoutASyn) {
  TcpReassembler r;
  Collector c;

  r.Add(777, Bytes("mid"), c);
  r.Add(780, Bytes("stream"), c);

  EXPECT_EQ(c.text, "midstream");
}

}  // namespace
}  // namespace vigil::sensor
