#pragma once

// Internal to pki: the TLS policy of tls_context.h as steps shared by the plain server, the
// mutual-TLS server and the client (versions, suites, groups, options), and installing a
// certificate chain and key given as PEM text.
//
// Errors: kInternal if OpenSSL rejects a setting; kInvalidArgument for PEM that does not parse
// or a key that is not the certificate's. Thread safety: configure before first use.

#include <openssl/types.h>

#include <string_view>

#include "core/result.h"
#include "pki/tls_context.h"

namespace vigil::pki {

// Versions (min_version up to TLS 1.3), kTls12Ciphers, kTls13Suites, groups X25519, P-256,
// P-384, no compression, no renegotiation, no 0-RTT.
Status ApplyTlsPolicy(SSL_CTX* ctx, TlsMinVersion min_version);

// ALPN answers http/1.1 when the client offers it, and negotiates nothing otherwise.
void UseHttp11Alpn(SSL_CTX* ctx);

// The first certificate of `chain_pem` as the context's certificate, the rest sent after it,
// and `key_pem` as its key (checked against the certificate). `what` prefixes messages.
Status UseCertificateChain(SSL_CTX* ctx, std::string_view chain_pem, std::string_view key_pem,
                           std::string_view what);

}  // namespace vigil::pki
