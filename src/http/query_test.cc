#include "http/query.h"

#include <gtest/gtest.h>

namespace vigil::http {
namespace {

TEST(Query, FindsAndDecodesValues) {
  const std::string query = "metric=cpu.percent&from=2026-11-28T10%3A00%3A00Z&q=a+b&flag";

  EXPECT_EQ(QueryValue(query, "metric").value(), "cpu.percent");
  EXPECT_EQ(QueryValue(query, "from").value(), "2026-11-28T10:00:00Z");
  EXPECT_EQ(QueryValue(query, "q").value(), "a b");
  EXPECT_EQ(QueryValue(query, "flag").value(), "");
  EXPECT_FALSE(QueryValue(query, "to"));
  EXPECT_FALSE(QueryValue(query, "metri"));
}

TEST(Query, RefusesBrokenPercentEncoding) {
  EXPECT_FALSE(QueryValue("a=%4", "a"));
  EXPECT_FALSE(QueryValue("a=%zz", "a"));
  EXPECT_FALSE(QueryValue("a=%", "a"));
}

TEST(Query, ReadsIntegers) {
  std::int64_t v = 7;
  EXPECT_TRUE(ReadQueryInt("limit=25", "limit", v));
  EXPECT_EQ(v, 25);
  EXPECT_TRUE(ReadQueryInt("other=1", "limit", v));
  EXPECT_EQ(v, 25);
  EXPECT_FALSE(ReadQueryInt("limit=2x", "limit", v));
  EXPECT_FALSE(ReadQueryInt("limit=", "limit", v));
}

}  // namespace
}  // namespace vigil::http
