#pragma once

// Gateway: the device-facing HTTPS listener of `vigil serve`, on its own port. Mutual TLS with
// Vigil's device CA (pki/mutual_tls.h): every route but enrolment and the CRL needs a client
// certificate that chains to the CA and is not revoked; the device's identity comes from that
// certificate only. It presents a server certificate issued by the same CA, with the whole
// chain, fresh at each start.
//
// Routes (docs/formats/device-protocol.md): POST /v1/enroll, GET /v1/crl (anonymous);
// POST /v1/renew, POST /v1/heartbeat, POST /v1/telemetry, POST /v1/events, GET /v1/config
// (device certificate); POST /v1/observations, POST /v1/flows, POST /v1/sensor/renew (sensor
// certificate, SAN urn:vigil:sensor:<id>; docs/adr/0009). Bodies are parsed by device_protocol;
// each device may make `requests_per_second` requests (429 with Retry-After beyond), and enrolment
// attempts are limited per client address. Reports are parsed on the network thread and committed
// (Durability::kFull, group commit across connections) by the store's writer before the 2xx
// is sent, with no thread waiting for the disk (Store::WriteAsync); a full write queue answers
// 503 with Retry-After, so a device keeps its data and retries. Enrolment and renewal (verify
// and sign) and sensors' batches (parse and merge into the inventory) run on a small worker
// pool, which answers 503 with Retry-After when full.
//
// Life cycle as http::Server: Create -> Start -> Stop -> Wait. `devices` must outlive it.
// Thread safety: Stop may be called from any thread.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "gateway/gateway_routes.h"
#include "server/device_service.h"

namespace vigil::gateway {

struct GatewayOptions {
  std::string listen = "127.0.0.1:8444";
  int threads = 2;
  // Names and addresses for the server certificate, besides localhost, 127.0.0.1 and ::1.
  std::vector<std::string> server_names;
  std::size_t max_body_bytes = 256 * 1024;
  int requests_per_second = 50;
  std::size_t max_points = 1000;
  std::size_t max_events = 500;
  // Threads that enrol and renew devices (CPU-bound: verify a CSR, sign a certificate) and the
  // requests that may wait for one.
  int signing_workers = 2;
  int signing_queue = 1024;
  bool access_log = true;
};

class Gateway {
 public:
  // `sensors` (may be null: the sensor routes then answer 503) must outlive the gateway.
  static Result<std::unique_ptr<Gateway>> Create(server::DeviceService& devices,
                                                 GatewayOptions options,
                                                 SensorIngest* sensors = nullptr);
  ~Gateway();
  Gateway(const Gateway&) = delete;
  Gateway& operator=(const Gateway&) = delete;

  Status Start();
  std::uint16_t port() const;
  void Stop();
  void Wait();

 private:
  struct Impl;
  explicit Gateway(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil::gateway
