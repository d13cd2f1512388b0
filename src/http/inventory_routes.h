#pragma once

// The observed inventory's API: the devices the passive sensor found (not the registered
// devices of device_routes.h), each with its identification and evidence, flow history, peers
// and findings, the findings of every device, and the comparison of observed with registered
// devices, through server::InventoryService. Permission: inventory.read (docs/permissions.md);
// the shapes are in docs/api/openapi.yaml. A malformed query parameter answers 400 naming it,
// an unknown device 404. `runtime` must outlive the router.

#include "http/router.h"
#include "server/runtime.h"

namespace vigil::http {

void AddInventoryRoutes(Router& router, server::Runtime& runtime);

}  // namespace vigil::http
