// The server's life cycle against real peers: binding errors, Stop with connected and busy
// clients, timeouts, and bytes that are not TLS.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "command.h"
#include "test_server.h"

namespace vigil::http::testing {
namespace {

using std::chrono::steady_clock;

std::string Tool(const char* name) {
  return ::vigil::testing::FindTool(name).value_or("").string();
}

#define REQUIRE_PEERS()                                        \
  if (Tool("curl").empty() || Tool("openssl").empty()) {       \
    VIGIL_SKIP_OR_FAIL("curl and openssl are needed on PATH"); \
  }

TEST(HttpServerLifecycle, StartReportsAddressInUse) {
  TestServer first;
  ASSERT_TRUE(first.ok()) << first.error();
  const std::string listen = first.HostPort();

  TestServer second([&](ServerOptions& options) { options.listen = listen; });

  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error(), "listen " + listen + ": address already in use");
}

TEST(HttpServerLifecycle, CreateRejectsHostName) {
  TestServer server([](ServerOptions& options) { options.listen = "localhost:8443"; });

  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.error().rfind("http: listen \"localhost:8443\": ", 0), 0u) << server.error();
}

TEST(HttpServerLifecycle, CreateRejectsMissingCertificate) {
  TestServer server([](ServerOptions& options) { options.cert_file = "/nonexistent/server.crt"; });

  ASSERT_FALSE(server.ok());
  EXPECT_NE(server.error().find("/nonexistent/server.crt"), std::string::npos) << server.error();
}

TEST(HttpServerLifecycle, PlaintextHttpDoesNotHurtServer) {
  REQUIRE_PEERS();
  TestServer server;
  ASSERT_TRUE(server.ok()) << server.error();

  const CommandResult plain = RunCommand(Tool("curl") + " -s --max-time 10 http://" +
                                         server.HostPort() + "/healthz < /dev/null");
  const CommandResult tls =
      RunCommand(Tool("curl") + " -sk --max-time 10 " + server.Url("/healthz") + " < /dev/null");

  EXPECT_NE(plain.exit_code, 0) << plain.output;
  EXPECT_NE(plain.exit_code, 124) << "plaintext client hung";
  EXPECT_EQ(tls.exit_code, 0) << tls.output;
  EXPECT_EQ(tls.output, R"({"status":"ok"})");
}

TEST(HttpServerLifecycle, ServesIpv6Loopback) {
  REQUIRE_PEERS();
  TestServer server([](ServerOptions& options) { options.listen = "[::1]:0"; });
  if (!server.ok() && server.error().find("cannot assign") != std::string::npos) {
    VIGIL_SKIP_OR_FAIL("no ipv6 loopback here: " + server.error());
  }
  ASSERT_TRUE(server.ok()) << server.error();

  const CommandResult result = RunCommand(Tool("curl") + " -sk -g --max-time 10 https://[::1]:" +
                                          std::to_string(server.port()) + "/healthz < /dev/null");

  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(result.output, R"({"status":"ok"})");
}

TEST(HttpServerLifecycle, StopClosesIdleConnectionPromptly) {
  REQUIRE_PEERS();
  TestServer server;
  ASSERT_TRUE(server.ok()) << server.error();
  BackgroundCommand client(Tool("openssl") + " s_client -ign_eof -connect " + server.HostPort() +
                           " < /dev/null");
  ASSERT_TRUE(client.WaitForOutput("Verify return code", std::chrono::seconds(10)));

  const auto start = steady_clock::now();
  server.server().Stop();
  server.server().Wait();
  const auto elapsed = steady_clock::now() - start;

  EXPECT_LT(elapsed, std::chrono::seconds(3));
  EXPECT_NE(client.Finish().exit_code, 124) << "client was not disconnected";
}

TEST(HttpServerLifecycle, RefusesConnectionsBeyondMaxConnections) {
  REQUIRE_PEERS();
  TestServer server([](ServerOptions& options) { options.max_connections = 1; });
  ASSERT_TRUE(server.ok()) << server.error();
  BackgroundCommand holder(Tool("openssl") + " s_client -ign_eof -connect " + server.HostPort() +
                           " < /dev/null");
  ASSERT_TRUE(holder.WaitForOutput("Verify return code", std::chrono::seconds(10)));

  const CommandResult refused =
      RunCommand(Tool("curl") + " -sk --max-time 10 " + server.Url("/healthz") + " < /dev/null");

  EXPECT_NE(refused.exit_code, 0) << refused.output;
  EXPECT_NE(refused.exit_code, 28) << "curl timed out instead of being refused";
}

TEST(HttpServerLifecycle, StopLetsRequestInFlightFinish) {
  REQUIRE_PEERS();
  TestServer server;
  ASSERT_TRUE(server.ok()) << server.error();
  BackgroundCommand client(Tool("curl") + " -sk --max-time 15 " + server.Url("/slow") +
                           " < /dev/null");
  const auto deadline = steady_clock::now() + std::chrono::seconds(10);
  while (!server.slow_entered && steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(server.slow_entered);

  server.server().Stop();
  server.server().Wait();
  const CommandResult result = client.Finish();

  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(result.output, R"({"slow":true})");
}

TEST(HttpServerLifecycle, StopFromAnotherThreadIsIdempotent) {
  TestServer server;
  ASSERT_TRUE(server.ok()) << server.error();

  std::thread stopper([&] {
    server.server().Stop();
    server.server().Stop();
  });
  server.server().Wait();
  stopper.join();

  EXPECT_EQ(server.server().Start().error().code, ErrorCode::kFailedPrecondition);
}

TEST(HttpServerLifecycle, ReadTimeoutClosesSilentConnection) {
  REQUIRE_PEERS();
  TestServer server(
      [](ServerOptions& options) { options.read_timeout = std::chrono::milliseconds(300); });
  ASSERT_TRUE(server.ok()) << server.error();
  const auto start = steady_clock::now();

  const CommandResult result = RunCommand(Tool("openssl") + " s_client -ign_eof -connect " +
                                          server.HostPort() + " < /dev/null");

  EXPECT_NE(result.exit_code, 124) << "server kept a silent connection open";
  EXPECT_LT(steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_NE(result.output.find("Verify return code"), std::string::npos) << result.output;
}

TEST(HttpServerLifecycle, HandshakeTimeoutClosesSilentTcpConnection) {
  TestServer server(
      [](ServerOptions& options) { options.handshake_timeout = std::chrono::milliseconds(300); });
  ASSERT_TRUE(server.ok()) << server.error();
  // A raw TCP client that never starts the TLS handshake.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(server.port());
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  const timeval limit{.tv_sec = 5, .tv_usec = 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  const auto start = steady_clock::now();

  char byte = 0;
  const ssize_t n = ::recv(fd, &byte, 1, 0);
  const auto elapsed = steady_clock::now() - start;
  ::close(fd);

  EXPECT_EQ(n, 0) << "expected the server to close the connection";
  EXPECT_LT(elapsed, std::chrono::seconds(3));
}

}  // namespace
}  // namespace vigil::http::testing
