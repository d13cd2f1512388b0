#pragma once

// The TLS stream dissector: reassembles handshake messages from the record layer of each
// direction (RFC 8446 section 5.1; a message may span records and a record may hold several)
// and reports the ClientHello, the ServerHello and, where it is in clear (TLS 1.2 and below),
// the server's first certificate. It stops a direction at ChangeCipherSpec or application data
// (encrypted beyond), after what it wants, at a gap, or at bytes that are not TLS records.
// Buffering is bounded: 16 KiB for a ClientHello or ServerHello, 64 KiB for a Certificate (the
// first certificate is read as soon as it is complete).
//
// Probe: a handshake record (0x16 0x03 0x00..0x04) whose first message is a ClientHello (1);
// any port.
//
// Facts (ClientHello: subject the client, peer the server; the rest: subject the server):
//   tls.sni                  server_name extension (RFC 6066), the host the client asked for
//   tls.alpn                 ALPN protocols the client offered, comma-separated (RFC 7301)
//   tls.client_version       the ClientHello's legacy_version, as "TLS 1.2"
//   tls.supported_versions   versions the client offered (RFC 8446 4.2.1), comma-separated
//   tls.ja3                  JA3 fingerprint of the ClientHello (MD5, hex)
//   tls.ja3_full             the JA3 string the fingerprint hashes (digits, "," and "-"; may
//                            exceed kMaxFactBytes for a hello with many suites: at most ~5 KiB)
//   tls.ja4                  JA4 fingerprint of the ClientHello (FoxIO's specification, ja4.h)
//   tls.version              the version the server selected, as "TLS 1.3"
//   tls.cipher_suite         the cipher suite the server selected, as "0x1301"
//   tls.selected_alpn        the ALPN protocol the server selected
//   tls.ja3s                 JA3S fingerprint of the ServerHello (MD5, hex)
//   tls.ja3s_full            the JA3S string the fingerprint hashes
//   tls.cert_subject_cn      the server certificate's subject common name
//   tls.cert_issuer_cn       the server certificate's issuer common name
//   tls.cert_not_before      its notBefore, as "2026-01-01T00:00:00Z"
//   tls.cert_not_after       its notAfter, same form
//
// Findings (subject the server, peer the client):
//   weak_tls_version      the server selected SSL 3.0 (high), TLS 1.0 or TLS 1.1 (medium)
//   expired_certificate   the server's certificate expired before the packet's time (medium)
//
// Thread safety: a dissector belongs to one flow on the packet thread.

#include "sensor/dissect/dissector.h"

namespace vigil::sensor::tls {

const DissectorInfo& Info();

}  // namespace vigil::sensor::tls
