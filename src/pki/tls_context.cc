#include "pki/tls_context.h"

#include <openssl/ssl.h>

#include <array>

#include "pki/openssl_error.h"
#include "pki/server_certificate.h"

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

Status ConfigureServerTlsContext(SSL_CTX* ctx, const ServerTlsSettings& settings) {
  // Load and check the pair first, for a message that names the file at fault.
  auto loaded =
      LoadServerCertificate({.cert_file = settings.cert_file, .key_file = settings.key_file});
  if (!loaded) {
    return tl::unexpected(loaded.error());
  }
  const int min_version =
      settings.min_version == TlsMinVersion::kTls13 ? TLS1_3_VERSION : TLS1_2_VERSION;
  if (SSL_CTX_set_min_proto_version(ctx, min_version) != 1 ||
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
  SSL_CTX_set_options(
      ctx, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_clear_options(ctx, SSL_OP_NO_TICKET);
  SSL_CTX_set_max_early_data(ctx, 0);
  SSL_CTX_set_alpn_select_cb(ctx, SelectAlpn, nullptr);

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
