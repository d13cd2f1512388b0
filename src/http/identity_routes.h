#pragma once

// The identity API (docs/api/openapi.yaml, docs/permissions.md): signing in (/api/v1/auth/...),
// one's own account (/api/v1/me...), users (/api/v1/users...), API tokens (/api/v1/tokens...),
// the credentials report, emergency-access reviews, and reading the audit log. Also installs
// the authentication guard (http/auth.h) on the router.
//
// Handlers that hash or verify passwords run on `pool`, never on the network threads; a full
// pool answers 503 with Retry-After. `runtime` and `pool` must outlive the router.

#include "core/worker_pool.h"
#include "http/router.h"
#include "server/runtime.h"

namespace vigil::http {

void AddIdentityRoutes(Router& router, server::Runtime& runtime, WorkerPool& pool);

}  // namespace vigil::http
