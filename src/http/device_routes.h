#pragma once

// The operators' device API: device records, the device-type vocabulary, enrolment tokens,
// revocation, and what devices reported (heartbeat, events, telemetry), through
// server::DeviceService. Permissions: devices.read, devices.manage, devices.revoke
// (docs/permissions.md). `runtime` must outlive the router.

#include "http/router.h"
#include "server/runtime.h"

namespace vigil::http {

void AddDeviceRoutes(Router& router, server::Runtime& runtime);

}  // namespace vigil::http
