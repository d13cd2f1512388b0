#pragma once

// Mutual TLS between devices and the gateway, on OpenSSL SSL_CTX/SSL objects the caller owns.
//
// Server: the policy of ConfigureServerTlsContext (tls_context.h), plus a request for a client
// certificate that does not fail the handshake when none comes (/v1/enroll and /v1/crl are
// anonymous; the gateway refuses certificate-less requests elsewhere, through DescribePeer).
// A certificate that is presented must chain to client_ca_pem, be within its validity, carry
// EKU clientAuth and not be in `revoked` at the time of the handshake, or the handshake fails.
// Session resumption (IDs and tickets, TLS 1.2 and 1.3) is off on these contexts, so that every
// connection is checked against the revocation list of its own moment; a handshake costs a
// full key exchange, which the gateway's keep-alive connections amortise.
//
// Client (vigil-agent): trusts either a root it stored or, on first contact, the self-signed
// root the server presents whose SHA-256 fingerprint equals a pin (given to the agent out of
// band, for example on the enrolment screen). Per connection, SNI and the check of the host
// name or IP address against the server certificate's SANs.
//
// Errors: kInvalidArgument for PEM that does not parse, a key that is not its certificate's,
// contradictory settings, a pin that is not 64 hex digits or an empty host; kInternal if
// OpenSSL rejects a setting; kUnauthenticated from PresentedRootPem when the handshake did not
// verify a chain.
// Thread safety: configure a context before any connection uses it; then it may be shared.
// The RevocationList is shared with the caller, who may update it from any thread.

#include <openssl/types.h>

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "pki/revocation_list.h"
#include "pki/tls_context.h"

namespace vigil::pki {

struct MutualTlsSettings {
  std::string cert_chain_pem;  // Server leaf + intermediate + root (presented whole).
  std::string key_pem;
  std::string client_ca_pem;  // Root and intermediate certificates device certs chain to.
  std::shared_ptr<const RevocationList> revoked;  // May be null.
  TlsMinVersion min_version = TlsMinVersion::kTls12;
};

// `ctx` must have been made for a server (TLS_server_method or TLS_method).
Status ConfigureMutualTlsServerContext(SSL_CTX* ctx, const MutualTlsSettings& settings);

struct ClientTlsSettings {
  std::string trusted_root_pem;    // Trust anchor(s); or empty when pinned_root_sha256 is set.
  std::string pinned_root_sha256;  // Hex: trust the chain only if the self-signed root the
                                   // server presents has this SHA-256 fingerprint.
  std::string cert_chain_pem;      // Optional client certificate (leaf [+ intermediate]).
  std::string key_pem;             // Its key; set exactly when cert_chain_pem is.
};

// `ctx` must have been made for a client (TLS_client_method or TLS_method). Exactly one of
// trusted_root_pem and pinned_root_sha256 must be set. The server's chain is verified in full
// (signatures, validity, EKU serverAuth), and against the host ConfigureClientConnection sets.
Status ConfigureClientTlsContext(SSL_CTX* ctx, const ClientTlsSettings& settings);

// Per connection, before the handshake: SNI (for names, not IPs) and the check of the server
// certificate's SANs against `host` (a DNS name, an IPv4 address, or an IPv6 address with or
// without brackets). Without this call, no name is checked.
Status ConfigureClientConnection(SSL* ssl, std::string_view host);

// After a verified handshake: the self-signed root that ends the verified chain, PEM (after a
// pinned first contact, the agent saves it and trusts it from then on).
Result<std::string> PresentedRootPem(const SSL* ssl);

}  // namespace vigil::pki
