#pragma once

// The gateway's routes on an http::Router, with the guard that admits devices by their
// certificate (Access::Device) and Vigil's sensors by theirs (Access::Sensor), each only on its
// own routes, and limits their rate. Separate from gateway.cc so tests can dispatch to the
// routes without TLS.
//
// `devices`, `pool` and `sensors` (if not null) must outlive the router.

#include <cstddef>
#include <functional>
#include <string>

#include "core/worker_pool.h"
#include "device_protocol/messages.h"
#include "device_protocol/sensor_records.h"
#include "http/router.h"
#include "server/device_service.h"
#include "server/inventory_service.h"

namespace vigil::gateway {

// Body sizes are limited by the server (413) before a route runs.
struct RouteOptions {
  int requests_per_second = 50;
  device_protocol::Limits limits;
  device_protocol::SensorLimits sensor_limits;
};

// Where sensors' batches go (server::InventoryService in `vigil serve`, a fake in tests).
// IngestAsync calls `done` once, after the batch is committed or with the error (kUnavailable
// when busy), from any thread; WaitForIngests returns when every `done` has run.
class SensorIngest {
 public:
  virtual ~SensorIngest() = default;
  virtual void IngestAsync(std::string source, server::SensorBatch batch,
                           std::function<void(Status)> done) = 0;
  virtual void WaitForIngests() = 0;
};

// Without `sensors` the sensor routes answer 503.
void AddGatewayRoutes(http::Router& router, server::DeviceService& devices, WorkerPool& pool,
                      const RouteOptions& options, SensorIngest* sensors = nullptr);

}  // namespace vigil::gateway
