// The client half of mutual TLS (mutual_tls.h): trust in a stored root or a pinned one, the
// client certificate, the per-connection host check, and reading back the root.

#include <openssl/ssl.h>

#include <algorithm>
#include <string>

#include "core/net_address.h"
#include "pki/mutual_tls.h"
#include "pki/subject_alt_names.h"
#include "pki/tls_policy.h"
#include "pki/x509_build.h"

namespace vigil::pki {
namespace {

// The pin (lowercase hex) lives in the context's ex_data, freed with the context, and is also
// the argument of the verification callback.
void FreePin(void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
  delete static_cast<std::string*>(ptr);
}

int PinIndex() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, FreePin);
  return index;
}

Result<std::string> NormalisePin(std::string_view pin) {
  std::string lower(pin);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
    return c >= 'A' && c <= 'F' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  const bool hex = lower.size() == 64 && std::all_of(lower.begin(), lower.end(), [](char c) {
                     return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                   });
  if (!hex) {
    return MakeError(ErrorCode::kInvalidArgument, "tls client: pin must be 64 hex digits");
  }
  return lower;
}

X509* FindPinnedRoot(STACK_OF(X509) * presented, const std::string& pin) {
  for (int i = 0; i < sk_X509_num(presented); ++i) {
    X509* cert = sk_X509_value(presented, i);
    if (Sha256Fingerprint(cert) == pin && X509_self_signed(cert, 1) == 1) {
      return cert;
    }
  }
  ClearOpenSslErrors();
  return nullptr;
}

// Replaces OpenSSL's chain verification for pinned contexts: the presented self-signed
// certificate with the pinned fingerprint becomes the only trust anchor, and the chain is then
// verified as usual with the parameters the SSL put in `store_ctx` (purpose ssl_server, the
// host or IP of ConfigureClientConnection, depth). The result and the verified chain are
// copied back, so SSL_get_verify_result and SSL_get0_verified_chain report them.
int VerifyPinned(X509_STORE_CTX* store_ctx, void* arg) {
  const auto* pin = static_cast<const std::string*>(arg);
  STACK_OF(X509)* presented = X509_STORE_CTX_get0_untrusted(store_ctx);
  X509* root = presented == nullptr ? nullptr : FindPinnedRoot(presented, *pin);
  if (root == nullptr) {
    X509_STORE_CTX_set_error(store_ctx, X509_V_ERR_CERT_UNTRUSTED);
    return 0;
  }
  OpenSslPtr<X509_STORE> anchors(X509_STORE_new());
  OpenSslPtr<X509_STORE_CTX> pinned(X509_STORE_CTX_new());
  if (!anchors || !pinned || X509_STORE_add_cert(anchors.get(), root) != 1 ||
      X509_STORE_CTX_init(pinned.get(), anchors.get(), X509_STORE_CTX_get0_cert(store_ctx),
                          presented) != 1 ||
      X509_VERIFY_PARAM_set1(X509_STORE_CTX_get0_param(pinned.get()),
                             X509_STORE_CTX_get0_param(store_ctx)) != 1) {
    ClearOpenSslErrors();
    X509_STORE_CTX_set_error(store_ctx, X509_V_ERR_UNSPECIFIED);
    return 0;
  }
  const int verified = X509_verify_cert(pinned.get());
  X509_STORE_CTX_set_error(store_ctx, X509_STORE_CTX_get_error(pinned.get()));
  X509_STORE_CTX_set_error_depth(store_ctx, X509_STORE_CTX_get_error_depth(pinned.get()));
  X509_STORE_CTX_set0_verified_chain(store_ctx, X509_STORE_CTX_get1_chain(pinned.get()));
  return verified == 1 ? 1 : 0;
}

Status UseTrustedRoots(SSL_CTX* ctx, std::string_view pem) {
  auto roots = ParseCertificateChainPem(pem);
  if (!roots) {
    return tl::unexpected(Annotate(roots.error(), "tls client: trusted root"));
  }
  OpenSslPtr<X509_STORE> store(X509_STORE_new());
  if (!store) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kResourceExhausted, "tls client"));
  }
  for (const auto& root : *roots) {
    if (X509_STORE_add_cert(store.get(), root.get()) != 1) {
      return tl::unexpected(PkiOpenSslError(ErrorCode::kInvalidArgument, "tls client: root"));
    }
  }
  if (SSL_CTX_set1_verify_cert_store(ctx, store.get()) != 1) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "tls client: trust store"));
  }
  return OkStatus();
}

Status UsePin(SSL_CTX* ctx, std::string pin) {
  const int index = PinIndex();
  delete static_cast<std::string*>(SSL_CTX_get_ex_data(ctx, index));
  auto owned = std::make_unique<std::string>(std::move(pin));
  if (SSL_CTX_set_ex_data(ctx, index, owned.get()) != 1) {
    SSL_CTX_set_ex_data(ctx, index, nullptr);
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "tls client: pin"));
  }
  SSL_CTX_set_cert_verify_callback(ctx, VerifyPinned, owned.release());
  return OkStatus();
}

}  // namespace

Status ConfigureClientTlsContext(SSL_CTX* ctx, const ClientTlsSettings& settings) {
  if (settings.trusted_root_pem.empty() == settings.pinned_root_sha256.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "tls client: set exactly one of a trusted root and a pinned root");
  }
  if (settings.cert_chain_pem.empty() != settings.key_pem.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "tls client: a client certificate needs its key, and a key its certificate");
  }
  VIGIL_RETURN_IF_ERROR(ApplyTlsPolicy(ctx, TlsMinVersion::kTls12));
  if (!settings.cert_chain_pem.empty()) {
    VIGIL_RETURN_IF_ERROR(
        UseCertificateChain(ctx, settings.cert_chain_pem, settings.key_pem, "tls client"));
  }
  if (!settings.trusted_root_pem.empty()) {
    VIGIL_RETURN_IF_ERROR(UseTrustedRoots(ctx, settings.trusted_root_pem));
  } else {
    auto pin = NormalisePin(settings.pinned_root_sha256);
    if (!pin) {
      return tl::unexpected(pin.error());
    }
    VIGIL_RETURN_IF_ERROR(UsePin(ctx, std::move(*pin)));
  }
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  return OkStatus();
}

Status ConfigureClientConnection(SSL* ssl, std::string_view host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (const auto ip = IpAddress::Parse(host); ip) {
    // RFC 6066 section 3: literal IP addresses are not sent as SNI.
    if (X509_VERIFY_PARAM_set1_ip(SSL_get0_param(ssl), ip->bytes().data(), ip->bytes().size()) !=
        1) {
      return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "tls client: ip check"));
    }
    return OkStatus();
  }
  if (!IsValidDnsName(host) || host.find('*') != std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "tls client: invalid host \"" + std::string(host) + "\"");
  }
  const std::string name(host);
  SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  if (SSL_set_tlsext_host_name(ssl, name.c_str()) != 1 || SSL_set1_host(ssl, name.c_str()) != 1) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "tls client: host check"));
  }
  return OkStatus();
}

Result<std::string> PresentedRootPem(const SSL* ssl) {
  STACK_OF(X509)* chain = SSL_get0_verified_chain(ssl);
  if (SSL_get_verify_result(ssl) != X509_V_OK || chain == nullptr || sk_X509_num(chain) == 0) {
    return MakeError(ErrorCode::kUnauthenticated, "tls client: no verified server chain");
  }
  X509* root = sk_X509_value(chain, sk_X509_num(chain) - 1);
  if (X509_self_signed(root, 0) != 1) {
    ClearOpenSslErrors();
    return MakeError(ErrorCode::kNotFound, "tls client: verified chain ends without a root");
  }
  auto pem = CertificatePem(root);
  if (!pem) {
    return tl::unexpected(Annotate(pem.error(), "tls client"));
  }
  return pem;
}

}  // namespace vigil::pki
