#include "inventory/oui_registry.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace vigil::inventory {
namespace {

MacAddress Mac(const char* text) { return *MacAddress::Parse(text); }

constexpr const char* kMal =
    "Registry,Assignment,Organization Name,Organization Address\r\n"
    "MA-L,00095B,\"Netgear, Inc.\",\"350 East Plumeria Drive San Jose CA US 95134 \"\r\n"
    "MA-L,70B3D5,IEEE Registration Authority,445 Hoes Lane Piscataway NJ US 08554\r\n";
constexpr const char* kMas =
    "Registry,Assignment,Organization Name,Organization Address\n"
    "MA-S,70B3D5E8A,Example Infusion Systems,Somewhere\n";

TEST(OuiRegistry, TheLongestAssignmentWins) {
  OuiRegistry r;
  ASSERT_TRUE(r.AddCsv(kMal, "oui.csv"));
  ASSERT_TRUE(r.AddCsv(kMas, "oui36.csv"));

  EXPECT_EQ(r.Lookup(Mac("00:09:5b:12:34:56")), "Netgear, Inc.");
  EXPECT_EQ(r.Lookup(Mac("70:b3:d5:e8:a1:23")), "Example Infusion Systems");
  EXPECT_EQ(r.Lookup(Mac("70:b3:d5:e8:b1:23")), "IEEE Registration Authority");
  EXPECT_FALSE(r.Lookup(Mac("00:00:01:00:00:00")).has_value());
  EXPECT_EQ(r.size(), 3u);
}

TEST(OuiRegistry, RandomisedAndMulticastAddressesHaveNoOwner) {
  OuiRegistry r;
  ASSERT_TRUE(r.AddCsv(kMal, "oui.csv"));

  EXPECT_FALSE(r.Lookup(Mac("02:09:5b:12:34:56")).has_value());
  EXPECT_FALSE(r.Lookup(Mac("01:09:5b:12:34:56")).has_value());
}

TEST(OuiRegistry, MalformedRowsNameTheLine) {
  OuiRegistry r;

  auto bad_hex = r.AddCsv("Registry,Assignment,Organization Name\nMA-L,00XY5B,Acme\n", "oui.csv");
  auto open_quote = r.AddCsv("MA-L,00095B,\"Acme\n", "mam.csv");
  auto short_row = r.AddCsv("MA-L,00095B\n", "x.csv");

  ASSERT_FALSE(bad_hex);
  EXPECT_EQ(bad_hex.error().message,
            "oui.csv:2: assignment \"00XY5B\" is not 6, 7 or 9 hex digits");
  ASSERT_FALSE(open_quote);
  EXPECT_NE(open_quote.error().message.find("mam.csv:1: a quoted field is never closed"),
            std::string::npos);
  ASSERT_FALSE(short_row);
}

TEST(OuiRegistry, ReadsDebiansIeeeData) {
  std::filesystem::path dir = "/usr/share/ieee-data";
  if (!std::filesystem::exists(dir / "oui.csv")) GTEST_SKIP() << "ieee-data is not installed";
  OuiRegistry r;
  for (const char* name : {"oui.csv", "mam.csv", "oui36.csv", "iab.csv"}) {
    std::ifstream in(dir / name, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    auto added = r.AddCsv(text.str(), name);
    ASSERT_TRUE(added) << added.error().message;
  }

  EXPECT_GT(r.size(), 40000u);
  // Assignments that do not move: Xerox's 00:00:00 and Cisco's 00:00:0C.
  EXPECT_NE(std::string(r.Lookup(Mac("00:00:0c:12:34:56")).value_or("")).find("Cisco"),
            std::string::npos);
}

}  // namespace
}  // namespace vigil::inventory
