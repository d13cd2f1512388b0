#include "identity/qr_code.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "crypto/totp.h"
#include "testing/fixtures.h"

namespace vigil::identity {
namespace {

std::string EnrolmentUri() {
  const auto key = crypto::NewTotpKey();
  if (!key) return "";
  return crypto::OtpauthUri("Vigil Hospital", "dr jane:doe@example.org", key->span());
}

// Runs `command` and returns its standard output without the trailing newline; `status` is
// pclose's result (-1 if the command could not be started).
std::string RunCommand(const std::string& command, int& status) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    status = -1;
    return out;
  }
  char buffer[1024];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
  status = ::pclose(pipe);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// The lines of the terminal rendering as rows of code points, each one of the four characters.
std::vector<std::vector<std::string>> TerminalCells(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::vector<std::string> cells;
    for (std::size_t i = 0; i < line.size();) {
      const std::size_t len = static_cast<unsigned char>(line[i]) < 0x80 ? 1 : 3;
      cells.push_back(line.substr(i, len));
      i += len;
    }
    rows.push_back(std::move(cells));
  }
  return rows;
}

TEST(QrSvg, ZbarimgDecodesTheRenderedSvgToTheUri) {
  VIGIL_REQUIRE_TOOL(rsvg, "rsvg-convert");
  VIGIL_REQUIRE_TOOL(zbarimg, "zbarimg");
  vigil::testing::TempDir dir;
  const std::string uri = EnrolmentUri();
  const auto svg = QrSvg(uri);
  ASSERT_TRUE(svg) << svg.error().message;
  std::ofstream(dir / "code.svg") << *svg;

  int status = 0;
  RunCommand(rsvg.string() + " -w 600 -o " + (dir / "code.png").string() + " " +
                 (dir / "code.svg").string() + " 2>&1",
             status);
  ASSERT_EQ(status, 0) << "rsvg-convert failed";
  const std::string decoded = RunCommand(
      zbarimg.string() + " --raw -q " + (dir / "code.png").string() + " 2>/dev/null", status);

  EXPECT_EQ(status, 0);
  EXPECT_EQ(decoded, uri);
}

TEST(QrSvg, IsAStandaloneDocumentWithoutScriptsOrReferences) {
  const auto svg = QrSvg("otpauth://totp/Vigil:ops?secret=GEZDGNBVGY3TQOJQ&issuer=Vigil");

  ASSERT_TRUE(svg) << svg.error().message;
  EXPECT_EQ(svg->rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 0), 0u);
  EXPECT_NE(svg->find("xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos);
  EXPECT_NE(svg->find("shape-rendering=\"crispEdges\""), std::string::npos);
  EXPECT_NE(svg->find("fill=\"#ffffff\""), std::string::npos);
  EXPECT_EQ(svg->find("<path"), svg->rfind("<path"));  // Exactly one path...
  EXPECT_NE(svg->find("<path"), std::string::npos);
  EXPECT_EQ(svg->find("<script"), std::string::npos);
  EXPECT_EQ(svg->find("href"), std::string::npos);
  EXPECT_EQ(svg->find("style"), std::string::npos);
  EXPECT_EQ(svg->find("http", svg->find("http") + 1), std::string::npos);  // Only xmlns.
  EXPECT_EQ(svg->substr(svg->size() - 7), "</svg>\n");
}

TEST(QrSvg, ViewBoxIsTheSymbolPlusAFourModuleQuietZone) {
  // A short text fits version 1: 21 modules, 29 with the quiet zone.
  const auto svg = QrSvg("hello");

  ASSERT_TRUE(svg);
  EXPECT_NE(svg->find("viewBox=\"0 0 29 29\""), std::string::npos);
  EXPECT_EQ(svg->find("M0 "), std::string::npos);           // Nothing dark in the quiet zone.
  EXPECT_NE(svg->find("M4 4h7v1h-7z"), std::string::npos);  // Top of the finder pattern.
}

TEST(QrTerminal, HasHalfAsManyLinesAsModulesAndAQuietZone) {
  const auto text = QrTerminal("hello");  // 29 x 29 modules with the quiet zone.

  ASSERT_TRUE(text) << text.error().message;
  const auto rows = TerminalCells(*text);
  ASSERT_EQ(rows.size(), 15u);
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 29u);
    for (const auto& cell : row) {
      EXPECT_TRUE(cell == " " || cell == "\u2580" || cell == "\u2584" || cell == "\u2588")
          << "'" << cell << "'";
    }
  }
  for (const auto& cell : rows[0]) EXPECT_EQ(cell, "\u2588");   // Modules 0 and 1: quiet.
  for (const auto& cell : rows[14]) EXPECT_EQ(cell, "\u2580");  // Module 28 quiet, then edge.
  for (const auto& cell : rows[1]) EXPECT_EQ(cell, "\u2588");   // Modules 2 and 3: quiet.
  // Line 2 holds module rows 4 and 5: the top-left finder pattern starts at column 4 with
  // its dark edge in both rows, then the dark top edge over the light inner ring.
  EXPECT_EQ(rows[2][3], "\u2588");
  EXPECT_EQ(rows[2][4], " ");
  EXPECT_EQ(rows[2][5], "\u2584");
}

// Reads the terminal rendering back into modules, as a scanner would see it on a dark
// terminal, writes it as a PBM image and lets zbarimg decode it.
TEST(QrTerminal, ZbarimgDecodesItAsShownOnADarkTerminal) {
  VIGIL_REQUIRE_TOOL(zbarimg, "zbarimg");
  vigil::testing::TempDir dir;
  const std::string uri = EnrolmentUri();
  const auto text = QrTerminal(uri);
  ASSERT_TRUE(text) << text.error().message;
  const auto rows = TerminalCells(*text);
  ASSERT_FALSE(rows.empty());
  const std::size_t width = rows[0].size();
  constexpr std::size_t kScale = 6;
  std::vector<std::vector<bool>> dark;  // What the screen shows: spaces are dark background.
  for (const auto& row : rows) {
    std::vector<bool> top, bottom;
    for (const auto& cell : row) {
      top.push_back(!(cell == "\u2588" || cell == "\u2580"));
      bottom.push_back(!(cell == "\u2588" || cell == "\u2584"));
    }
    dark.push_back(top);
    dark.push_back(bottom);
  }
  dark.pop_back();  // The half line below the symbol is not part of it (odd module count).
  std::ostringstream pbm;
  pbm << "P1\n" << width * kScale << " " << dark.size() * kScale << "\n";
  for (const auto& line : dark) {
    for (std::size_t repeat = 0; repeat < kScale; ++repeat) {
      for (const bool module : line) {
        for (std::size_t k = 0; k < kScale; ++k) pbm << (module ? "1 " : "0 ");
      }
      pbm << "\n";
    }
  }
  std::ofstream(dir / "terminal.pbm") << pbm.str();

  int status = 0;
  const std::string decoded = RunCommand(
      zbarimg.string() + " --raw -q " + (dir / "terminal.pbm").string() + " 2>/dev/null", status);

  EXPECT_EQ(status, 0);
  EXPECT_EQ(decoded, uri);
}

TEST(QrCode, LargestTextAtLevelMFitsAndOneByteMoreDoesNot) {
  const std::string largest(2331, 'x');

  const auto fits = QrSvg(largest);
  const auto too_long = QrSvg(largest + "x");
  const auto terminal_too_long = QrTerminal(std::string(5000, 'x'));

  EXPECT_TRUE(fits) << fits.error().message;
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(too_long.error().message.find("too long"), std::string::npos);
  ASSERT_FALSE(terminal_too_long);
  EXPECT_EQ(terminal_too_long.error().code, ErrorCode::kInvalidArgument);
}

TEST(QrCode, EmptyTextIsInvalidArgument) {
  const auto svg = QrSvg("");

  ASSERT_FALSE(svg);
  EXPECT_EQ(svg.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace vigil::identity
