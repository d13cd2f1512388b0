#pragma once

// Test helper: the router that `vigil serve` builds (system routes, identity routes with their
// auth guard, the dashboard's static routes) over a fresh data directory in a temporary folder,
// with a WorkerPool(1, 16) for the slow handlers. For tests that walk routes() or call every
// route through Router::DispatchAndWait without a network.
//
// Both it and src/cli/serve_command.cc register routes through http::AddVigilRoutes, so a route
// module added to `vigil serve` is walked here too.
//
// Thread safety: as http::Router once built. Destruction: the router first (its handlers use
// the pool and the runtime), then the pool, the runtime and the folder.

#include <memory>

#include "core/result.h"
#include "core/worker_pool.h"
#include "http/router.h"
#include "server/runtime.h"
#include "testing/fixtures.h"

namespace vigil::http::testing {

class ServedRouter {
 public:
  // Errors: those of server::Runtime::Open (for one, kFailedPrecondition without cracklib's
  // dictionary).
  static Result<std::unique_ptr<ServedRouter>> Open();

  const Router& router() const { return *router_; }
  server::Runtime& runtime() { return *runtime_; }

 private:
  ServedRouter() = default;

  ::vigil::testing::TempDir dir_;
  std::unique_ptr<server::Runtime> runtime_;
  std::unique_ptr<WorkerPool> pool_;
  std::unique_ptr<Router> router_;
};

}  // namespace vigil::http::testing
