// The HTTPS server against real clients: curl for HTTP semantics, openssl s_client for the TLS
// policy. Each test starts its own server on 127.0.0.1 port 0.

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "command.h"
#include "test_server.h"

namespace vigil::http::testing {
namespace {

// Splits curl -i output at the blank line after the (last) header block.
struct CurlResponse {
  std::string head;
  std::string body;
};

CurlResponse SplitCurl(const std::string& output) {
  const std::size_t end = output.rfind("\r\n\r\n");
  if (end == std::string::npos) {
    return {.head = output, .body = ""};
  }
  return {.head = output.substr(0, end + 2), .body = output.substr(end + 4)};
}

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    curl_ = ::vigil::testing::FindTool("curl").value_or("").string();
    openssl_ = ::vigil::testing::FindTool("openssl").value_or("").string();
    if (curl_.empty() || openssl_.empty()) {
      VIGIL_SKIP_OR_FAIL("curl and openssl are needed on PATH");
    }
    ASSERT_TRUE(server_.ok()) << server_.error();
  }

  CommandResult Curl(const std::string& arguments) {
    return RunCommand(curl_ + " -sk -i --max-time 15 " + arguments + " < /dev/null");
  }

  CommandResult SClient(const std::string& arguments, const std::string& input = "/dev/null") {
    return RunCommand(openssl_ + " s_client -connect " + server_.HostPort() + " " + arguments +
                      " < " + input);
  }

  TestServer server_{[](ServerOptions& options) { options.max_body_bytes = 1024; }};
  std::string curl_;
  std::string openssl_;
};

TEST_F(HttpServerTest, CurlGetsHealthzWithSecurityHeaders) {
  const CommandResult result = Curl(server_.Url("/healthz"));

  ASSERT_EQ(result.exit_code, 0) << result.output;
  const CurlResponse response = SplitCurl(result.output);
  EXPECT_EQ(response.head.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << response.head;
  EXPECT_EQ(response.body, R"({"status":"ok"})");
  for (const char* header : {
           "Strict-Transport-Security: max-age=63072000; includeSubDomains\r\n",
           "X-Content-Type-Options: nosniff\r\n",
           "X-Frame-Options: DENY\r\n",
           "Content-Security-Policy: default-src 'self'; img-src 'self' data:; frame-ancestors "
           "'none'; base-uri 'none'; "
           "form-action 'self'; object-src 'none'\r\n",
           "Referrer-Policy: no-referrer\r\n",
           "Cache-Control: no-store\r\n",
           "Content-Type: application/json\r\n",
       }) {
    EXPECT_NE(response.head.find(header), std::string::npos) << header << " in\n" << response.head;
  }
}

TEST_F(HttpServerTest, CurlGetsVersion) {
  const CommandResult result = Curl(server_.Url("/api/v1/version"));

  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(SplitCurl(result.output).body, R"({"name":"vigil","version":"9.9.9-test"})");
}

TEST_F(HttpServerTest, UnknownPathIs404Json) {
  const CommandResult result = Curl(server_.Url("/nope"));

  const CurlResponse response = SplitCurl(result.output);
  EXPECT_EQ(response.head.rfind("HTTP/1.1 404 Not Found\r\n", 0), 0u) << result.output;
  EXPECT_EQ(response.body, R"({"error":{"code":"not_found","message":"no route for this path"}})");
  EXPECT_NE(response.head.find("X-Frame-Options: DENY"), std::string::npos);
}

TEST_F(HttpServerTest, WrongMethodIs405WithAllow) {
  const CommandResult result = Curl("-X DELETE " + server_.Url("/healthz"));

  const CurlResponse response = SplitCurl(result.output);
  EXPECT_EQ(response.head.rfind("HTTP/1.1 405 Method Not Allowed\r\n", 0), 0u) << result.output;
  EXPECT_NE(response.head.find("Allow: GET, HEAD\r\n"), std::string::npos) << response.head;
}

TEST_F(HttpServerTest, HeadGetsLengthWithoutBody) {
  const CommandResult result = Curl("-I " + server_.Url("/healthz"));

  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(result.output.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << result.output;
  EXPECT_NE(result.output.find("Content-Length: 15\r\n"), std::string::npos) << result.output;
  EXPECT_EQ(SplitCurl(result.output).body, "");
}

TEST_F(HttpServerTest, HandlerExceptionIs500Json) {
  const CommandResult result = Curl(server_.Url("/boom"));

  const CurlResponse response = SplitCurl(result.output);
  EXPECT_EQ(response.head.rfind("HTTP/1.1 500 Internal Server Error\r\n", 0), 0u) << result.output;
  EXPECT_EQ(response.body, R"({"error":{"code":"internal","message":"internal server error"}})");
  EXPECT_EQ(Curl(server_.Url("/healthz")).exit_code, 0);
}

TEST_F(HttpServerTest, EchoesBodyWithinLimit) {
  const CommandResult result = Curl("--data-binary hello " + server_.Url("/echo"));

  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(SplitCurl(result.output).body, "hello");
}

TEST_F(HttpServerTest, AsynchronousHandlerAnswersOnTheSameConnection) {
  // Two requests on one kept-alive connection: the first waits for another thread's answer.
  const CommandResult result =
      Curl("--data-binary one " + server_.Url("/later") + " --next -sk -i " + "--data-binary two " +
           server_.Url("/later"));

  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("later one"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("later two"), std::string::npos) << result.output;
}

TEST_F(HttpServerTest, OversizedHeaderIs431) {
  const std::string big(20000, 'a');

  const CommandResult result = Curl("-H X-Big:" + big + " " + server_.Url("/healthz"));

  const CurlResponse response = SplitCurl(result.output);
  EXPECT_EQ(response.head.rfind("HTTP/1.1 431 Request Header Fields Too Large\r\n", 0), 0u)
      << result.output.substr(0, 500);
  EXPECT_NE(response.body.find(R"("code":"request_header_fields_too_large")"), std::string::npos);
}

TEST_F(HttpServerTest, BodyOverLimitIs413WithAndWithoutExpect) {
  const auto file = server_.dir() / "body.bin";
  std::ofstream(file) << std::string(4096, 'x');

  for (const char* expect : {"-H Expect:", "-H Expect:100-continue"}) {
    const CommandResult result =
        Curl(std::string(expect) + " --data-binary @" + file.string() + " " + server_.Url("/echo"));

    const CurlResponse response = SplitCurl(result.output);
    EXPECT_NE(response.head.find("HTTP/1.1 413 Payload Too Large\r\n"), std::string::npos)
        << expect << "\n"
        << result.output;
    EXPECT_NE(response.body.find(R"("code":"content_too_large")"), std::string::npos) << expect;
  }
}

TEST_F(HttpServerTest, KeepAliveServesSecondRequestOnSameConnection) {
  const CommandResult result =
      Curl("-v " + server_.Url("/healthz") + " " + server_.Url("/api/v1/version"));

  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("Re-using existing connection"), std::string::npos) << result.output;
}

TEST_F(HttpServerTest, HonoursConnectionClose) {
  const CommandResult result = Curl("-H Connection:close " + server_.Url("/healthz"));

  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(SplitCurl(result.output).head.find("Connection: close\r\n"), std::string::npos)
      << result.output;
}

TEST_F(HttpServerTest, MalformedRequestIs400) {
  const auto file = server_.dir() / "garbage.txt";
  std::ofstream(file) << "NOT A REQUEST\r\n\r\n";

  const CommandResult result = SClient("-quiet", file.string());

  EXPECT_NE(result.output.find("HTTP/1.1 400 Bad Request\r\n"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find(R"("code":"bad_request")"), std::string::npos);
}

TEST_F(HttpServerTest, TlsRefusesTls11) {
  const CommandResult result = SClient("-tls1_1 -cipher DEFAULT:@SECLEVEL=0");

  EXPECT_NE(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("alert protocol version"), std::string::npos) << result.output;
}

TEST_F(HttpServerTest, TlsNegotiatesTls13) {
  const CommandResult result = SClient("-tls1_3");

  EXPECT_EQ(result.exit_code, 0) << result.output;
  // "Protocol  : TLSv1.3" appears only in the session block, which s_client prints once a
  // session ticket has arrived; with stdin at end it may leave before that. This line is
  // printed for every completed handshake.
  EXPECT_NE(result.output.find("New, TLSv1.3, Cipher is TLS_"), std::string::npos) << result.output;
}

TEST_F(HttpServerTest, TlsAcceptsTls12EcdheAead) {
  const CommandResult result = SClient("-tls1_2");

  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("Cipher is ECDHE-ECDSA-AES"), std::string::npos) << result.output;
}

TEST_F(HttpServerTest, TlsRefusesTls12CbcCipher) {
  const CommandResult result = SClient("-tls1_2 -cipher ECDHE-ECDSA-AES128-SHA");

  EXPECT_NE(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("handshake failure"), std::string::npos) << result.output;
}

}  // namespace
}  // namespace vigil::http::testing
