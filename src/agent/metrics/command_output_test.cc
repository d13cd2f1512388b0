#include "agent/metrics/command_output.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include "testing/fixtures.h"

namespace vigil::agent {
namespace {

using std::chrono::milliseconds;

TEST(RunCommandOutput, CapturesStandardOutput) {
  const auto out = RunCommandOutput("echo '{\"a\": 1}'; echo ignored >&2", {});

  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(*out, "{\"a\": 1}\n");
}

TEST(RunCommandOutput, FailsOnNonZeroExit) {
  const auto out = RunCommandOutput("echo partial; exit 3", {});

  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(out.error().message.find("status 3"), std::string::npos) << out.error().message;
}

TEST(RunCommandOutput, KillsACommandThatHangs) {
  const auto start = std::chrono::steady_clock::now();

  const auto out = RunCommandOutput("sleep 30", {.timeout = milliseconds(200)});

  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code, ErrorCode::kResourceExhausted);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(RunCommandOutput, KillsTheWholeGroupWhenAChildKeepsOutputOpen) {
  const auto out = RunCommandOutput("(sleep 30 &) ; echo done", {.timeout = milliseconds(300)});

  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code, ErrorCode::kResourceExhausted);
}

TEST(RunCommandOutput, StopsAtTheSizeLimit) {
  const auto out = RunCommandOutput("yes", {.max_bytes = 1000});

  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code, ErrorCode::kResourceExhausted);
}

TEST(ReadSmallFile, ReadsAndLimits) {
  testing::TempDir dir;
  std::ofstream(dir / "m.json") << "{\"a\": 1}";

  EXPECT_EQ(ReadSmallFile((dir / "m.json").string(), 100).value(), "{\"a\": 1}");
  EXPECT_EQ(ReadSmallFile((dir / "m.json").string(), 3).error().code,
            ErrorCode::kResourceExhausted);
  EXPECT_EQ(ReadSmallFile((dir / "none").string(), 100).error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace vigil::agent
