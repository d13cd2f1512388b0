#pragma once

// Internal to crypto: turns libcrypto's thread-local error queue into an Error.
//
// libcrypto queues a reason on most failures and leaves it there. A stale entry would later
// mislead other OpenSSL users on the same thread (SSL_get_error reads the queue), so every
// failure path in this module ends by calling one of these, which also empty the queue.
//
// Thread safety: the queue is per thread; both functions touch only the caller's.

#include <string_view>

#include "core/result.h"

namespace vigil::crypto {

// An Error with `code` and message "`what`: <first libcrypto reason>" (or just `what`).
Error OpenSslError(ErrorCode code, std::string_view what);

// Discards queued libcrypto errors after a failure that is an expected outcome (a bad tag).
void ClearOpenSslErrors();

}  // namespace vigil::crypto
