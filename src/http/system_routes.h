#pragma once

// The routes every Vigil server has, independent of any capability:
//   GET /healthz          -> 200 {"status":"ok"}   (liveness, for load balancers and systemd)
//   GET /api/v1/version   -> 200 {"name":"vigil","version":"<version>"}
// Neither needs authentication nor reveals more than the version string given here.
//
// Thread safety: call before the router is handed to a Server. Errors: none.

#include <string>

#include "http/router.h"

namespace vigil::http {

void AddSystemRoutes(Router& router, std::string version);

}  // namespace vigil::http
