#include "sensor/dissect/telnet/message.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vigil::sensor::telnet {
namespace {

std::span<const std::uint8_t> Bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// Scans `text` whole and lists the events in order, with the line or prompt text.
std::vector<std::string> Events(TelnetScanner& scanner, std::string_view text) {
  std::vector<std::string> events;
  auto rest = Bytes(text);
  while (!rest.empty()) {
    std::size_t consumed = 0;
    Event event = scanner.Scan(rest, consumed);
    rest = rest.subspan(consumed);
    if (event == Event::kLine) events.push_back("line " + std::string(scanner.line()));
    if (event == Event::kPrompt) events.push_back("prompt " + std::string(scanner.prompt()));
  }
  return events;
}

TEST(StartsWithNegotiation, SeesOptionCommands) {
  EXPECT_TRUE(StartsWithNegotiation(Bytes("\xff\xfd\x18")));
  EXPECT_TRUE(StartsWithNegotiation(Bytes("\xff\xfa\x18\x01\xff\xf0")));
  EXPECT_FALSE(StartsWithNegotiation(Bytes("\xff\xf1\x00")));  // NOP.
  EXPECT_FALSE(StartsWithNegotiation(Bytes("login:")));
  EXPECT_FALSE(StartsWithNegotiation(Bytes("\xff\xfd")));
}

TEST(TelnetScanner, FindsBannerAndPromptAmongCommands) {
  TelnetScanner scanner;

  const auto events = Events(scanner,
                             "\xff\xfd\x18\xff\xfd\x20\xff\xfa\x18\x01\xff\xf0\xff\xfb\x01"
                             "\r\n\r\nInfusion Gateway 2.1 (ttyp0)\r\n\r\npump-gw Login: ");

  EXPECT_EQ(events,
            (std::vector<std::string>{"line Infusion Gateway 2.1 (ttyp0)", "prompt login:"}));
  EXPECT_TRUE(scanner.negotiated());
}

TEST(TelnetScanner, FindsPromptsInAnyCase) {
  TelnetScanner a, b;

  EXPECT_EQ(Events(a, "USERNAME:"), std::vector<std::string>{"prompt username:"});
  EXPECT_EQ(Events(b, "Password: "), std::vector<std::string>{"prompt password:"});
}

TEST(TelnetScanner, NeverReportsALineAfterAPrompt) {
  TelnetScanner scanner;

  const auto events = Events(scanner, "login: alice\r\nsecond line\r\n");

  EXPECT_EQ(events, std::vector<std::string>{"prompt login:"});
  EXPECT_TRUE(scanner.line().empty());
}

TEST(TelnetScanner, SameEventsWhenCommandsAreSplit) {
  // NAWS subnegotiation with a NUL and an escaped IAC inside.
  const std::string text("\xff\xfb\x01\xff\xfa\x1f\x00\x50\xff\xff\xff\xf0Welcome\r\nlogin:", 27);
  TelnetScanner whole;
  const auto expected = Events(whole, text);

  for (std::size_t cut = 1; cut < text.size(); ++cut) {
    TelnetScanner scanner;
    auto events = Events(scanner, text.substr(0, cut));
    const auto more = Events(scanner, text.substr(cut));
    events.insert(events.end(), more.begin(), more.end());
    EXPECT_EQ(events, expected) << cut;
  }
  EXPECT_EQ(expected, (std::vector<std::string>{"line Welcome", "prompt login:"}));
}

TEST(TelnetScanner, KeepsEscapedIacAsTextAndCutsLongLines) {
  TelnetScanner scanner;

  const auto events = Events(scanner, "a\xff\xff" + std::string(500, 'b') + "\n");

  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(scanner.line().size(), kMaxLineBytes);
  EXPECT_EQ(scanner.line().substr(0, 2), "a\xff");
}

}  // namespace
}  // namespace vigil::sensor::telnet
