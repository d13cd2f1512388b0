#pragma once

// Helpers for tests only: where the shared fixtures are, temporary directories, and the rule
// that a test which cannot find its fixture or tool skips locally but fails under CI=true.

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::testing {

// The checkout and the build tree of this test binary ($VIGIL_SOURCE_DIR and $VIGIL_BINARY_DIR
// override what CMake compiled in).
std::filesystem::path SourceDir();
std::filesystem::path BinaryDir();

// The shared fixtures folder: $VIGIL_FIXTURES, else ../shared/data beside the checkout.
// Empty when neither exists.
std::optional<std::filesystem::path> FixturesDir();

// The path of `relative` under the fixtures folder, if it exists.
std::optional<std::filesystem::path> Fixture(std::string_view relative);

// The full path of an executable on PATH, if present.
std::optional<std::filesystem::path> FindTool(std::string_view name);

// True when running under CI (CI=true), where nothing may be skipped.
bool InCi();

// A fresh directory under $TMPDIR removed (with its contents) on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Reads a whole file into a string (empty if it cannot be read).
std::string ReadFileOrEmpty(const std::filesystem::path& path);

}  // namespace vigil::testing

// Skips the test with `reason`, or fails it when CI=true (CI has every fixture and tool).
#define VIGIL_SKIP_OR_FAIL(reason)                      \
  do {                                                  \
    if (::vigil::testing::InCi()) {                     \
      FAIL() << "required under CI=true: " << (reason); \
    }                                                   \
    GTEST_SKIP() << (reason);                           \
  } while (false)

// Declares `var` as the path of a shared fixture, skipping (or failing in CI) when absent.
#define VIGIL_REQUIRE_FIXTURE(var, relative)                                                 \
  const auto var##_opt = ::vigil::testing::Fixture(relative);                                \
  if (!var##_opt) {                                                                          \
    VIGIL_SKIP_OR_FAIL(std::string("shared fixture not found: ") + (relative) +              \
                       " (set VIGIL_FIXTURES or place ../shared/data beside the checkout)"); \
  }                                                                                          \
  const std::filesystem::path var = *var##_opt

// Declares `var` as the path of a tool on PATH, skipping (or failing in CI) when absent.
#define VIGIL_REQUIRE_TOOL(var, name)                                     \
  const auto var##_opt = ::vigil::testing::FindTool(name);                \
  if (!var##_opt) {                                                       \
    VIGIL_SKIP_OR_FAIL(std::string("tool not found on PATH: ") + (name) + \
                       " (scripts/install-deps installs it)");            \
  }                                                                       \
  const std::filesystem::path var = *var##_opt
