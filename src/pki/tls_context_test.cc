#include "pki/tls_context.h"

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "pki/server_certificate.h"
#include "testing/fixtures.h"

namespace vigil::pki {
namespace {

using ::vigil::testing::TempDir;

struct SslCtxFree {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};
using CtxPtr = std::unique_ptr<SSL_CTX, SslCtxFree>;
using SslPtr = std::unique_ptr<SSL, SslCtxFree>;

class TlsContextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto files = EnsureServerCertificate(dir_.path());
    ASSERT_TRUE(files) << files.error().message;
    settings_ = {.cert_file = files->cert_file, .key_file = files->key_file};
  }

  // Runs a handshake over an in-memory BIO pair; returns the negotiated protocol name
  // ("TLSv1.3", ...) or "failed".
  static std::string Handshake(SSL_CTX* server_ctx, SSL_CTX* client_ctx,
                               std::string* cipher = nullptr) {
    SslPtr server(SSL_new(server_ctx));
    SslPtr client(SSL_new(client_ctx));
    BIO* server_bio = nullptr;
    BIO* client_bio = nullptr;
    BIO_new_bio_pair(&server_bio, 0, &client_bio, 0);
    SSL_set_bio(server.get(), server_bio, server_bio);
    SSL_set_bio(client.get(), client_bio, client_bio);
    SSL_set_accept_state(server.get());
    SSL_set_connect_state(client.get());
    for (int round = 0; round < 20; ++round) {
      const int c = SSL_do_handshake(client.get());
      const int s = SSL_do_handshake(server.get());
      if (c == 1 && s == 1) {
        if (cipher != nullptr) {
          *cipher = SSL_get_cipher_name(client.get());
        }
        return SSL_get_version(client.get());
      }
      const int ce = SSL_get_error(client.get(), c);
      const int se = SSL_get_error(server.get(), s);
      if ((c != 1 && ce != SSL_ERROR_WANT_READ) || (s != 1 && se != SSL_ERROR_WANT_READ)) {
        break;
      }
    }
    ERR_clear_error();
    return "failed";
  }

  CtxPtr ConfiguredServer() {
    CtxPtr ctx(SSL_CTX_new(TLS_server_method()));
    const auto status = ConfigureServerTlsContext(ctx.get(), settings_);
    EXPECT_TRUE(status) << status.error().message;
    return ctx;
  }

  static CtxPtr Client(int min_version, int max_version, const char* ciphers = nullptr) {
    CtxPtr ctx(SSL_CTX_new(TLS_client_method()));
    SSL_CTX_set_min_proto_version(ctx.get(), min_version);
    SSL_CTX_set_max_proto_version(ctx.get(), max_version);
    // Level 0 lets the client offer old protocols, so the refusal is the server's.
    SSL_CTX_set_security_level(ctx.get(), 0);
    if (ciphers != nullptr) {
      SSL_CTX_set_cipher_list(ctx.get(), ciphers);
    }
    return ctx;
  }

  TempDir dir_;
  ServerTlsSettings settings_;
};

TEST_F(TlsContextTest, SetsPolicyOptions) {
  const CtxPtr ctx = ConfiguredServer();

  EXPECT_EQ(SSL_CTX_get_min_proto_version(ctx.get()), TLS1_2_VERSION);
  const uint64_t options = SSL_CTX_get_options(ctx.get());
  EXPECT_NE(options & SSL_OP_CIPHER_SERVER_PREFERENCE, 0u);
  EXPECT_NE(options & SSL_OP_NO_COMPRESSION, 0u);
  EXPECT_NE(options & SSL_OP_NO_RENEGOTIATION, 0u);
  EXPECT_EQ(options & SSL_OP_NO_TICKET, 0u);
}

TEST_F(TlsContextTest, NegotiatesTls13WhenClientOffersIt) {
  const CtxPtr server = ConfiguredServer();
  const CtxPtr client = Client(TLS1_VERSION, 0);

  EXPECT_EQ(Handshake(server.get(), client.get()), "TLSv1.3");
}

TEST_F(TlsContextTest, AcceptsTls12WithEcdheAead) {
  const CtxPtr server = ConfiguredServer();
  const CtxPtr client = Client(TLS1_2_VERSION, TLS1_2_VERSION);
  std::string cipher;

  EXPECT_EQ(Handshake(server.get(), client.get(), &cipher), "TLSv1.2");
  EXPECT_EQ(cipher, "ECDHE-ECDSA-AES128-GCM-SHA256");
}

TEST_F(TlsContextTest, RefusesTls11) {
  const CtxPtr server = ConfiguredServer();
  const CtxPtr client = Client(TLS1_VERSION, TLS1_1_VERSION, "DEFAULT:@SECLEVEL=0");

  EXPECT_EQ(Handshake(server.get(), client.get()), "failed");
}

TEST_F(TlsContextTest, RefusesTls12CbcSuites) {
  const CtxPtr server = ConfiguredServer();
  const CtxPtr client =
      Client(TLS1_2_VERSION, TLS1_2_VERSION, "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384");

  EXPECT_EQ(Handshake(server.get(), client.get()), "failed");
}

TEST_F(TlsContextTest, Tls13MinimumRefusesTls12) {
  settings_.min_version = TlsMinVersion::kTls13;
  const CtxPtr server = ConfiguredServer();
  const CtxPtr client = Client(TLS1_2_VERSION, TLS1_2_VERSION);

  EXPECT_EQ(Handshake(server.get(), client.get()), "failed");
}

TEST_F(TlsContextTest, ReportsMismatchedKey) {
  TempDir other;
  const auto other_files = EnsureServerCertificate(other.path());
  ASSERT_TRUE(other_files);
  settings_.key_file = other_files->key_file;
  CtxPtr ctx(SSL_CTX_new(TLS_server_method()));

  const auto status = ConfigureServerTlsContext(ctx.get(), settings_);

  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(status.error().message.find("key does not match"), std::string::npos);
}

}  // namespace
}  // namespace vigil::pki
