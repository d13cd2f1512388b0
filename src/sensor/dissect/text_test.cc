#include "sensor/dissect/text.h"

#include <gtest/gtest.h>

#include <string>

namespace vigil::sensor {
namespace {

TEST(SafeText, KeepsPrintableAsciiAndUtf8) {
  EXPECT_EQ(SafeText("pump-12.icu"), "pump-12.icu");
  EXPECT_EQ(SafeText("Gr\xc3\xbc\xc3\x9f"), "Gr\xc3\xbc\xc3\x9f");
}

TEST(SafeText, EscapesControlAndInvalidBytes) {
  EXPECT_EQ(SafeText(std::string("a\0b\r\n", 5)), "a\\x00b\\x0d\\x0a");
  EXPECT_EQ(SafeText("\xff\xc3"), "\\xff\\xc3");
  EXPECT_EQ(SafeText("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // A UTF-16 surrogate.
}

TEST(SafeText, CutsAtACharacterBoundary) {
  EXPECT_EQ(SafeText("abcdef", 4), "abcd");
  EXPECT_EQ(SafeText("ab\xc3\xbc", 3), "ab");
  EXPECT_EQ(SafeText("a\x01", 4), "a");
  EXPECT_EQ(SafeText(std::string(1000, 'x')).size(), kMaxFactBytes);
}

}  // namespace
}  // namespace vigil::sensor
