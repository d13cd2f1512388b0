#include "core/id.h"

#include <gtest/gtest.h>

#include <set>

namespace vigil {
namespace {

TEST(Id, RandomIdsDiffer) {
  std::set<Id> ids;

  for (int i = 0; i < 1000; ++i) ids.insert(Id::Random());

  EXPECT_EQ(ids.size(), 1000u);
  EXPECT_FALSE(ids.begin()->is_zero());
}

TEST(Id, ParsesItsOwnText) {
  const Id id = Id::Random();

  const auto parsed = Id::Parse(id.ToString());

  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, id);
  EXPECT_EQ(id.ToString().size(), 32u);
}

TEST(Id, RejectsWrongLengthOrDigits) {
  EXPECT_FALSE(Id::Parse("abc"));
  EXPECT_FALSE(Id::Parse(std::string(32, 'x')));
  EXPECT_TRUE(Id().is_zero());
}

}  // namespace
}  // namespace vigil
