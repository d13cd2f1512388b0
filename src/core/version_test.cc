#include "core/version.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "testing/fixtures.h"

namespace vigil {
namespace {

std::string Trim(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  return s;
}

TEST(Version, OrderingTableHolds) {
  const auto path = testing::SourceDir() / "src/core/testdata/version_order.txt";
  std::ifstream in(path);
  ASSERT_TRUE(in) << "cannot read " << path;
  std::string line;
  int checked = 0;

  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto p1 = line.find(" | ");
    const auto p2 = line.find(" | ", p1 + 3);
    ASSERT_NE(p2, std::string::npos) << line;
    const auto left = Version::Parse(Trim(line.substr(0, p1)));
    const std::string op = Trim(line.substr(p1 + 3, p2 - p1 - 3));
    const auto right = Version::Parse(Trim(line.substr(p2 + 3)));
    ASSERT_TRUE(left && right) << line;

    if (op == "<") {
      EXPECT_LT(*left, *right) << line;
      EXPECT_GT(*right, *left) << line;
    } else if (op == "==") {
      EXPECT_EQ(*left, *right) << line;
      EXPECT_EQ(*right, *left) << line;
    } else {
      ADD_FAILURE() << "unknown operator in " << line;
    }
    ++checked;
  }

  EXPECT_GE(checked, 30);
}

TEST(Version, KeepsOriginalText) {
  const auto v = Version::Parse("  V2.03b ");

  ASSERT_TRUE(v);
  EXPECT_EQ(v->text(), "V2.03b");
  ASSERT_EQ(v->segments().size(), 3u);
  EXPECT_EQ(v->segments()[1].text, "3");
  EXPECT_EQ(v->segments()[2].text, "b");
}

TEST(Version, RejectsTextWithoutNumbers) {
  EXPECT_FALSE(Version::Parse(""));
  EXPECT_FALSE(Version::Parse("   "));
  EXPECT_FALSE(Version::Parse("latest"));
  EXPECT_FALSE(Version::Parse("1.0\x01"));
  EXPECT_FALSE(Version::Parse("1.0\xc3\xa9"));
  EXPECT_FALSE(Version::Parse(std::string(129, '1')));
}

TEST(Version, ErrorNamesTheProblem) {
  const auto v = Version::Parse("1.2;3");

  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(v.error().message.find("offset 3"), std::string::npos) << v.error().message;
}

}  // namespace
}  // namespace vigil
