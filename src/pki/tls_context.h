#pragma once

// How Vigil's TLS servers are configured, applied to an OpenSSL SSL_CTX that the caller owns
// (the HTTP server's Asio ssl::context hands over its native handle, so pki needs no Boost).
//
// The policy, after Mozilla's "intermediate" profile narrowed to forward-secret AEAD suites:
// TLS 1.2 minimum (1.3 negotiated whenever the client has it); for 1.2 only ECDHE with AES-GCM
// or ChaCha20-Poly1305; groups X25519, P-256, P-384; the server's cipher order wins; no
// compression, no renegotiation; session tickets allowed; no 0-RTT; ALPN selects http/1.1 when
// offered (and negotiates nothing otherwise).
//
// Errors: what LoadServerCertificate returns for the files (the key is checked against the
// certificate before the context is touched), kInternal if OpenSSL rejects a setting.
// Thread safety: configure a context before any connection uses it; a configured SSL_CTX is
// then safe to share between threads (OpenSSL's rule).

#include <openssl/types.h>

#include <filesystem>

#include "core/result.h"

namespace vigil::pki {

enum class TlsMinVersion { kTls12, kTls13 };

struct ServerTlsSettings {
  std::filesystem::path cert_file;  // PEM: the server certificate, then any chain.
  std::filesystem::path key_file;   // PEM: its unencrypted private key.
  TlsMinVersion min_version = TlsMinVersion::kTls12;
};

// The TLS 1.2 cipher list and TLS 1.3 suites the policy allows, in preference order.
inline constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
inline constexpr const char* kTls13Suites =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";

// Applies the policy and installs the certificate chain and key of `settings` on `ctx`, which
// must have been created for a server (TLS_server_method or TLS_method).
Status ConfigureServerTlsContext(SSL_CTX* ctx, const ServerTlsSettings& settings);

}  // namespace vigil::pki
