#pragma once

// The Telnet stream dissector. Probe: the first payload starts with an option negotiation
// (IAC WILL/WONT/DO/DONT or IAC SB), or the server port is 23. It reads at most the first
// kMaxScanBytes of each direction: from the server, the banner (its first line of text, if it
// comes before the client typed anything) and a login prompt; from the client only whether it
// sent text. What the user types is never read into a fact or finding.
//
// Facts (subject the server, peer the client):
//   telnet.banner         the server's first line of text, before any login
//   telnet.login_prompt   the login prompt the server sent: "login:", "username:" or "password:"
//
// Findings (subject the server, peer the client):
//   cleartext_login       high: the server asked for a login over clear-text Telnet
//
// Thread safety: a dissector belongs to one flow on the packet thread.

#include <cstddef>

#include "sensor/dissect/dissector.h"

namespace vigil::sensor::telnet {

inline constexpr std::size_t kMaxScanBytes = 4096;

const DissectorInfo& Info();

}  // namespace vigil::sensor::telnet
