// HTTPS over mutual TLS from many connections in one epoll loop (OpenSSL, non-blocking):
// Mode::kHttps keeps each connection open and POSTs telemetry bodies one after another;
// Mode::kHandshake opens a connection, completes a full handshake (client-side resumption is
// off), GETs `path` once, closes and starts again. Runs for `seconds`, then lets the requests
// in flight finish (at most 10 s more).
#pragma once

#include "load_result.h"
#include "options.h"

namespace loadgen {

LoadResult RunHttps(const Options& options);

}  // namespace loadgen
