#include "store/telemetry_series.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

namespace vigil::store {
namespace {

TEST(WindowStart, FloorsToTheWindow) {
  EXPECT_EQ(WindowStart(kRollupWindowNanos + 1, kRollupWindowNanos), kRollupWindowNanos);
  EXPECT_EQ(WindowStart(-1, kRollupWindowNanos), -kRollupWindowNanos);
}

}  // namespace
}  // namespace vigil::store
