#include "http/wire.h"

#include <gtest/gtest.h>

namespace vigil::http {
namespace {

using Progress = RequestReader::Progress;

// Feeds all of `bytes`; returns the final progress and how many bytes were used.
Progress Feed(RequestReader& reader, std::string_view bytes, std::size_t* used = nullptr) {
  std::size_t consumed = 0;
  const Progress progress = reader.Put(bytes, consumed);
  if (used != nullptr) {
    *used = consumed;
  }
  return progress;
}

std::string Serialize(Response response, bool keep_alive = true, bool head = false) {
  int status = 0;
  std::size_t body_bytes = 0;
  return SerializeResponse(std::move(response), 11, keep_alive, head, status, body_bytes);
}

bool HasLine(const std::string& wire, std::string_view line) {
  return wire.find("\r\n" + std::string(line) + "\r\n") != std::string::npos;
}

TEST(RequestReader, ParsesRequestAndLeavesPipelinedBytes) {
  RequestReader reader(16384, 1024);
  const std::string first =
      "POST /api/v1/devices?page=2&q=a?b HTTP/1.1\r\nHost: x\r\nX-Request-ID: Abc\r\n"
      "Content-Length: 2\r\n\r\n{}";
  std::size_t used = 0;

  const Progress progress = Feed(reader, first + "GET / HTTP/1.1\r\n", &used);

  ASSERT_EQ(progress, Progress::kDone);
  EXPECT_EQ(used, first.size());
  auto request = reader.TakeRequest("127.0.0.1:5000");
  ASSERT_TRUE(request);
  EXPECT_EQ(request->method, "POST");
  EXPECT_EQ(request->path, "/api/v1/devices");
  EXPECT_EQ(request->query, "page=2&q=a?b");
  ASSERT_NE(request->FindHeader("x-request-id"), nullptr);
  EXPECT_EQ(*request->FindHeader("x-request-id"), "Abc");
  EXPECT_EQ(request->body, "{}");
  EXPECT_EQ(request->remote_address, "127.0.0.1:5000");
  EXPECT_TRUE(reader.keep_alive());
}

TEST(RequestReader, RemembersConnectionCloseAfterTakeRequest) {
  RequestReader reader(16384, 1024);
  ASSERT_EQ(Feed(reader, "HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
            Progress::kDone);

  ASSERT_TRUE(reader.TakeRequest("-"));

  EXPECT_FALSE(reader.keep_alive());
  EXPECT_TRUE(reader.head());
  EXPECT_EQ(reader.version(), 11u);
}

TEST(RequestReader, Http10ClosesByDefault) {
  RequestReader reader(16384, 1024);
  ASSERT_EQ(Feed(reader, "GET / HTTP/1.0\r\n\r\n"), Progress::kDone);

  ASSERT_TRUE(reader.TakeRequest("-"));

  EXPECT_FALSE(reader.keep_alive());
  EXPECT_EQ(reader.version(), 10u);
}

TEST(RequestReader, AsksForMoreUntilHeaderEnds) {
  RequestReader reader(16384, 1024);

  EXPECT_EQ(Feed(reader, "GET /healthz HTTP/1.1\r\nHo"), Progress::kNeedMore);
}

TEST(RequestReader, Refuses431ForLargeHeader) {
  RequestReader reader(1024, 1024);
  const std::string request = "GET / HTTP/1.1\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n";

  ASSERT_EQ(Feed(reader, request), Progress::kFailed);
  EXPECT_EQ(reader.Refusal().status, 431);
}

TEST(RequestReader, Refuses413ForDeclaredLargeBody) {
  RequestReader reader(16384, 10);

  ASSERT_EQ(Feed(reader, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n"),
            Progress::kFailed);
  EXPECT_EQ(reader.Refusal().status, 413);
}

TEST(RequestReader, Refuses413ForLargeChunkedBody) {
  RequestReader reader(16384, 10);

  ASSERT_EQ(Feed(reader,
                 "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                 "b\r\n01234567890\r\n0\r\n\r\n"),
            Progress::kFailed);
  EXPECT_EQ(reader.Refusal().status, 413);
}

TEST(RequestReader, Refuses400ForGarbage) {
  RequestReader reader(16384, 1024);

  ASSERT_EQ(Feed(reader, "\x16\x03\x01\x02\x00 not http\r\n\r\n"), Progress::kFailed);
  EXPECT_EQ(reader.Refusal().status, 400);
}

TEST(RequestReader, JustClosesWhenPeerLeavesMidRequest) {
  RequestReader reader(16384, 1024);
  ASSERT_EQ(Feed(reader, "GET / HTTP/1.1\r\n"), Progress::kNeedMore);

  EXPECT_EQ(reader.PutEof(), Progress::kFailed);
  EXPECT_EQ(reader.Refusal().status, 0);
}

TEST(RequestReader, Refuses400ForAmbiguousFraming) {
  // Both length mechanisms, or two different lengths, are how requests get smuggled past
  // proxies (RFC 9112 section 6.3); the parser must refuse them rather than pick one.
  const char* const cases[] = {
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
  };
  for (const char* request : cases) {
    RequestReader reader(16384, 1024);

    EXPECT_EQ(Feed(reader, request), Progress::kFailed) << request;
    EXPECT_EQ(reader.Refusal().status, 400) << request;
  }
}

TEST(RequestReader, WantsContinueAfterHeaderWithExpect) {
  RequestReader reader(16384, 1024);

  ASSERT_EQ(Feed(reader,
                 "PUT / HTTP/1.1\r\nHost: x\r\nExpect: 100-Continue\r\n"
                 "Content-Length: 5\r\n\r\n"),
            Progress::kNeedMore);
  EXPECT_TRUE(reader.WantsContinue());
}

TEST(RequestReader, RefusesAbsoluteFormTarget) {
  RequestReader reader(16384, 1024);
  ASSERT_EQ(Feed(reader, "GET http://evil.example/ HTTP/1.1\r\nHost: x\r\n\r\n"), Progress::kDone);

  const auto request = reader.TakeRequest("-");

  ASSERT_FALSE(request);
  EXPECT_EQ(request.error().status, 400);
}

TEST(RequestReader, RefusesHttp11WithoutHost) {
  RequestReader reader(16384, 1024);
  ASSERT_EQ(Feed(reader, "GET / HTTP/1.1\r\n\r\n"), Progress::kDone);

  const auto request = reader.TakeRequest("-");

  ASSERT_FALSE(request);
  EXPECT_EQ(request.error().status, 400);
}

TEST(SerializeResponse, AddsSecurityHeadersAndLength) {
  const std::string wire = Serialize(JsonResponse(200, R"({"a":1})"));

  EXPECT_EQ(wire.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << wire;
  EXPECT_TRUE(HasLine(wire, "Strict-Transport-Security: max-age=63072000; includeSubDomains"));
  EXPECT_TRUE(HasLine(wire, "X-Content-Type-Options: nosniff"));
  EXPECT_TRUE(HasLine(wire, "X-Frame-Options: DENY"));
  EXPECT_TRUE(HasLine(wire, "Referrer-Policy: no-referrer"));
  EXPECT_TRUE(HasLine(wire, "Cache-Control: no-store"));
  EXPECT_TRUE(HasLine(wire, "Content-Type: application/json"));
  EXPECT_TRUE(HasLine(wire, "Content-Length: 7"));
  EXPECT_EQ(wire.substr(wire.size() - 11), "\r\n\r\n{\"a\":1}");
}

TEST(SerializeResponse, LetsHandlerReplaceDefaultsButNotFraming) {
  Response response{.status = 200, .content_type = "text/html", .body = "<p>"};
  response.headers = {{"Content-Security-Policy", "default-src 'none'"},
                      {"Content-Length", "999"},
                      {"Transfer-Encoding", "chunked"},
                      {"X-Injected", "a\r\nSet-Cookie: x=1"},
                      {"Bad Name", "v"},
                      {"X-Fine", "yes"}};

  const std::string wire = Serialize(std::move(response), false);

  EXPECT_TRUE(HasLine(wire, "Content-Security-Policy: default-src 'none'"));
  EXPECT_EQ(wire.find("frame-ancestors"), std::string::npos);
  EXPECT_TRUE(HasLine(wire, "Content-Length: 3"));
  EXPECT_EQ(wire.find("Transfer-Encoding"), std::string::npos);
  EXPECT_EQ(wire.find("Set-Cookie"), std::string::npos);
  EXPECT_EQ(wire.find("Bad Name"), std::string::npos);
  EXPECT_TRUE(HasLine(wire, "X-Fine: yes"));
  EXPECT_TRUE(HasLine(wire, "Connection: close"));
}

TEST(SerializeResponse, HeadKeepsLengthWithoutBody) {
  const std::string wire = Serialize(JsonResponse(200, "12345"), true, true);

  EXPECT_TRUE(HasLine(wire, "Content-Length: 5"));
  EXPECT_EQ(wire.substr(wire.size() - 4), "\r\n\r\n");
}

TEST(SerializeResponse, ReplacesImpossibleStatusWith500) {
  int status = 0;
  std::size_t body_bytes = 0;

  const std::string wire =
      SerializeResponse(Response{.status = 42}, 11, true, false, status, body_bytes);

  EXPECT_EQ(status, 500);
  EXPECT_EQ(wire.rfind("HTTP/1.1 500 Internal Server Error\r\n", 0), 0u);
}

TEST(SerializeResponse, SendsNoBodyFor204) {
  const std::string wire = Serialize(Response{.status = 204, .body = "x"});

  EXPECT_EQ(wire.rfind("HTTP/1.1 204 No Content\r\n", 0), 0u);
  EXPECT_EQ(wire.substr(wire.size() - 4), "\r\n\r\n");
  EXPECT_EQ(wire.find("\r\nContent-Type:"), std::string::npos);
}

TEST(LogSafe, ReplacesControlCharacters) { EXPECT_EQ(LogSafe("/a b\n\x1b[31m"), "/a?b??[31m"); }

}  // namespace
}  // namespace vigil::http
