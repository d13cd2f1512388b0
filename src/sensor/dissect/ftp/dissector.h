#pragma once

// The FTP control connection dissector. Probe: the server's greeting ("220 " or "220-", not
// an SMTP banner), a client's "USER " first, or the server port 21. It reads lines of at most
// kMaxLineBytes (longer ones are skipped) in the first kMaxScanBytes of each direction: the
// greeting, whether USER or PASS crossed in clear text (never their arguments), and an
// AUTH TLS upgrade (RFC 4217), after which it reads nothing more.
//
// Facts (subject the server, peer the client):
//   ftp.banner     the text of the server's first 220 greeting line
//   ftp.tls        "true" when the server accepted AUTH TLS (234): the session is encrypted
//
// Findings (subject the server, peer the client):
//   cleartext_login   high: USER or PASS sent in clear text (reported once per connection)
//
// Thread safety: a dissector belongs to one flow on the packet thread.

#include <cstddef>

#include "sensor/dissect/dissector.h"

namespace vigil::sensor::ftp {

inline constexpr std::size_t kMaxLineBytes = 1024;
inline constexpr std::size_t kMaxScanBytes = 16 * 1024;

const DissectorInfo& Info();

}  // namespace vigil::sensor::ftp
