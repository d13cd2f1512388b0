#include "http/vigil_routes.h"

#include <utility>

#include "http/device_routes.h"
#include "http/identity_routes.h"
#include "http/inventory_routes.h"
#include "http/static_files.h"
#include "http/system_routes.h"

namespace vigil::http {

std::size_t AddVigilRoutes(Router& router, server::Runtime& runtime, WorkerPool& pool,
                           const std::filesystem::path& web_root, std::string version) {
  AddSystemRoutes(router, std::move(version));
  AddIdentityRoutes(router, runtime, pool);
  AddDeviceRoutes(router, runtime);
  AddInventoryRoutes(router, runtime);
  return AddStaticRoutes(router, web_root);
}

}  // namespace vigil::http
