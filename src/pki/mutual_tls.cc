// ConfigureMutualTlsServerContext: the server half of mutual TLS (mutual_tls.h).

#include "pki/mutual_tls.h"

#include <openssl/ssl.h>

#include "pki/serial.h"
#include "pki/tls_policy.h"
#include "pki/x509_build.h"

namespace vigil::pki {
namespace {

constexpr std::string_view kSessionIdContext = "vigil-mtls";

// The revocation list a context consults lives in the context's ex_data, as a heap-allocated
// shared_ptr that OpenSSL frees with the context.
using RevocationHolder = std::shared_ptr<const RevocationList>;

void FreeRevocationHolder(void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
  delete static_cast<RevocationHolder*>(ptr);
}

int RevocationIndex() {
  static const int index =
      SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, FreeRevocationHolder);
  return index;
}

const RevocationList* RevocationListOf(X509_STORE_CTX* store_ctx) {
  const auto* ssl = static_cast<const SSL*>(
      X509_STORE_CTX_get_ex_data(store_ctx, SSL_get_ex_data_X509_STORE_CTX_idx()));
  if (ssl == nullptr) {
    return nullptr;
  }
  const auto* holder = static_cast<const RevocationHolder*>(
      SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), RevocationIndex()));
  return holder == nullptr ? nullptr : holder->get();
}

// OpenSSL has checked the chain (signatures, validity, the "ssl_client" purpose, which lets a
// certificate without EKU pass); at the leaf, require EKU clientAuth and consult the list.
int VerifyClient(int preverify_ok, X509_STORE_CTX* store_ctx) {
  if (preverify_ok != 1 || X509_STORE_CTX_get_error_depth(store_ctx) != 0) {
    return preverify_ok;
  }
  X509* leaf = X509_STORE_CTX_get_current_cert(store_ctx);
  if ((X509_get_extension_flags(leaf) & EXFLAG_XKUSAGE) == 0 ||
      (X509_get_extended_key_usage(leaf) & XKU_SSL_CLIENT) == 0) {
    X509_STORE_CTX_set_error(store_ctx, X509_V_ERR_INVALID_PURPOSE);
    return 0;
  }
  const RevocationList* revoked = RevocationListOf(store_ctx);
  if (revoked != nullptr && revoked->IsRevoked(SerialHex(X509_get0_serialNumber(leaf)))) {
    X509_STORE_CTX_set_error(store_ctx, X509_V_ERR_CERT_REVOKED);
    return 0;
  }
  return 1;
}

Status UseClientCas(SSL_CTX* ctx, std::string_view pem) {
  auto certs = ParseCertificateChainPem(pem);
  if (!certs) {
    return tl::unexpected(Annotate(certs.error(), "mtls: client ca"));
  }
  OpenSslPtr<X509_STORE> store(X509_STORE_new());
  if (!store) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kResourceExhausted, "mtls: client ca"));
  }
  for (const auto& cert : *certs) {
    // Also named in the CertificateRequest, so a client holding several certificates picks ours.
    if (X509_STORE_add_cert(store.get(), cert.get()) != 1 ||
        SSL_CTX_add_client_CA(ctx, cert.get()) != 1) {
      return tl::unexpected(PkiOpenSslError(ErrorCode::kInvalidArgument, "mtls: client ca"));
    }
  }
  if (SSL_CTX_set1_verify_cert_store(ctx, store.get()) != 1) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "mtls: client ca"));
  }
  return OkStatus();
}

Status UseRevocationList(SSL_CTX* ctx, const std::shared_ptr<const RevocationList>& revoked) {
  const int index = RevocationIndex();
  delete static_cast<RevocationHolder*>(SSL_CTX_get_ex_data(ctx, index));
  auto holder = std::make_unique<RevocationHolder>(revoked);
  if (SSL_CTX_set_ex_data(ctx, index, holder.get()) != 1) {
    SSL_CTX_set_ex_data(ctx, index, nullptr);
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "mtls: revocation list"));
  }
  static_cast<void>(holder.release());  // Freed by FreeRevocationHolder with the context.
  return OkStatus();
}

// No session IDs, no tickets (TLS 1.2 or 1.3): a resumed session would skip the verify callback
// and so the revocation list.
Status DisableResumption(SSL_CTX* ctx) {
  if (SSL_CTX_set_session_id_context(
          ctx, reinterpret_cast<const unsigned char*>(kSessionIdContext.data()),
          static_cast<unsigned int>(kSessionIdContext.size())) != 1 ||
      SSL_CTX_set_num_tickets(ctx, 0) != 1) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "mtls: sessions"));
  }
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
  return OkStatus();
}

}  // namespace

Status ConfigureMutualTlsServerContext(SSL_CTX* ctx, const MutualTlsSettings& settings) {
  VIGIL_RETURN_IF_ERROR(
      UseCertificateChain(ctx, settings.cert_chain_pem, settings.key_pem, "mtls: server"));
  VIGIL_RETURN_IF_ERROR(ApplyTlsPolicy(ctx, settings.min_version));
  SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
  UseHttp11Alpn(ctx);
  VIGIL_RETURN_IF_ERROR(DisableResumption(ctx));
  VIGIL_RETURN_IF_ERROR(UseClientCas(ctx, settings.client_ca_pem));
  VIGIL_RETURN_IF_ERROR(UseRevocationList(ctx, settings.revoked));
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_CLIENT_ONCE, VerifyClient);
  return OkStatus();
}

}  // namespace vigil::pki
