#include "served_router.h"

#include "config/config.h"
#include "http/vigil_routes.h"

namespace vigil::http::testing {

Result<std::unique_ptr<ServedRouter>> ServedRouter::Open() {
  std::unique_ptr<ServedRouter> served(new ServedRouter());
  config::Config config;
  config.storage.data_dir = (served->dir_ / "data").string();
  auto runtime = server::Runtime::Open(config, {.create = true});
  if (!runtime) return tl::unexpected(Annotate(runtime.error(), "opening the data directory"));
  served->runtime_ = std::move(*runtime);
  served->pool_ = std::make_unique<WorkerPool>(1, 16);
  served->router_ = std::make_unique<Router>();
  AddVigilRoutes(*served->router_, *served->runtime_, *served->pool_,
                 ::vigil::testing::SourceDir() / "web" / "dist", "0.0.0-test");
  return served;
}

}  // namespace vigil::http::testing
