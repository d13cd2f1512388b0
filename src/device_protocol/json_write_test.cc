#include "device_protocol/json_write.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace vigil::device_protocol::internal {
namespace {

std::string Quote(std::string_view text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

TEST(AppendJsonString, EscapesQuotesBackslashAndControlCharacters) {
  EXPECT_EQ(Quote("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(Quote("\b\f\n\r\t"), R"("\b\f\n\r\t")");
  EXPECT_EQ(Quote(std::string_view("\x00\x01\x1f", 3)), R"("\u0000\u0001\u001f")");
  EXPECT_EQ(Quote("\x7f/"), "\"\x7f/\"");
}

TEST(AppendJsonString, PassesValidUtf8Through) {
  const std::string text =
      "\xc2\xb0"
      "C \xe2\x9c\x93 \xf0\x9f\x92\x89 \xef\xbf\xbf";

  EXPECT_EQ(Quote(text), "\"" + text + "\"");
}

TEST(AppendJsonString, ReplacesInvalidUtf8ByteByByte) {
  const std::string_view kReplacement = "\xef\xbf\xbd";
  const auto replaced = [&](int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += kReplacement;
    return out;
  };

  EXPECT_EQ(Quote("a\xff"
                  "b"),
            "\"a" + replaced(1) + "b\"");
  EXPECT_EQ(Quote("\xc0\xaf"), "\"" + replaced(2) + "\"");          // Overlong '/'.
  EXPECT_EQ(Quote("\xed\xa0\x80"), "\"" + replaced(3) + "\"");      // A surrogate.
  EXPECT_EQ(Quote("\xf4\x90\x80\x80"), "\"" + replaced(4) + "\"");  // Above U+10FFFF.
  EXPECT_EQ(Quote("\xe2\x9c"), "\"" + replaced(2) + "\"");          // Truncated.
}

TEST(JsonWriter, SeparatesMembersAndElements) {
  JsonWriter out;

  out.BeginObject().Key("a").BeginArray().Int(1).Int(-2).BeginObject().EndObject().EndArray();
  out.Key("b").Bool(true).Key("c").Null().EndObject();

  EXPECT_EQ(out.Take(), R"({"a":[1,-2,{}],"b":true,"c":null})");
}

TEST(JsonWriter, WritesShortestRoundTripNumbersAndNullForNonFinite) {
  JsonWriter out;

  out.BeginArray().Number(12.5).Number(0.1).Number(1e21).Number(-0.0);
  out.Number(std::nan("")).Number(std::numeric_limits<double>::infinity()).EndArray();

  EXPECT_EQ(out.Take(), "[12.5,0.1,1e+21,-0,null,null]");
}

TEST(FormatTime, UsesAsFewFractionDigitsAsExact) {
  EXPECT_EQ(FormatTime(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatTime(1'500'000'000), "1970-01-01T00:00:01.500Z");
  EXPECT_EQ(FormatTime(1'000), "1970-01-01T00:00:00.000001Z");
  EXPECT_EQ(FormatTime(-1), "1969-12-31T23:59:59.999999999Z");
}

}  // namespace
}  // namespace vigil::device_protocol::internal
