#pragma once

// The routes every Vigil server has, independent of any capability:
//   GET /healthz          -> 200 {"status":"ok"}   (liveness, for load balancers and systemd)
//   GET /api/v1/version   -> 200 {"name":"vigil","version":"<version>"}
// /healthz needs no credentials (load balancers, systemd); the version needs a signed-in caller
// (permission `self`), since a version number tells an attacker which advisories apply.
//
// Thread safety: call before the router is handed to a Server. Errors: none.

#include <string>

#include "http/router.h"

namespace vigil::http {

void AddSystemRoutes(Router& router, std::string version);

}  // namespace vigil::http
