#include "http/device_routes.h"

#include <cmath>
#include <string>

#include "core/time_format.h"
#include "http/json_body.h"
#include "http/query.h"
#include "model/device_type.h"

namespace vigil::http {
namespace {

using identity::Permission;
using nlohmann::json;

constexpr std::int64_t kNanos = 1'000'000'000;

json TimeOrNull(std::int64_t unix_seconds) {
  if (unix_seconds == 0) return nullptr;
  return FormatRfc3339(unix_seconds * kNanos, 0);
}

json NanosOrNull(std::int64_t unix_nanos) {
  if (unix_nanos == 0) return nullptr;
  return FormatRfc3339(unix_nanos, 3);
}

json CertificateJson(const store::DeviceCertificateRecord& c, const std::string& status) {
  return {{"serial", c.serial},
          {"status", status},
          {"fingerprint_sha256", c.fingerprint_sha256},
          {"not_before", TimeOrNull(c.not_before_unix)},
          {"not_after", TimeOrNull(c.not_after_unix)},
          {"issued_at", TimeOrNull(c.issued_unix)},
          {"revoked_at", TimeOrNull(c.revoked_unix)},
          {"revocation_reason",
           c.revocation_reason.empty() ? json(nullptr) : json(c.revocation_reason)}};
}

json DeviceJson(const server::DeviceView& view) {
  const store::DeviceRecord& d = view.device;
  const model::Heartbeat& hb = d.last_heartbeat;
  json heartbeat = nullptr;
  if (d.last_seen_unix_nanos != 0) {
    heartbeat = {
        {"received_at", NanosOrNull(d.last_seen_unix_nanos)},
        {"time", NanosOrNull(hb.time_unix_nanos)},
        {"firmware_version", hb.firmware_version},
        {"agent_version", hb.agent_version},
        {"uptime_seconds", hb.uptime_seconds < 0 ? json(nullptr) : json(hb.uptime_seconds)},
        {"state", hb.state},
        {"spool_dropped", hb.spool_dropped}};
  }
  return {
      {"id", d.id},
      {"name", d.name},
      {"type", d.type},
      {"manufacturer", d.manufacturer},
      {"model", d.model},
      {"firmware", d.firmware},
      {"criticality", d.criticality},
      {"serial", d.serial},
      {"location", d.location},
      {"quarantined", d.quarantined},
      {"created_at", TimeOrNull(d.created_unix)},
      {"certificate_status", view.certificate_status},
      {"certificate", view.certificate ? CertificateJson(*view.certificate, view.certificate_status)
                                       : json(nullptr)},
      {"last_heartbeat", heartbeat}};
}

const char* SeverityName(model::EventSeverity s) {
  switch (s) {
    case model::EventSeverity::kDebug:
      return "debug";
    case model::EventSeverity::kInfo:
      return "info";
    case model::EventSeverity::kNotice:
      return "notice";
    case model::EventSeverity::kWarning:
      return "warning";
    case model::EventSeverity::kError:
      return "error";
    case model::EventSeverity::kCritical:
      return "critical";
  }
  return "info";
}

// "15m", "6h", "7d" -> seconds; 0 when malformed.
std::int64_t RangeSeconds(std::string_view text) {
  if (text.size() < 2) return 0;
  std::int64_t n = 0;
  for (const char c : text.substr(0, text.size() - 1)) {
    if (c < '0' || c > '9' || n > 1'000'000) return 0;
    n = n * 10 + (c - '0');
  }
  switch (text.back()) {
    case 'm':
      return n * 60;
    case 'h':
      return n * 3600;
    case 'd':
      return n * 86400;
    default:
      return 0;
  }
}

// JSON cannot carry NaN or infinities; they travel as null.
json Number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

class Routes {
 public:
  explicit Routes(server::Runtime& runtime) : rt_(runtime), devices_(runtime.devices()) {}

  void AddAll(Router& router) {
    const Access read = Access::Needs(Permission::kDevicesRead);
    const Access manage = Access::Needs(Permission::kDevicesManage);
    router.Add("GET", "/api/v1/device-types", read, [](const Request&) { return Types(); });
    router.Add("GET", "/api/v1/devices", read, [this](const Request&) { return List(); });
    router.Add("POST", "/api/v1/devices", manage, [this](const Request& r) { return Create(r); });
    router.Add("GET", "/api/v1/devices/{id}", read, [this](const Request& r) { return Get(r); });
    router.Add("POST", "/api/v1/devices/{id}/enrollment-tokens", manage,
               [this](const Request& r) { return Token(r); });
    router.Add("POST", "/api/v1/devices/{id}/revoke", Access::Needs(Permission::kDevicesRevoke),
               [this](const Request& r) { return Revoke(r); });
    router.Add("GET", "/api/v1/devices/{id}/events", read,
               [this](const Request& r) { return Events(r); });
    router.Add("GET", "/api/v1/devices/{id}/metrics", read,
               [this](const Request& r) { return Metrics(r); });
    router.Add("GET", "/api/v1/devices/{id}/telemetry", read,
               [this](const Request& r) { return Telemetry(r); });
    router.Add("GET", "/api/v1/pki/ca", read, [this](const Request&) { return Ca(); });
  }

 private:
  static audit::Actor ActorOf(const Request& r) {
    return server::IdentityService::ActorOf(*r.principal);
  }

  static Response Types() {
    json types = json::array();
    for (const auto& t : model::DeviceTypes()) {
      types.push_back({{"name", t.name},
                       {"label", t.label},
                       {"typical_criticality", model::Name(t.typical)},
                       {"clinical", t.clinical}});
    }
    json criticalities = json::array();
    for (const auto& c : model::Criticalities()) {
      criticalities.push_back(
          {{"name", c.name},
           {"label", c.label},
           {"needs_approval_to_contain", model::NeedsApprovalToContain(c.criticality)}});
    }
    return Json(200, {{"types", types}, {"criticalities", criticalities}});
  }

  Response List() {
    auto views = devices_.ListDevices();
    if (!views) return ErrorResponse(views.error());
    json list = json::array();
    for (const auto& v : *views) list.push_back(DeviceJson(v));
    return Json(200, {{"devices", list}, {"now", FormatRfc3339(rt_.clock().NowUnixNanos(), 0)}});
  }

  Response Create(const Request& r) {
    auto body = ParseObject(r);
    if (!body) return ErrorResponse(body.error());
    server::NewDevice input;
    for (auto [name, field, required] :
         {std::tuple{"name", &input.name, true}, std::tuple{"type", &input.type, true},
          std::tuple{"manufacturer", &input.manufacturer, true},
          std::tuple{"model", &input.model, true}, std::tuple{"firmware", &input.firmware, false},
          std::tuple{"criticality", &input.criticality, true},
          std::tuple{"serial", &input.serial, false},
          std::tuple{"location", &input.location, false}}) {
      auto value = required ? StringField(*body, name, 256) : OptionalString(*body, name, 256);
      if (!value) return ErrorResponse(value.error());
      *field = std::move(*value);
    }
    auto device = devices_.AddDevice(ActorOf(r), input);
    if (!device) return ErrorResponse(device.error());
    auto view = devices_.GetDevice(device->id);
    if (!view) return ErrorResponse(view.error());
    return Json(201, {{"device", DeviceJson(*view)}});
  }

  Response Get(const Request& r) {
    auto view = devices_.GetDevice(r.Param("id"));
    if (!view) return ErrorResponse(view.error());
    return Json(200, {{"device", DeviceJson(*view)}});
  }

  Response Token(const Request& r) {
    auto issued = devices_.CreateEnrollmentToken(ActorOf(r), r.Param("id"));
    if (!issued) return ErrorResponse(issued.error());
    return Json(201, {{"token", issued->token},
                      {"device_id", issued->device_id},
                      {"expires_at", TimeOrNull(issued->expires_unix)},
                      {"ca_fingerprint_sha256", issued->ca_fingerprint_sha256},
                      {"gateway_listen", devices_.GatewayAddress()}});
  }

  Response Revoke(const Request& r) {
    std::string reason;
    if (!r.body.empty()) {
      auto body = ParseObject(r);
      if (!body) return ErrorResponse(body.error());
      auto value = OptionalString(*body, "reason", 64);
      if (!value) return ErrorResponse(value.error());
      reason = std::move(*value);
    }
    auto serials = devices_.Revoke(ActorOf(r), r.Param("id"), reason);
    if (!serials) return ErrorResponse(serials.error());
    return Json(200, {{"revoked_serials", *serials}});
  }

  Response Events(const Request& r) {
    std::int64_t after = 0;
    std::int64_t limit = 100;
    if (!ReadQueryInt(r.query, "after", after) || !ReadQueryInt(r.query, "limit", limit) ||
        limit < 1 || limit > 1000 || after < 0) {
      return JsonError(400, "invalid_argument",
                       "after and limit must be integers (limit 1 to 1000)");
    }
    auto events = devices_.Events(r.Param("id"), after, static_cast<std::size_t>(limit));
    if (!events) return ErrorResponse(events.error());
    json list = json::array();
    for (const auto& e : *events) {
      list.push_back({{"seq", e.seq},
                      {"time", NanosOrNull(e.event.time_unix_nanos)},
                      {"received_at", NanosOrNull(e.received_unix_nanos)},
                      {"kind", e.event.kind},
                      {"severity", SeverityName(e.event.severity)},
                      {"message", e.event.message},
                      {"attributes", e.event.attributes},
                      {"flagged", e.flagged}});
    }
    return Json(200, {{"events", list}});
  }

  Response Metrics(const Request& r) {
    auto metrics = devices_.Metrics(r.Param("id"));
    if (!metrics) return ErrorResponse(metrics.error());
    json list = json::array();
    for (const auto& m : *metrics) {
      list.push_back({{"name", m.name},
                      {"unit", m.unit},
                      {"first", NanosOrNull(m.first_unix_nanos)},
                      {"last", NanosOrNull(m.last_unix_nanos)}});
    }
    return Json(200, {{"metrics", list}});
  }

  // ?metric=NAME&range=6h, or &from=RFC3339[&to=RFC3339]. Columnar, as charts take it: times in
  // Unix seconds; raw values, or for ranges over 6 hours 5-minute means with min and max.
  Response Telemetry(const Request& r) {
    // An unknown device answers 404 whatever the query says.
    if (auto device = devices_.GetDevice(r.Param("id")); !device) {
      return ErrorResponse(device.error());
    }
    const auto metric = QueryValue(r.query, "metric");
    if (!metric || metric->empty()) {
      return JsonError(400, "invalid_argument", "metric: required (?metric=NAME)");
    }
    const std::int64_t now = rt_.clock().NowUnixNanos();
    std::int64_t from = now - 6 * 3600 * kNanos;
    std::int64_t to = now + 60 * kNanos;
    if (const auto range = QueryValue(r.query, "range")) {
      const std::int64_t seconds = RangeSeconds(*range);
      if (seconds <= 0 || seconds > 400 * 86400) {
        return JsonError(400, "invalid_argument", "range: like 15m, 6h or 7d (at most 400d)");
      }
      from = now - seconds * kNanos;
    }
    for (auto [name, out] : {std::pair{"from", &from}, std::pair{"to", &to}}) {
      if (const auto text = QueryValue(r.query, name)) {
        auto parsed = ParseRfc3339(*text);
        if (!parsed) return ErrorResponse(Annotate(parsed.error(), name));
        *out = *parsed;
      }
    }
    auto series = devices_.Telemetry(r.Param("id"), *metric, from, to);
    if (!series) return ErrorResponse(series.error());
    json times = json::array();
    json values = json::array();
    json body = {{"metric", *metric},
                 {"resolution", series->resolution},
                 {"from", FormatRfc3339(from, 0)},
                 {"to", FormatRfc3339(to, 0)}};
    if (series->resolution == "raw") {
      for (const auto& s : series->samples) {
        times.push_back(static_cast<double>(s.time_unix_nanos) / 1e9);
        values.push_back(Number(s.value));
      }
    } else {
      json mins = json::array();
      json maxs = json::array();
      for (const auto& w : series->rollups) {
        times.push_back(w.start_unix_nanos / kNanos);
        values.push_back(w.count > 0 ? Number(w.sum / static_cast<double>(w.count))
                                     : json(nullptr));
        mins.push_back(Number(w.min));
        maxs.push_back(Number(w.max));
      }
      body["min"] = std::move(mins);
      body["max"] = std::move(maxs);
    }
    body["times"] = std::move(times);
    body["values"] = std::move(values);
    return Json(200, body);
  }

  Response Ca() {
    return Json(200, {{"root_certificate", devices_.RootCertificatePem()},
                      {"fingerprint_sha256", devices_.RootFingerprint()},
                      {"gateway_listen", devices_.GatewayAddress()}});
  }

  server::Runtime& rt_;
  server::DeviceService& devices_;
};

}  // namespace

void AddDeviceRoutes(Router& router, server::Runtime& runtime) {
  auto routes = std::make_shared<Routes>(runtime);
  routes->AddAll(router);
  router.KeepAlive(routes);
}

}  // namespace vigil::http
