#include "agent/backoff.h"

#include <gtest/gtest.h>

namespace vigil::agent {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, DoublesTheCeilingUpToTheCap) {
  Backoff backoff({.base = milliseconds(1000), .cap = milliseconds(10'000)},
                  [] { return 0.999999; });

  EXPECT_EQ(backoff.Failure(), milliseconds(999));
  EXPECT_EQ(backoff.Failure(), milliseconds(1999));
  EXPECT_EQ(backoff.Failure(), milliseconds(3999));
  EXPECT_EQ(backoff.Failure(), milliseconds(7999));
  EXPECT_EQ(backoff.Failure(), milliseconds(9999));
  EXPECT_EQ(backoff.Failure(), milliseconds(9999));
}

TEST(Backoff, JittersOverTheWholeRange) {
  double r = 0.25;
  Backoff backoff({}, [&] { return r; });

  EXPECT_EQ(backoff.Failure(), milliseconds(250));
  r = 0.0;
  EXPECT_EQ(backoff.Failure(), milliseconds(0));
}

TEST(Backoff, StartsOverAfterASuccess) {
  Backoff backoff({}, [] { return 0.5; });
  for (int i = 0; i < 5; ++i) backoff.Failure();

  backoff.Reset();

  EXPECT_EQ(backoff.Failure(), milliseconds(500));
}

TEST(Backoff, StaysAtTheCapAfterManyFailures) {
  Backoff backoff({}, [] { return 0.5; });

  for (int i = 0; i < 10'000; ++i) backoff.Failure();

  EXPECT_EQ(backoff.Failure(), milliseconds(150'000));  // Half of the 5 minute cap.
}

}  // namespace
}  // namespace vigil::agent
