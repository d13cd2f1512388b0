#include "pki/mutual_tls.h"

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <vector>

#include "pki/device_certificate.h"
#include "pki/device_key.h"
#include "pki/pki_testing.h"

namespace vigil::pki {
namespace {

using namespace ::vigil::pki::test;

struct SslFree {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};
using CtxPtr = std::unique_ptr<SSL_CTX, SslFree>;
using SslPtr = std::unique_ptr<SSL, SslFree>;

struct Connection {
  SslPtr server;
  SslPtr client;
  bool ok = false;
};

struct DeviceCredentials {
  std::string cert_pem;
  std::string key_pem;
  std::string serial_hex;
};

// Verification at kNow rather than the wall clock, on both sides.
void PinTime(SSL_CTX* ctx, std::int64_t now = kNow) {
  X509_VERIFY_PARAM_set_time(SSL_CTX_get0_param(ctx), static_cast<time_t>(now));
}

// A handshake over an in-memory BIO pair; ok when both ends finished. With TLS 1.3 the client
// finishes before the server has judged its certificate, so the server's verdict decides.
Connection Handshake(SSL_CTX* server_ctx, SSL_CTX* client_ctx, std::string_view host) {
  Connection c{.server = SslPtr(SSL_new(server_ctx)), .client = SslPtr(SSL_new(client_ctx))};
  BIO* server_bio = nullptr;
  BIO* client_bio = nullptr;
  BIO_new_bio_pair(&server_bio, 0, &client_bio, 0);
  SSL_set_bio(c.server.get(), server_bio, server_bio);
  SSL_set_bio(c.client.get(), client_bio, client_bio);
  SSL_set_accept_state(c.server.get());
  SSL_set_connect_state(c.client.get());
  const auto configured = ConfigureClientConnection(c.client.get(), host);
  EXPECT_TRUE(configured) << configured.error().message;
  for (int round = 0; round < 20; ++round) {
    const int client = SSL_do_handshake(c.client.get());
    const int server = SSL_do_handshake(c.server.get());
    if (client == 1 && server == 1) {
      // TLS 1.3: the server's verdict on the client certificate reaches the client afterwards.
      char byte = 0;
      static_cast<void>(SSL_read(c.client.get(), &byte, 1));
      c.ok = SSL_get_error(c.client.get(), -1) != SSL_ERROR_SSL;
      ERR_clear_error();
      return c;
    }
    const bool client_stuck =
        client != 1 && SSL_get_error(c.client.get(), client) != SSL_ERROR_WANT_READ;
    const bool server_stuck =
        server != 1 && SSL_get_error(c.server.get(), server) != SSL_ERROR_WANT_READ;
    if (client_stuck || server_stuck) {
      break;
    }
  }
  ERR_clear_error();
  return c;
}

class MutualTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::vector<std::string> dns = {"localhost"};
    const std::vector<std::string> ips = {"127.0.0.1"};
    const auto server = ca_.IssueServerCertificate(dns, ips, kNow, kDay);
    ASSERT_TRUE(server) << server.error().message;
    settings_ = {.cert_chain_pem = server->certificate.pem + ca_.chain_pem(),
                 .key_pem = server->key_pem,
                 .client_ca_pem = ca_.chain_pem(),
                 .revoked = revoked_};
  }

  CtxPtr Server() {
    CtxPtr ctx(SSL_CTX_new(TLS_server_method()));
    const auto status = ConfigureMutualTlsServerContext(ctx.get(), settings_);
    EXPECT_TRUE(status) << status.error().message;
    PinTime(ctx.get());
    return ctx;
  }

  static CtxPtr Client(const ClientTlsSettings& settings, int max_version = 0) {
    CtxPtr ctx(SSL_CTX_new(TLS_client_method()));
    const auto status = ConfigureClientTlsContext(ctx.get(), settings);
    EXPECT_TRUE(status) << status.error().message;
    SSL_CTX_set_max_proto_version(ctx.get(), max_version);
    PinTime(ctx.get());
    return ctx;
  }

  static DeviceCredentials Device(const DeviceCa& ca, int n, std::int64_t now = kNow,
                                  std::int64_t lifetime = kDay) {
    const auto key = GenerateDeviceKeyPem();
    EXPECT_TRUE(key);
    const auto csr = MakeCsrPem(*key, "device");
    EXPECT_TRUE(csr);
    const auto issued = ca.IssueDeviceCertificate(*csr, DeviceId(n), now, lifetime);
    EXPECT_TRUE(issued) << issued.error().message;
    return {.cert_pem = issued->pem, .key_pem = *key, .serial_hex = issued->serial_hex};
  }

  ClientTlsSettings WithDevice(const DeviceCredentials& device) const {
    return {.trusted_root_pem = ca_.root_pem(),
            .cert_chain_pem = device.cert_pem,
            .key_pem = device.key_pem};
  }

  DeviceCa ca_ = MakeCa(kNow - 20 * kDay);
  std::shared_ptr<RevocationList> revoked_ = std::make_shared<RevocationList>();
  MutualTlsSettings settings_;
};

TEST_F(MutualTlsTest, AcceptsDeviceCertificate) {
  const CtxPtr server = Server();
  const CtxPtr client = Client(WithDevice(Device(ca_, 1)));

  const Connection c = Handshake(server.get(), client.get(), "localhost");

  ASSERT_TRUE(c.ok);
  const auto peer = DescribePeer(c.server.get());
  ASSERT_TRUE(peer) << peer.error().message;
  EXPECT_EQ(peer->device_id, DeviceId(1));
  EXPECT_STREQ(SSL_get_version(c.client.get()), "TLSv1.3");
}

TEST_F(MutualTlsTest, AcceptsNoCertificateButPeerIsUnauthenticated) {
  const CtxPtr server = Server();
  const CtxPtr client = Client({.trusted_root_pem = ca_.root_pem()});

  const Connection c = Handshake(server.get(), client.get(), "127.0.0.1");

  ASSERT_TRUE(c.ok);
  const auto peer = DescribePeer(c.server.get());
  ASSERT_FALSE(peer);
  EXPECT_EQ(peer.error().code, ErrorCode::kUnauthenticated);
}

TEST_F(MutualTlsTest, RefusesRevokedCertificateAddedAfterConfiguration) {
  const CtxPtr server = Server();
  const DeviceCredentials device = Device(ca_, 2);
  const CtxPtr client = Client(WithDevice(device));
  ASSERT_TRUE(Handshake(server.get(), client.get(), "localhost").ok);

  revoked_->Add(device.serial_hex);
  const Connection c = Handshake(server.get(), client.get(), "localhost");

  EXPECT_FALSE(c.ok);
  EXPECT_EQ(SSL_get_verify_result(c.server.get()), X509_V_ERR_CERT_REVOKED);
}

TEST_F(MutualTlsTest, RefusesRevokedCertificateOverTls12) {
  const DeviceCredentials device = Device(ca_, 3);
  revoked_->Add(device.serial_hex);
  const CtxPtr server = Server();
  const CtxPtr client = Client(WithDevice(device), TLS1_2_VERSION);

  const Connection c = Handshake(server.get(), client.get(), "localhost");

  EXPECT_FALSE(c.ok);
}

TEST_F(MutualTlsTest, RefusesCertificateOfAnotherCa) {
  const CtxPtr server = Server();
  const DeviceCa other = MakeCa(kNow - 20 * kDay);
  const CtxPtr client = Client(WithDevice(Device(other, 4)));

  const Connection c = Handshake(server.get(), client.get(), "localhost");

  EXPECT_FALSE(c.ok);
  EXPECT_EQ(SSL_get_verify_result(c.server.get()), X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
}

TEST_F(MutualTlsTest, RefusesExpiredCertificate) {
  const CtxPtr server = Server();
  const CtxPtr client = Client(WithDevice(Device(ca_, 5, kNow - 10 * kDay, kDay)));

  const Connection c = Handshake(server.get(), client.get(), "localhost");

  EXPECT_FALSE(c.ok);
  EXPECT_EQ(SSL_get_verify_result(c.server.get()), X509_V_ERR_CERT_HAS_EXPIRED);
}

TEST_F(MutualTlsTest, RefusesServerCertificateAsClientCertificate) {
  const CtxPtr server = Server();
  const std::vector<std::string> dns = {"imposter"};
  const auto other_server = ca_.IssueServerCertificate(dns, {}, kNow, kDay);
  ASSERT_TRUE(other_server);
  const CtxPtr client = Client({.trusted_root_pem = ca_.root_pem(),
                                .cert_chain_pem = other_server->certificate.pem,
                                .key_pem = other_server->key_pem});

  const Connection c = Handshake(server.get(), client.get(), "localhost");

  EXPECT_FALSE(c.ok);
  EXPECT_EQ(SSL_get_verify_result(c.server.get()), X509_V_ERR_INVALID_PURPOSE);
}

TEST_F(MutualTlsTest, DisablesSessionResumption) {
  const CtxPtr server = Server();

  EXPECT_EQ(SSL_CTX_get_session_cache_mode(server.get()), SSL_SESS_CACHE_OFF);
  EXPECT_NE(SSL_CTX_get_options(server.get()) & SSL_OP_NO_TICKET, 0u);
  EXPECT_EQ(SSL_CTX_get_num_tickets(server.get()), 0u);
}

TEST_F(MutualTlsTest, RefusesWrongHostName) {
  const CtxPtr server = Server();
  const CtxPtr client = Client({.trusted_root_pem = ca_.root_pem()});

  const Connection c = Handshake(server.get(), client.get(), "gateway.example");

  EXPECT_FALSE(c.ok);
  EXPECT_EQ(SSL_get_verify_result(c.client.get()), X509_V_ERR_HOSTNAME_MISMATCH);
}

TEST_F(MutualTlsTest, PinnedClientAcceptsMatchingRootAndReturnsIt) {
  const CtxPtr server = Server();
  const DeviceCredentials device = Device(ca_, 6);
  const CtxPtr client = Client({.pinned_root_sha256 = ca_.root_fingerprint_sha256(),
                                .cert_chain_pem = device.cert_pem,
                                .key_pem = device.key_pem});

  const Connection c = Handshake(server.get(), client.get(), "localhost");

  ASSERT_TRUE(c.ok);
  const auto root = PresentedRootPem(c.client.get());
  ASSERT_TRUE(root) << root.error().message;
  EXPECT_EQ(*root, ca_.root_pem());
  EXPECT_TRUE(DescribePeer(c.server.get()));
}

TEST_F(MutualTlsTest, PinnedClientRefusesOtherRoot) {
  const CtxPtr server = Server();
  const DeviceCa other = MakeCa(kNow - 20 * kDay);
  const CtxPtr client = Client({.pinned_root_sha256 = other.root_fingerprint_sha256()});

  const Connection c = Handshake(server.get(), client.get(), "localhost");

  EXPECT_FALSE(c.ok);
  EXPECT_FALSE(PresentedRootPem(c.client.get()));
}

TEST_F(MutualTlsTest, PinnedClientStillChecksHostName) {
  const CtxPtr server = Server();
  const CtxPtr client = Client({.pinned_root_sha256 = ca_.root_fingerprint_sha256()});

  const Connection c = Handshake(server.get(), client.get(), "10.9.9.9");

  EXPECT_FALSE(c.ok);
  EXPECT_EQ(SSL_get_verify_result(c.client.get()), X509_V_ERR_IP_ADDRESS_MISMATCH);
}

TEST_F(MutualTlsTest, PinnedClientRefusesServerWithoutRootInChain) {
  const std::vector<std::string> dns = {"localhost"};
  const auto leaf_only = ca_.IssueServerCertificate(dns, {}, kNow, kDay);
  ASSERT_TRUE(leaf_only);
  settings_.cert_chain_pem = leaf_only->certificate.pem;
  settings_.key_pem = leaf_only->key_pem;
  const CtxPtr server = Server();
  const CtxPtr client = Client({.pinned_root_sha256 = ca_.root_fingerprint_sha256()});

  const Connection c = Handshake(server.get(), client.get(), "localhost");

  EXPECT_FALSE(c.ok);
}

TEST(ConfigureClientTlsContext, RefusesContradictorySettings) {
  const DeviceCa ca = MakeCa();
  CtxPtr ctx(SSL_CTX_new(TLS_client_method()));

  EXPECT_FALSE(ConfigureClientTlsContext(ctx.get(), {}));
  EXPECT_FALSE(ConfigureClientTlsContext(
      ctx.get(),
      {.trusted_root_pem = ca.root_pem(), .pinned_root_sha256 = ca.root_fingerprint_sha256()}));
  EXPECT_FALSE(ConfigureClientTlsContext(ctx.get(), {.pinned_root_sha256 = "abcd"}));
  EXPECT_FALSE(ConfigureClientTlsContext(
      ctx.get(), {.trusted_root_pem = ca.root_pem(), .cert_chain_pem = ca.root_pem()}));
  EXPECT_TRUE(
      ConfigureClientTlsContext(ctx.get(), {.pinned_root_sha256 = ca.root_fingerprint_sha256()}));
}

TEST(ConfigureClientConnection, RefusesEmptyOrWildcardHost) {
  CtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  SslPtr ssl(SSL_new(ctx.get()));

  EXPECT_FALSE(ConfigureClientConnection(ssl.get(), ""));
  EXPECT_FALSE(ConfigureClientConnection(ssl.get(), "*.example"));
  EXPECT_TRUE(ConfigureClientConnection(ssl.get(), "[::1]"));
}

}  // namespace
}  // namespace vigil::pki
