#include "agent/metrics/user_metrics.h"

#include <gtest/gtest.h>

#include <string>

namespace vigil::agent {
namespace {

constexpr std::int64_t kNow = 1'700'000'000'000'000'000;

TEST(ParseUserMetrics, ReadsTheObjectFormInOrder) {
  const auto points = ParseUserMetrics(R"({"pump.battery_percent": 87, "alarms": 0.5})", kNow);

  ASSERT_TRUE(points) << points.error().message;
  ASSERT_EQ(points->size(), 2u);
  EXPECT_EQ(
      (*points)[0],
      (model::MetricPoint{.name = "pump.battery_percent", .value = 87, .time_unix_nanos = kNow}));
  EXPECT_EQ((*points)[1].name, "alarms");
  EXPECT_DOUBLE_EQ((*points)[1].value, 0.5);
}

TEST(ParseUserMetrics, ReadsTheArrayFormWithUnits) {
  const auto points = ParseUserMetrics(
      R"([{"name": "pump.battery", "value": 87, "unit": "%"}, {"name": "flow", "value": -2}])",
      kNow);

  ASSERT_TRUE(points) << points.error().message;
  ASSERT_EQ(points->size(), 2u);
  EXPECT_EQ((*points)[0].unit, "%");
  EXPECT_EQ((*points)[1].unit, "");
  EXPECT_DOUBLE_EQ((*points)[1].value, -2);
  EXPECT_EQ((*points)[1].time_unix_nanos, kNow);
}

TEST(ParseUserMetrics, AcceptsTheGatewaysNamesAndUnits) {
  const auto points =
      ParseUserMetrics(R"([{"name": "pump/1:temp", "value": 36.6, "unit": "\u00b0C"}])", kNow);

  ASSERT_TRUE(points) << points.error().message;
  EXPECT_EQ((*points)[0].name, "pump/1:temp");
  EXPECT_EQ((*points)[0].unit, "\u00b0C");
}

TEST(ParseUserMetrics, AcceptsEmptyDocuments) {
  EXPECT_TRUE(ParseUserMetrics("{}", kNow).value().empty());
  EXPECT_TRUE(ParseUserMetrics("[]", kNow).value().empty());
}

TEST(ParseUserMetrics, NamesTheBadEntry) {
  const auto points = ParseUserMetrics(R"({"ok": 1, "bad name": 2})", kNow);

  ASSERT_FALSE(points);
  EXPECT_EQ(points.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(points.error().message.find("entry 2"), std::string::npos) << points.error().message;
}

TEST(ParseUserMetrics, RejectsWhatIsNotAMetric) {
  EXPECT_FALSE(ParseUserMetrics("not json", kNow));
  EXPECT_FALSE(ParseUserMetrics("42", kNow));
  EXPECT_FALSE(ParseUserMetrics(R"({"a": "87"})", kNow));
  EXPECT_FALSE(ParseUserMetrics(R"({"a": true})", kNow));
  EXPECT_FALSE(ParseUserMetrics(R"({"a": null})", kNow));
  EXPECT_FALSE(ParseUserMetrics(R"({"a b": 1})", kNow));
  EXPECT_FALSE(ParseUserMetrics(R"({"a\u00e9": 1})", kNow));
  EXPECT_FALSE(ParseUserMetrics(R"({"": 1})", kNow));
  EXPECT_FALSE(ParseUserMetrics(R"([{"value": 1}])", kNow));
  EXPECT_FALSE(ParseUserMetrics(R"([{"name": "a"}])", kNow));
  EXPECT_FALSE(ParseUserMetrics(R"([{"name": "a", "value": 1, "unit": 5}])", kNow));
  EXPECT_FALSE(ParseUserMetrics(R"([{"name": "a", "value": 1, "unit": "a\nb"}])", kNow));
  EXPECT_FALSE(ParseUserMetrics(
      R"([{"name": "a", "value": 1, "unit": "thirty-three-bytes-of-unit-text!!"}])", kNow));
  EXPECT_FALSE(ParseUserMetrics(R"([1])", kNow));
}

TEST(ParseUserMetrics, LimitsNameLength) {
  const std::string ok(128, 'a');
  const std::string too_long(129, 'a');

  EXPECT_TRUE(ParseUserMetrics("{\"" + ok + "\": 1}", kNow));
  EXPECT_FALSE(ParseUserMetrics("{\"" + too_long + "\": 1}", kNow));
}

TEST(ParseUserMetrics, LimitsEntriesAndSize) {
  std::string many = "{";
  for (std::size_t i = 0; i <= kMaxUserMetrics; ++i) {
    many += (i ? ",\"m" : "\"m") + std::to_string(i) + "\":1";
  }
  many += "}";
  const std::string big = "[" + std::string(kMaxUserMetricsBytes, ' ') + "]";

  EXPECT_EQ(ParseUserMetrics(many, kNow).error().code, ErrorCode::kResourceExhausted);
  EXPECT_EQ(ParseUserMetrics(big, kNow).error().code, ErrorCode::kResourceExhausted);
}

}  // namespace
}  // namespace vigil::agent
