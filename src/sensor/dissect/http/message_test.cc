#include "sensor/dissect/http/message.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace vigil::sensor::http {
namespace {

std::span<const std::uint8_t> Bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

ParseStatus Parse(std::string_view text, Head& head) {
  std::size_t scanned = 0;
  return ParseHead(Bytes(text), head, scanned);
}

TEST(ParseHead, ReadsRequestLineAndFields) {
  constexpr std::string_view kText =
      "POST /api/v1/patient/123 HTTP/1.1\r\nhost: pump-12.ward\r\nUser-Agent:  Pump/1.0 \r\n"
      "Authorization: Basic dTpw\r\nContent-Length: 42\r\n\r\nbody";
  Head head;

  ASSERT_EQ(Parse(kText, head), ParseStatus::kOk);

  EXPECT_TRUE(head.request);
  EXPECT_EQ(head.method, "POST");
  EXPECT_EQ(head.target, "/api/v1/patient/123");
  EXPECT_EQ(head.version, "HTTP/1.1");
  EXPECT_EQ(head.host, "pump-12.ward");
  EXPECT_EQ(head.user_agent, "Pump/1.0");
  EXPECT_EQ(head.authorization_scheme, "Basic");
  EXPECT_EQ(head.content_length, 42u);
  EXPECT_EQ(head.size, kText.size() - 4);
}

TEST(ParseHead, ReadsStatusLineAndServer) {
  Head head;

  ASSERT_EQ(Parse("HTTP/1.0 204 No Content\nServer: nginx/1.22.1\nTransfer-Encoding: gzip, "
                  "Chunked\n\n",
                  head),
            ParseStatus::kOk);

  EXPECT_FALSE(head.request);
  EXPECT_EQ(head.status, 204);
  EXPECT_EQ(head.server, "nginx/1.22.1");
  EXPECT_TRUE(head.chunked);
  EXPECT_FALSE(head.content_length);
}

TEST(ParseHead, IncompleteUntilTheBlankLine) {
  const std::string text = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  for (std::size_t n = 0; n < text.size(); ++n) {
    Head head;
    EXPECT_EQ(Parse(text.substr(0, n), head), ParseStatus::kIncomplete) << n;
  }
}

TEST(ParseHead, ResumesSearchWhereItStopped) {
  const std::string text = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  std::size_t scanned = 0;
  Head head;

  for (std::size_t n = 1; n < text.size(); ++n) {
    ASSERT_EQ(ParseHead(Bytes(std::string_view(text).substr(0, n)), head, scanned),
              ParseStatus::kIncomplete);
  }

  ASSERT_EQ(ParseHead(Bytes(text), head, scanned), ParseStatus::kOk);
  EXPECT_EQ(head.host, "a");
  EXPECT_EQ(scanned, 0u);
}

TEST(ParseHead, SkipsLeadingEmptyLinesAndFoldsAndJunkLines) {
  Head head;

  ASSERT_EQ(Parse("\r\nGET / HTTP/1.1\r\n folded\r\nnocolon\r\n: x\r\nHost: h\r\n\r\n", head),
            ParseStatus::kOk);

  EXPECT_EQ(head.method, "GET");
  EXPECT_EQ(head.host, "h");
}

TEST(ParseHead, RejectsWhatIsNotHttp) {
  Head head;

  EXPECT_EQ(Parse("SSH-2.0-OpenSSH\r\n\r\n", head), ParseStatus::kInvalid);
  EXPECT_EQ(Parse("GET /\r\n\r\n", head), ParseStatus::kInvalid);
  EXPECT_EQ(Parse("FETCH / HTTP/1.1\r\n\r\n", head), ParseStatus::kInvalid);
  EXPECT_EQ(Parse("HTTP/2.0 200 OK\r\n\r\n", head), ParseStatus::kInvalid);
  EXPECT_EQ(Parse("HTTP/1.1 2x0 OK\r\n\r\n", head), ParseStatus::kInvalid);
  EXPECT_EQ(Parse("GET / HTTP/1.1\r\nX: " + std::string(kMaxHeadBytes, 'a'), head),
            ParseStatus::kInvalid);
}

TEST(ParseHead, RefusesBytesThatCannotStartAHeadWithoutWaitingForMore) {
  Head head;

  EXPECT_EQ(Parse(std::string("\x17\x03\x03\x01\x00", 5), head), ParseStatus::kInvalid);
  EXPECT_EQ(Parse("GEX", head), ParseStatus::kInvalid);
  EXPECT_EQ(Parse("SSH-2.0-Open", head), ParseStatus::kInvalid);
  EXPECT_EQ(Parse("POSTMAN ", head), ParseStatus::kInvalid);
  EXPECT_EQ(Parse("HTTP/1.1X", head), ParseStatus::kInvalid);
  EXPECT_EQ(Parse("\r\nZ", head), ParseStatus::kInvalid);
  // Starts of heads wait.
  EXPECT_EQ(Parse("", head), ParseStatus::kIncomplete);
  EXPECT_EQ(Parse("\r\n", head), ParseStatus::kIncomplete);
  EXPECT_EQ(Parse("PROPPA", head), ParseStatus::kIncomplete);
  EXPECT_EQ(Parse("HTTP/1", head), ParseStatus::kIncomplete);
  EXPECT_EQ(Parse("HTTP/1.1", head), ParseStatus::kIncomplete);
  EXPECT_EQ(Parse("GET /index.html HTTP/1.1\r\nHost: a", head), ParseStatus::kIncomplete);
}

TEST(ParseHead, BadContentLengthIsAbsent) {
  Head head;

  ASSERT_EQ(Parse("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", head),
            ParseStatus::kOk);

  EXPECT_FALSE(head.content_length);
}

TEST(ParseChunkLine, ReadsHexSizeAndExtensions) {
  bool incomplete = true;

  const auto chunk = ParseChunkLine(Bytes("1A;name=v\r\ndata"), incomplete);

  ASSERT_TRUE(chunk);
  EXPECT_EQ(chunk->size, 26u);
  EXPECT_EQ(chunk->line_bytes, 11u);
  EXPECT_FALSE(incomplete);
  EXPECT_FALSE(ParseChunkLine(Bytes("1A"), incomplete));
  EXPECT_TRUE(incomplete);
  EXPECT_FALSE(ParseChunkLine(Bytes("zz\r\n"), incomplete));
  EXPECT_FALSE(incomplete);
  EXPECT_FALSE(ParseChunkLine(Bytes("1234567890abcdef0\r\n"), incomplete));
}

}  // namespace
}  // namespace vigil::sensor::http
