#include "agent/spool/spool_state.h"

#include <gtest/gtest.h>

namespace vigil::agent {
namespace {

TEST(SpoolState, RoundTrips) {
  const SpoolState state{
      .first_live_seq = 42, .dropped_pending = 3, .dropped_total = 10, .rejected_total = 1};

  const auto parsed = ParseSpoolState(FormatSpoolState(state));

  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, state);
}

TEST(SpoolState, RejectsAnythingElse) {
  const auto good = FormatSpoolState({});

  EXPECT_EQ(ParseSpoolState("").error().code, ErrorCode::kDataLoss);
  EXPECT_FALSE(ParseSpoolState(good.substr(0, good.size() - 1)));
  EXPECT_FALSE(ParseSpoolState(good + "extra\n"));
  EXPECT_FALSE(ParseSpoolState("vigil-spool 2\n"));
  EXPECT_FALSE(ParseSpoolState(
      "vigil-spool 1\nfirst_live_seq -1\ndropped_pending 0\ndropped_total 0\nrejected_total 0\n"));
  EXPECT_FALSE(ParseSpoolState(
      "vigil-spool 1\nfirst_live_seq 01\ndropped_pending 0\ndropped_total 0\nrejected_total 0\n"));
  EXPECT_FALSE(ParseSpoolState(
      "vigil-spool 1\ndropped_pending 0\nfirst_live_seq 1\ndropped_total 0\nrejected_total 0\n"));
}

TEST(SegmentFileName, RoundTripsAndRejectsOthers) {
  EXPECT_EQ(SegmentFileName(255), "seg-00000000000000ff.log");
  EXPECT_EQ(ParseSegmentFileName("seg-00000000000000ff.log"), 255u);
  EXPECT_FALSE(ParseSegmentFileName("seg-00000000000000FF.log"));
  EXPECT_FALSE(ParseSegmentFileName("seg-ff.log"));
  EXPECT_FALSE(ParseSegmentFileName("spool.state"));
  EXPECT_FALSE(ParseSegmentFileName("seg-00000000000000ff.log.tmp"));
}

}  // namespace
}  // namespace vigil::agent
