// HttpsClient against real TLS servers on loopback: a small Beast server run in a thread here
// (its behaviour chosen by the request path) and `openssl s_server -www`.

#include "net/https_client.h"

#include <gtest/gtest.h>

#include <utility>
// Boost after <utility> (asio/README.md).
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <thread>

#include "core/check.h"
#include "pki/device_ca.h"
#include "pki/device_certificate.h"
#include "pki/device_key.h"
#include "pki/mutual_tls.h"
#include "testing/fixtures.h"

namespace vigil::net {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using std::chrono::milliseconds;

// A CA, a server certificate for 127.0.0.1 (or `server_ip`), and a device certificate.
struct TestPki {
  explicit TestPki(const std::string& server_ip = "127.0.0.1") {
    const auto now = static_cast<std::int64_t>(std::time(nullptr));
    auto material = pki::CreateDeviceCa({}, now);
    auto loaded = material ? pki::DeviceCa::Load(*material, now) : tl::unexpected(material.error());
    VIGIL_CHECK(loaded.has_value(), "test ca");
    ca = std::make_unique<pki::DeviceCa>(std::move(*loaded));
    const std::vector<std::string> names = {"localhost"};
    const std::vector<std::string> ips = {server_ip};
    server = ca->IssueServerCertificate(names, ips, now, 3600).value();
    device_key = pki::GenerateDeviceKeyPem().value();
    const auto csr = pki::MakeCsrPem(device_key, "device").value();
    device_cert = ca->IssueDeviceCertificate(csr, std::string(32, 'a'), now, 3600).value().pem;
  }

  pki::MutualTlsSettings ServerSettings() const {
    return {.cert_chain_pem = server.certificate.pem + ca->chain_pem(),
            .key_pem = server.key_pem,
            .client_ca_pem = ca->chain_pem()};
  }
  pki::ClientTlsSettings Trusting() const { return {.trusted_root_pem = ca->root_pem()}; }

  std::unique_ptr<pki::DeviceCa> ca;
  pki::IssuedServerCertificate server;
  std::string device_key;
  std::string device_cert;
};

// Serves one connection at a time on 127.0.0.1:<port>. Paths: /echo (body back, with the
// method and content type in headers), /close (answers, then closes without saying so), /hang
// (never answers), /big (2 MiB), /peer (the client certificate's device id), /status/503.
class TestServer {
 public:
  explicit TestServer(const pki::MutualTlsSettings& tls) : acceptor_(ioc_) {
    VIGIL_CHECK(pki::ConfigureMutualTlsServerContext(ssl_.native_handle(), tls).has_value(),
                "test server tls");
    const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(endpoint.protocol());
    acceptor_.bind(endpoint);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { Serve(); });
  }

  ~TestServer() {
    stop_ = true;
    asio::io_context wake_ioc;
    tcp::socket wake(wake_ioc);
    boost::system::error_code ignored;
    wake.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ignored);
    thread_.join();
  }

  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }
  int connections() const { return connections_.load(); }

 private:
  void Serve() {
    while (!stop_) {
      tcp::socket socket(ioc_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (stop_ || ec) break;
      ++connections_;
      Handle(std::move(socket));
    }
  }

  void Handle(tcp::socket socket) {
    asio::ssl::stream<tcp::socket> stream(std::move(socket), ssl_);
    boost::system::error_code ec;
    stream.handshake(asio::ssl::stream_base::server, ec);
    if (ec) return;
    boost::beast::flat_buffer buffer;
    for (;;) {
      bhttp::request<bhttp::string_body> request;
      bhttp::read(stream, buffer, request, ec);
      if (ec) return;
      const std::string target(request.target());
      bhttp::response<bhttp::string_body> response{bhttp::status::ok, 11};
      if (target == "/hang") {
        std::this_thread::sleep_for(milliseconds(1500));
        return;
      } else if (target == "/echo") {
        response.set("x-method", request.method_string());
        response.set("x-content-type", request[bhttp::field::content_type]);
        response.body() = request.body();
      } else if (target == "/big") {
        response.body() = std::string(2 * 1024 * 1024, 'b');
      } else if (target == "/peer") {
        const auto peer = pki::DescribePeer(stream.native_handle());
        response.body() = peer ? peer->device_id : "none";
      } else if (target == "/status/503") {
        response.result(bhttp::status::service_unavailable);
      } else if (target != "/close") {
        response.result(bhttp::status::not_found);
      }
      response.keep_alive(true);
      response.prepare_payload();
      bhttp::write(stream, response, ec);
      if (ec || target == "/close") return;
    }
  }

  asio::io_context ioc_;
  asio::ssl::context ssl_{asio::ssl::context::tls_server};
  tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::thread thread_;
};

std::unique_ptr<HttpsClient> MakeClient(HttpsClientOptions options) {
  auto client = HttpsClient::Create(std::move(options));
  EXPECT_TRUE(client) << (client ? "" : client.error().message);
  return client ? std::move(*client) : nullptr;
}

class HttpsClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pki_ = new TestPki(); }
  static void TearDownTestSuite() { delete pki_; }
  static TestPki* pki_;
};
TestPki* HttpsClientTest::pki_ = nullptr;

TEST_F(HttpsClientTest, PostsAndReadsTheAnswer) {
  TestServer server(pki_->ServerSettings());
  auto client = MakeClient({.base_url = server.url(), .tls = pki_->Trusting()});

  const auto response = client->Request("POST", "/echo", "{\"a\":1}", "application/json");

  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "{\"a\":1}");
  EXPECT_EQ(response->Header("x-method"), "POST");
  EXPECT_EQ(response->Header("x-content-type"), "application/json");
}

TEST_F(HttpsClientTest, ReusesOneConnection) {
  TestServer server(pki_->ServerSettings());
  auto client = MakeClient({.base_url = server.url(), .tls = pki_->Trusting()});

  for (int i = 0; i < 3; ++i) ASSERT_TRUE(client->Request("GET", "/echo"));

  EXPECT_EQ(server.connections(), 1);
}

TEST_F(HttpsClientTest, ReopensAConnectionTheServerClosed) {
  TestServer server(pki_->ServerSettings());
  auto client = MakeClient({.base_url = server.url(), .tls = pki_->Trusting()});
  ASSERT_TRUE(client->Request("GET", "/close"));

  const auto response = client->Request("POST", "/echo", "again", "text/plain");

  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->body, "again");
  EXPECT_EQ(server.connections(), 2);
}

TEST_F(HttpsClientTest, ReturnsServerErrorsAsAnswers) {
  TestServer server(pki_->ServerSettings());
  auto client = MakeClient({.base_url = server.url(), .tls = pki_->Trusting()});

  const auto response = client->Request("GET", "/status/503");

  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 503);
}

TEST_F(HttpsClientTest, PresentsTheClientCertificate) {
  TestServer server(pki_->ServerSettings());
  auto tls = pki_->Trusting();
  tls.cert_chain_pem = pki_->device_cert + pki_->ca->chain_pem();
  tls.key_pem = pki_->device_key;
  auto with_cert = MakeClient({.base_url = server.url(), .tls = tls});
  auto without = MakeClient({.base_url = server.url(), .tls = pki_->Trusting()});

  const auto with_answer = with_cert->Request("GET", "/peer");
  with_cert->Close();  // The test server serves one connection at a time.
  const auto without_answer = without->Request("GET", "/peer");

  ASSERT_TRUE(with_answer) << with_answer.error().message;
  ASSERT_TRUE(without_answer) << without_answer.error().message;
  EXPECT_EQ(with_answer->body, std::string(32, 'a'));
  EXPECT_EQ(without_answer->body, "none");
}

TEST_F(HttpsClientTest, SaysWhenTheServerRefusesOurCertificate) {
  auto settings = pki_->ServerSettings();
  auto revoked = std::make_shared<pki::RevocationList>();
  revoked->Add(pki::DescribeDeviceCertificate(pki_->device_cert).value().serial_hex);
  settings.revoked = revoked;
  TestServer server(settings);
  auto tls = pki_->Trusting();
  tls.cert_chain_pem = pki_->device_cert + pki_->ca->chain_pem();
  tls.key_pem = pki_->device_key;
  auto client = MakeClient({.base_url = server.url(), .tls = tls});

  const auto response = client->Request("GET", "/peer");

  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kPermissionDenied) << response.error().message;
  EXPECT_NE(response.error().message.find("certificate revoked"), std::string::npos)
      << response.error().message;
}

TEST_F(HttpsClientTest, TrustsAPinnedRootAndReportsIt) {
  TestServer server(pki_->ServerSettings());
  const auto pin = pki_->ca->root_fingerprint_sha256();
  auto client = MakeClient({.base_url = server.url(), .tls = {.pinned_root_sha256 = pin}});

  const auto response = client->Request("GET", "/echo");

  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(client->presented_root_pem(), pki_->ca->root_pem());
}

TEST_F(HttpsClientTest, RefusesAWrongPinAsUnauthenticated) {
  TestServer server(pki_->ServerSettings());
  auto client =
      MakeClient({.base_url = server.url(), .tls = {.pinned_root_sha256 = std::string(64, '0')}});

  const auto response = client->Request("GET", "/echo");

  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kUnauthenticated) << response.error().message;
  EXPECT_NE(response.error().message.find("127.0.0.1:"), std::string::npos);
}

TEST_F(HttpsClientTest, RefusesAnotherCaAsUnauthenticated) {
  TestServer server(pki_->ServerSettings());
  const TestPki other;
  auto client = MakeClient({.base_url = server.url(), .tls = other.Trusting()});

  const auto response = client->Request("GET", "/echo");

  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kUnauthenticated) << response.error().message;
}

TEST(HttpsClient, RefusesACertificateForAnotherAddress) {
  const TestPki for_other_ip("127.0.0.2");
  TestServer server(for_other_ip.ServerSettings());
  auto client = MakeClient({.base_url = server.url(), .tls = for_other_ip.Trusting()});

  const auto response = client->Request("GET", "/echo");

  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kUnauthenticated) << response.error().message;
}

TEST_F(HttpsClientTest, TimesOutAWholeRequest) {
  TestServer server(pki_->ServerSettings());
  auto client = MakeClient(
      {.base_url = server.url(), .tls = pki_->Trusting(), .request_timeout = milliseconds(300)});
  const auto start = std::chrono::steady_clock::now();

  const auto response = client->Request("GET", "/hang");

  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(response.error().message.find("timed out after 300 ms"), std::string::npos)
      << response.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(1400));
}

TEST_F(HttpsClientTest, LimitsTheAnswerSize) {
  TestServer server(pki_->ServerSettings());
  auto client = MakeClient(
      {.base_url = server.url(), .tls = pki_->Trusting(), .max_response_bytes = 1024 * 1024});

  const auto response = client->Request("GET", "/big");

  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kResourceExhausted);
}

TEST_F(HttpsClientTest, NamesTheServerWhenItIsUnreachable) {
  std::uint16_t port = 0;
  {
    TestServer gone(pki_->ServerSettings());
    port = static_cast<std::uint16_t>(std::stoi(gone.url().substr(gone.url().rfind(':') + 1)));
  }
  auto client = MakeClient(
      {.base_url = "https://127.0.0.1:" + std::to_string(port), .tls = pki_->Trusting()});

  const auto response = client->Request("GET", "/echo");

  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(response.error().message.find("127.0.0.1:" + std::to_string(port) + ": connect"),
            std::string::npos)
      << response.error().message;
}

TEST_F(HttpsClientTest, RefusesBadArguments) {
  EXPECT_FALSE(HttpsClient::Create({.base_url = "http://x", .tls = pki_->Trusting()}));
  EXPECT_FALSE(HttpsClient::Create({.base_url = "https://x"}));  // No trust at all.
  auto client = MakeClient({.base_url = "https://127.0.0.1:1", .tls = pki_->Trusting()});
  EXPECT_EQ(client->Request("GET", "no-slash").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(client->Request("BREW", "/").error().code, ErrorCode::kInvalidArgument);
}

// An independent TLS server: openssl s_server -www answers any GET with a status page over
// HTTP/1.0 and ends it by closing the connection.
TEST(HttpsClient, TalksToOpensslSServer) {
  VIGIL_REQUIRE_TOOL(openssl, "openssl");
  testing::TempDir dir;
  const auto make_cert = openssl.string() +
                         " req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
                         " -keyout " +
                         (dir / "k.pem").string() + " -out " + (dir / "c.pem").string() +
                         " -days 1 -subj /CN=localhost -addext"
                         " subjectAltName=IP:127.0.0.1 2>/dev/null";
  ASSERT_EQ(std::system(make_cert.c_str()), 0);
  const auto serve = openssl.string() + " s_server -accept 127.0.0.1:0 -naccept 1 -www -cert " +
                     (dir / "c.pem").string() + " -key " + (dir / "k.pem").string() + " > " +
                     (dir / "out").string() + " 2>&1 & echo $! > " + (dir / "pid").string();
  ASSERT_EQ(std::system(serve.c_str()), 0);
  std::string port;
  for (int i = 0; i < 100 && port.empty(); ++i) {
    std::this_thread::sleep_for(milliseconds(50));
    const auto out = testing::ReadFileOrEmpty(dir / "out");
    if (const auto at = out.find("ACCEPT 127.0.0.1:"); at != std::string::npos) {
      const auto end = out.find('\n', at);
      if (end != std::string::npos) port = out.substr(at + 17, end - at - 17);
    }
  }
  ASSERT_FALSE(port.empty()) << testing::ReadFileOrEmpty(dir / "out");
  auto client = MakeClient({.base_url = "https://127.0.0.1:" + port,
                            .tls = {.trusted_root_pem = testing::ReadFileOrEmpty(dir / "c.pem")}});

  const auto response = client->Request("GET", "/");

  const auto kill = "kill " + testing::ReadFileOrEmpty(dir / "pid") + " 2>/dev/null";
  std::system(kill.c_str());
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_NE(response->body.find("s_server"), std::string::npos) << response->body;
}

}  // namespace
}  // namespace vigil::net
