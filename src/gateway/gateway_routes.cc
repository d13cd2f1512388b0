#include "gateway/gateway_routes.h"

#include <chrono>
#include <functional>
#include <memory>
#include <utility>

#include "gateway/rate_limiter.h"
#include "http/json_body.h"

namespace vigil::gateway {
namespace {

using http::Access;
using http::Request;
using http::Respond;
using http::Response;

std::int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The client address without the port: "10.1.2.3:5555" -> "10.1.2.3", "[::1]:80" -> "[::1]".
std::string AddressOnly(const std::string& remote) {
  const auto colon = remote.rfind(':');
  return colon == std::string::npos ? remote : remote.substr(0, colon);
}

Response TooMany(std::int64_t retry_after, std::string_view what) {
  Response response = http::JsonError(429, "rate_limited", what);
  response.headers.emplace_back("Retry-After", std::to_string(retry_after));
  return response;
}

Response JsonText(int status, std::string body) {
  return http::JsonResponse(status, std::move(body));
}

// A sensor's certificate names it by urn:vigil:sensor:<id>, the id of its device record.
server::GatewayCaller CallerOf(const Request& request) {
  const http::ClientCertificate& cert = *request.client_certificate;
  const bool sensor = cert.device_id.empty() && !cert.sensor_id.empty();
  return {.device_id = sensor ? cert.sensor_id : cert.device_id,
          .sensor = sensor,
          .serial = cert.serial,
          .not_before_unix = cert.not_before_unix,
          .not_after_unix = cert.not_after_unix,
          .remote_address = request.remote_address};
}

class Routes {
 public:
  Routes(http::Router& router, server::DeviceService& devices, WorkerPool& pool,
         const RouteOptions& options, SensorIngest* sensors)
      : router_(router),
        devices_(devices),
        pool_(pool),
        options_(options),
        sensors_(sensors),
        per_device_(std::make_shared<RateLimiter>(options.requests_per_second,
                                                  2.0 * options.requests_per_second)),
        // Enrolment verifies and signs: a few per second per address is plenty.
        per_address_(std::make_shared<RateLimiter>(2, 10)) {}

  void AddAll() {
    router_.KeepAlive(per_device_);
    router_.KeepAlive(per_address_);
    router_.SetGuard(
        [this](Request& request, const Access& access) { return Guard(request, access); });
    Async("POST", "/v1/enroll", Access::Public(), [this](const Request& r) { return Enroll(r); });
    Async("GET", "/v1/crl", Access::Public(), [this](const Request&) { return Crl(); });
    Async("POST", "/v1/renew", Access::Device(), [this](const Request& r) { return Renew(r); });
    // The same for a sensor's certificate (its record's type makes the new one a sensor's too).
    Async("POST", "/v1/sensor/renew", Access::Sensor(),
          [this](const Request& r) { return Renew(r); });
    // Reports are parsed on the network thread and answered when the store's writer has
    // committed them (group commit): no thread waits for the disk.
    router_.AddAsync("POST", "/v1/heartbeat", Access::Device(),
                     [this](Request r, Respond respond) { Heartbeat(r, std::move(respond)); });
    router_.AddAsync("POST", "/v1/telemetry", Access::Device(),
                     [this](Request r, Respond respond) { Telemetry(r, std::move(respond)); });
    router_.AddAsync("POST", "/v1/events", Access::Device(),
                     [this](Request r, Respond respond) { Events(r, std::move(respond)); });
    router_.Add("GET", "/v1/config", Access::Device(), [this](const Request&) {
      return JsonText(200, device_protocol::WriteConfig(devices_.device_config()));
    });
    // A sensor's records, answered once the inventory has committed them. A batch is up to
    // 256 KiB of JSON merged into many devices: parsed and merged on the pool, never on the
    // network thread.
    router_.AddAsync("POST", "/v1/observations", Access::Sensor(),
                     [this](Request r, Respond respond) {
                       OnPool(std::move(r), std::move(respond), &Routes::Observations);
                     });
    router_.AddAsync("POST", "/v1/flows", Access::Sensor(), [this](Request r, Respond respond) {
      OnPool(std::move(r), std::move(respond), &Routes::Flows);
    });
  }

 private:
  using Work = std::function<Response(const Request&)>;

  std::optional<Response> Guard(Request& request, const Access& access) {
    if (access.kind == Access::Kind::kPublic) {
      if (request.method == "POST") {
        const auto decision =
            per_address_->Take(AddressOnly(request.remote_address), SteadyNanos());
        if (!decision.allowed)
          return TooMany(decision.retry_after_seconds,
                         "too many enrolment attempts from this address");
      }
      return std::nullopt;
    }
    const bool sensor_route = access.kind == Access::Kind::kSensor;
    if (access.kind != Access::Kind::kDevice && !sensor_route) {
      return http::JsonError(403, "forbidden", "not a device route");
    }
    if (!request.client_certificate) {
      return http::JsonError(401, "unauthenticated",
                             "a client certificate from Vigil's device CA is required");
    }
    // One CA certifies both; the name in the certificate decides which routes it may use.
    if (sensor_route && request.client_certificate->sensor_id.empty()) {
      return http::JsonError(403, "forbidden", "this route is for Vigil's sensors only");
    }
    if (!sensor_route && !request.client_certificate->sensor_id.empty()) {
      return http::JsonError(403, "forbidden", "a sensor certificate is not accepted here");
    }
    auto admitted = devices_.Admit(CallerOf(request));
    if (!admitted) return http::ErrorResponse(admitted.error());
    const auto decision = per_device_->Take(CallerOf(request).device_id, SteadyNanos());
    if (!decision.allowed)
      return TooMany(decision.retry_after_seconds, "too many requests from this device");
    return std::nullopt;
  }

  // Runs `work` on the ingest pool (enrolment and renewal verify and sign); 503 with
  // Retry-After when the pool is full.
  void Async(std::string method, std::string path, Access access, Work work) {
    router_.AddAsync(std::move(method), std::move(path), access,
                     [this, work = std::move(work)](Request request, Respond respond) {
                       http::OnPool(pool_, std::move(request), std::move(respond), work,
                                    "the gateway is busy; try again");
                     });
  }

  // Runs `handler` (which answers through its Respond) on the pool; 503 with Retry-After when
  // the pool is full, so the sensor keeps its batch and retries.
  void OnPool(Request request, Respond respond, void (Routes::*handler)(const Request&, Respond)) {
    auto job =
        std::make_shared<std::pair<Request, Respond>>(std::move(request), std::move(respond));
    if (pool_.TrySubmit(
            [this, job, handler] { (this->*handler)(job->first, std::move(job->second)); })) {
      return;
    }
    Response busy = http::JsonError(503, "busy", "the gateway is busy; try again");
    busy.headers.emplace_back("Retry-After", "1");
    job->second(std::move(busy));
  }

  static Response Issued(const Result<server::IssuedDeviceCertificate>& issued) {
    if (!issued) return http::ErrorResponse(issued.error());
    return JsonText(200,
                    device_protocol::WriteEnrolled({.device_id = issued->device_id,
                                                    .certificate_pem = issued->certificate_pem,
                                                    .ca_chain_pem = issued->ca_chain_pem,
                                                    .not_after_unix = issued->not_after_unix}));
  }

  Response Enroll(const Request& request) {
    auto body = device_protocol::ParseEnrollRequest(request.body, options_.limits);
    if (!body) return http::ErrorResponse(body.error());
    return Issued(devices_.Enroll(body->token, body->csr_pem, request.remote_address));
  }

  Response Renew(const Request& request) {
    auto csr = device_protocol::ParseRenewRequest(request.body, options_.limits);
    if (!csr) return http::ErrorResponse(csr.error());
    return Issued(devices_.Renew(CallerOf(request), *csr));
  }

  Response Crl() {
    auto crl = devices_.CurrentCrl();
    if (!crl) return http::ErrorResponse(crl.error());
    return Response{
        .status = 200, .content_type = "application/x-pem-file", .body = std::move(*crl)};
  }

  // The answer to a report once it is committed; 503 with Retry-After when the store is busy.
  static Response Stored(const Status& stored, std::size_t accepted) {
    if (stored) return JsonText(200, device_protocol::WriteAccepted(accepted));
    return Unstored(stored.error());
  }

  static Response Unstored(const Error& error) {
    Response response = http::ErrorResponse(error);
    if (error.code == ErrorCode::kUnavailable) response.headers.emplace_back("Retry-After", "1");
    return response;
  }

  void Heartbeat(const Request& request, Respond respond) {
    auto beat = device_protocol::ParseHeartbeat(request.body, options_.limits);
    if (!beat) return respond(http::ErrorResponse(beat.error()));
    devices_.Heartbeat(
        CallerOf(request), *beat,
        [respond = std::move(respond)](Result<server::HeartbeatResult> result) {
          if (!result) return respond(Unstored(result.error()));
          respond(JsonText(200, device_protocol::WriteHeartbeatAnswer(
                                    {.renew = result->renew, .quarantined = result->quarantined})));
        });
  }

  void Telemetry(const Request& request, Respond respond) {
    auto points = device_protocol::ParseTelemetry(request.body, options_.limits);
    if (!points) return respond(http::ErrorResponse(points.error()));
    const std::size_t count = points->size();
    devices_.Telemetry(
        CallerOf(request), std::move(*points),
        [respond = std::move(respond), count](Status stored) { respond(Stored(stored, count)); });
  }

  void Events(const Request& request, Respond respond) {
    auto events = device_protocol::ParseEvents(request.body, options_.limits);
    if (!events) return respond(http::ErrorResponse(events.error()));
    const std::size_t count = events->size();
    devices_.Events(
        CallerOf(request), std::move(*events),
        [respond = std::move(respond), count](Status stored) { respond(Stored(stored, count)); });
  }

  void Ingest(const Request& request, server::SensorBatch batch, std::size_t count,
              Respond respond) {
    if (sensors_ == nullptr) {
      return respond(
          Unstored({.code = ErrorCode::kUnavailable, .message = "this server keeps no inventory"}));
    }
    if (count == 0) return respond(JsonText(200, device_protocol::WriteAccepted(0)));
    sensors_->IngestAsync(
        "sensor:" + CallerOf(request).device_id, std::move(batch),
        [respond = std::move(respond), count](Status stored) { respond(Stored(stored, count)); });
  }

  void Observations(const Request& request, Respond respond) {
    auto body = device_protocol::ParseObservationsBody(request.body, options_.sensor_limits);
    if (!body) return respond(http::ErrorResponse(body.error()));
    const std::size_t count = body->observations.size() + body->findings.size();
    Ingest(request,
           {.observations = std::move(body->observations), .findings = std::move(body->findings)},
           count, std::move(respond));
  }

  void Flows(const Request& request, Respond respond) {
    auto flows = device_protocol::ParseFlowsBody(request.body, options_.sensor_limits);
    if (!flows) return respond(http::ErrorResponse(flows.error()));
    const std::size_t count = flows->size();
    Ingest(request, {.flows = std::move(*flows)}, count, std::move(respond));
  }

  http::Router& router_;
  server::DeviceService& devices_;
  WorkerPool& pool_;
  RouteOptions options_;
  SensorIngest* sensors_;
  std::shared_ptr<RateLimiter> per_device_;
  std::shared_ptr<RateLimiter> per_address_;
};

}  // namespace

void AddGatewayRoutes(http::Router& router, server::DeviceService& devices, WorkerPool& pool,
                      const RouteOptions& options, SensorIngest* sensors) {
  auto routes = std::make_shared<Routes>(router, devices, pool, options, sensors);
  routes->AddAll();
  router.KeepAlive(routes);
}

}  // namespace vigil::gateway
