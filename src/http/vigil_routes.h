#pragma once

// Every route of `vigil serve` in one place, so the server and the tests that walk its routes
// (the permission table, the OpenAPI document) cannot drift apart: the system routes, the
// identity and audit API with its authentication guard, and the dashboard's static files.
//
// `runtime` and `pool` must outlive the router. Returns how many dashboard files were loaded
// (0 when `web_root` has no index.html).

#include <cstddef>
#include <filesystem>
#include <string>

#include "core/worker_pool.h"
#include "http/router.h"
#include "server/runtime.h"

namespace vigil::http {

std::size_t AddVigilRoutes(Router& router, server::Runtime& runtime, WorkerPool& pool,
                           const std::filesystem::path& web_root, std::string version);

}  // namespace vigil::http
