#pragma once

// The gateway's routes on an http::Router, with the guard that admits devices by their
// certificate (Access::Device) and limits their rate. Separate from gateway.cc so tests can
// dispatch to the routes without TLS.
//
// `devices` and `pool` must outlive the router.

#include <cstddef>

#include "core/worker_pool.h"
#include "device_protocol/messages.h"
#include "http/router.h"
#include "server/device_service.h"

namespace vigil::gateway {

// Body sizes are limited by the server (413) before a route runs.
struct RouteOptions {
  int requests_per_second = 50;
  device_protocol::Limits limits;
};

void AddGatewayRoutes(http::Router& router, server::DeviceService& devices, WorkerPool& pool,
                      const RouteOptions& options);

}  // namespace vigil::gateway
