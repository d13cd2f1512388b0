#include "pki/tls_context.h"

#include <openssl/ssl.h>

#include <array>
#include <string>

#include "pki/certificate_info.h"
#include "pki/openssl_error.h"
#include "pki/server_certificate.h"
#include "pki/tls_policy.h"
#include "pki/x509_build.h"

namespace vigil::pki {
namespace {

// RFC 7301 section 3.2: pick from the client's list; answer nothing rather than fail when
// http/1.1 is not in it, so that clients offering only other protocols still get a clear error
// from HTTP instead of a TLS alert.
int SelectAlpn(SSL*, const unsigned char** out, unsigned char* out_length, const unsigned char* in,
               unsigned int in_length, void*) {
  static constexpr std::array<unsigned char, 9> kHttp11 = {8,   'h', 't', 't', 'p',
                                                           '/', '1', '.', '1'};
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, out_length, kHttp11.data(), kHttp11.size(), in, in_length) ==
      OPENSSL_NPN_NEGOTIATED) {
    *out = selected;
    return SSL_TLSEXT_ERR_OK;
  }
  return SSL_TLSEXT_ERR_NOACK;
}

// Never prompt on the terminal for a passphrase; encrypted keys are refused when loaded.
int RefusePassphrase(char*, int, int, void*) { return -1; }

Status Fail(const char* what) {
  return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, std::string("tls: ") + what));
}

}  // namespace

void UseHttp11Alpn(SSL_CTX* ctx) { SSL_CTX_set_alpn_select_cb(ctx, SelectAlpn, nullptr); }

Status ApplyTlsPolicy(SSL_CTX* ctx, TlsMinVersion min_version) {
  const int version = min_version == TlsMinVersion::kTls13 ? TLS1_3_VERSION : TLS1_2_VERSION;
  if (SSL_CTX_set_min_proto_version(ctx, version) != 1 ||
      SSL_CTX_set_max_proto_version(ctx, 0) != 1) {
    return Fail("protocol versions");
  }
  if (SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1) {
    return Fail("cipher list");
  }
  if (SSL_CTX_set_ciphersuites(ctx, kTls13Suites) != 1) {
    return Fail("ciphersuites");
  }
  if (SSL_CTX_set1_groups_list(ctx, "X25519:P-256:P-384") != 1) {
    return Fail("groups");
  }
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_max_early_data(ctx, 0);
  return OkStatus();
}

Status UseCertificateChain(SSL_CTX* ctx, std::string_view chain_pem, std::string_view key_pem,
                           std::string_view what) {
  auto chain = ParseCertificateChainPem(chain_pem);
  if (!chain) {
    return tl::unexpected(Annotate(chain.error(), std::string(what) + " certificate"));
  }
  auto key = ParsePrivateKeyPem(key_pem);
  if (!key) {
    return tl::unexpected(Annotate(key.error(), std::string(what) + " key"));
  }
  if (SSL_CTX_use_certificate(ctx, chain->front().get()) != 1) {
    return tl::unexpected(
        PkiOpenSslError(ErrorCode::kInvalidArgument, std::string(what) + " certificate"));
  }
  SSL_CTX_clear_chain_certs(ctx);
  for (std::size_t i = 1; i < chain->size(); ++i) {
    if (SSL_CTX_add1_chain_cert(ctx, (*chain)[i].get()) != 1) {
      return tl::unexpected(
          PkiOpenSslError(ErrorCode::kInvalidArgument, std::string(what) + " chain"));
    }
  }
  if (SSL_CTX_use_PrivateKey(ctx, key->get()) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInvalidArgument,
                                          std::string(what) + " key does not match certificate"));
  }
  return OkStatus();
}

Status ConfigureServerTlsContext(SSL_CTX* ctx, const ServerTlsSettings& settings) {
  // Load and check the pair first, for a message that names the file at fault.
  auto loaded =
      LoadServerCertificate({.cert_file = settings.cert_file, .key_file = settings.key_file});
  if (!loaded) {
    return tl::unexpected(loaded.error());
  }
  VIGIL_RETURN_IF_ERROR(ApplyTlsPolicy(ctx, settings.min_version));
  SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_clear_options(ctx, SSL_OP_NO_TICKET);
  UseHttp11Alpn(ctx);

  SSL_CTX_set_default_passwd_cb(ctx, RefusePassphrase);
  if (SSL_CTX_use_certificate_chain_file(ctx, settings.cert_file.c_str()) != 1) {
    return tl::unexpected(
        PkiOpenSslError(ErrorCode::kInvalidArgument, "tls: " + settings.cert_file.string()));
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, settings.key_file.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(ctx) != 1) {
    return tl::unexpected(
        PkiOpenSslError(ErrorCode::kInvalidArgument, "tls: " + settings.key_file.string()));
  }
  return OkStatus();
}

}  // namespace vigil::pki
