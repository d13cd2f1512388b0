#include "http/inventory_routes.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>

#include "core/time_format.h"
#include "http/inventory_json.h"
#include "http/json_body.h"
#include "http/query.h"
#include "model/device_type.h"

namespace vigil::http {
namespace {

using identity::Permission;
using nlohmann::json;

constexpr std::int64_t kNanos = 1'000'000'000;
constexpr std::int64_t kDay = 86400 * kNanos;
constexpr std::size_t kMaxText = 256;
constexpr std::int64_t kMinTime = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMaxTime = std::numeric_limits<std::int64_t>::max();

struct Window {
  std::int64_t from = 0;
  std::int64_t to = 0;
};

// Reads a request's query parameters; the first bad one is kept as a kInvalidArgument naming
// it, and the reads after it answer their defaults.
class Params {
 public:
  explicit Params(const Request& r) : query_(r.query) {}

  // At most kMaxText bytes; "" when absent.
  std::string Text(std::string_view name) {
    std::string text = QueryValue(query_, name).value_or("");
    if (text.size() > kMaxText) {
      Fail(name, "longer than " + std::to_string(kMaxText) + " bytes");
      return {};
    }
    return text;
  }

  // An integer in [min, max]; `fallback` when absent.
  std::int64_t Int(std::string_view name, std::int64_t fallback, std::int64_t min,
                   std::int64_t max) {
    std::int64_t value = fallback;
    if (!ReadQueryInt(query_, name, value) || value < min || value > max) {
      Fail(name, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
      return fallback;
    }
    return value;
  }

  // An RFC 3339 time; nullopt when absent.
  std::optional<std::int64_t> Time(std::string_view name) {
    const auto text = QueryValue(query_, name);
    if (!text) return std::nullopt;
    auto parsed = ParseRfc3339(*text);
    if (!parsed) {
      Keep(Annotate(parsed.error(), name));
      return std::nullopt;
    }
    return *parsed;
  }

  std::optional<IpAddress> Address(std::string_view name) {
    const auto text = QueryValue(query_, name);
    if (!text) return std::nullopt;
    auto ip = IpAddress::Parse(*text);
    if (!ip) {
      Keep(Annotate(ip.error(), name));
      return std::nullopt;
    }
    return *ip;
  }

  // ?from=&to= with these defaults; `to` before `from` is an error.
  Window Range(std::int64_t from, std::int64_t to) {
    Window w{.from = Time("from").value_or(from), .to = Time("to").value_or(to)};
    if (w.to < w.from) Fail("to", "before from");
    return w;
  }

  void Fail(std::string_view name, std::string_view why) {
    Keep({ErrorCode::kInvalidArgument, std::string(name) + ": " + std::string(why)});
  }
  const std::optional<Error>& error() const { return error_; }

 private:
  void Keep(Error e) {
    if (!error_) error_ = std::move(e);
  }

  std::string_view query_;
  std::optional<Error> error_;
};

template <typename T>
Response Answer(const Result<T>& result, const std::function<json(const T&)>& to_json) {
  if (!result) return ErrorResponse(result.error());
  return Json(200, to_json(*result));
}

json FindingList(const std::vector<store::StoredFinding>& found) {
  json findings = json::array();
  for (const store::StoredFinding& f : found) findings.push_back(InventoryFindingJson(f));
  return {{"findings", std::move(findings)}};
}

bool IsDeviceType(std::string_view name) {
  const auto types = model::DeviceTypes();
  return std::any_of(types.begin(), types.end(), [&](const auto& t) { return t.name == name; });
}

class Routes {
 public:
  explicit Routes(server::Runtime& runtime) : rt_(runtime), inv_(runtime.inventory()) {}

  void AddAll(Router& router) {
    const Access read = Access::Needs(Permission::kInventoryRead);
    router.Add("GET", "/api/v1/inventory/devices", read,
               [this](const Request& r) { return List(r); });
    router.Add("GET", "/api/v1/inventory/devices/{id}", read,
               [this](const Request& r) { return Get(r); });
    router.Add("GET", "/api/v1/inventory/devices/{id}/flows", read,
               [this](const Request& r) { return Flows(r); });
    router.Add("GET", "/api/v1/inventory/devices/{id}/peers", read,
               [this](const Request& r) { return Peers(r); });
    router.Add("GET", "/api/v1/inventory/devices/{id}/findings", read,
               [this](const Request& r) { return DeviceFindings(r); });
    router.Add("GET", "/api/v1/inventory/findings", read,
               [this](const Request& r) { return Findings(r); });
    router.Add("GET", "/api/v1/inventory/compare", read,
               [this](const Request& r) { return Compare(r); });
  }

 private:
  std::int64_t Now() const { return rt_.clock().NowUnixNanos(); }

  Response List(const Request& r) {
    Params p(r);
    store::ObservedDeviceFilter filter;
    filter.device_type = p.Text("type");
    if (!filter.device_type.empty() && !IsDeviceType(filter.device_type)) {
      p.Fail("type", "not a device type (GET /api/v1/device-types lists them)");
    }
    filter.manufacturer = p.Text("manufacturer");
    filter.search = p.Text("search");
    filter.last_seen_after_unix_nanos = p.Time("seen_after");
    filter.last_seen_before_unix_nanos = p.Time("seen_before");
    const std::int64_t offset = p.Int("offset", 0, 0, std::numeric_limits<std::int32_t>::max());
    const std::int64_t limit = p.Int("limit", 100, 1, 1000);
    if (p.error()) return ErrorResponse(*p.error());
    filter.offset = static_cast<std::size_t>(offset);
    filter.limit = static_cast<std::size_t>(limit);
    return Answer<store::ObservedDevicePage>(inv_.ListDevices(filter),
                                             [&](const store::ObservedDevicePage& page) {
                                               json devices = json::array();
                                               for (const auto& d : page.devices)
                                                 devices.push_back(InventorySummaryJson(d));
                                               return json{{"devices", std::move(devices)},
                                                           {"total", page.total},
                                                           {"offset", offset},
                                                           {"limit", limit}};
                                             });
  }

  Response Get(const Request& r) {
    auto device = inv_.GetDevice(r.Param("id"));
    if (!device) return ErrorResponse(device.error());
    auto registered = inv_.RegisteredMatch(*device);
    if (!registered) return ErrorResponse(registered.error());
    return Json(200, InventoryDetailJson(*device, *registered));
  }

  Response Flows(const Request& r) {
    Params p(r);
    const std::int64_t now = Now();
    const Window w = p.Range(now - kDay, now + 60 * kNanos);
    const std::int64_t limit = p.Int("limit", 500, 1, 5000);
    if (p.error()) return ErrorResponse(*p.error());
    auto device = inv_.GetDevice(r.Param("id"));
    if (!device) return ErrorResponse(device.error());
    auto rows = inv_.DeviceFlows(device->id, w.from, w.to, static_cast<std::size_t>(limit));
    if (!rows) return ErrorResponse(rows.error());
    json flows = json::array();
    for (const model::FlowAggregate& row : *rows) {
      // Relative to the device: outbound when one of its addresses opened the conversation.
      const bool outbound =
          std::any_of(device->addresses.begin(), device->addresses.end(),
                      [&](const model::ObservedAddress& a) { return a.ip == row.client; });
      flows.push_back(InventoryFlowJson(row, outbound));
    }
    return Json(200, {{"flows", std::move(flows)}});
  }

  Response Peers(const Request& r) {
    Params p(r);
    const std::int64_t now = Now();
    const Window w = p.Range(now - kDay, now + 60 * kNanos);
    if (p.error()) return ErrorResponse(*p.error());
    return Answer<std::vector<server::InventoryPeer>>(
        inv_.DevicePeers(r.Param("id"), w.from, w.to),
        [](const std::vector<server::InventoryPeer>& found) {
          json peers = json::array();
          for (const server::InventoryPeer& peer : found) peers.push_back(InventoryPeerJson(peer));
          return json{{"peers", std::move(peers)}};
        });
  }

  // Findings have no default window: the newest `limit` of all time.
  Response DeviceFindings(const Request& r) {
    Params p(r);
    const std::string kind = p.Text("kind");
    const Window w = p.Range(kMinTime, kMaxTime);
    const std::int64_t limit = p.Int("limit", 100, 1, 1000);
    if (p.error()) return ErrorResponse(*p.error());
    return Answer<std::vector<store::StoredFinding>>(
        inv_.DeviceFindings(r.Param("id"), kind, w.from, w.to, static_cast<std::size_t>(limit)),
        FindingList);
  }

  Response Findings(const Request& r) {
    Params p(r);
    store::FindingFilter filter;
    filter.device_id = p.Text("device_id");
    filter.kind = p.Text("kind");
    filter.address = p.Address("address");
    const Window w = p.Range(kMinTime, kMaxTime);
    const std::int64_t limit = p.Int("limit", 100, 1, 1000);
    if (p.error()) return ErrorResponse(*p.error());
    filter.from_unix_nanos = w.from;
    filter.to_unix_nanos = w.to;
    filter.limit = static_cast<std::size_t>(limit);
    return Answer<std::vector<store::StoredFinding>>(inv_.Findings(filter), FindingList);
  }

  Response Compare(const Request& r) {
    Params p(r);
    const std::int64_t days = p.Int("days", 7, 0, 3650);
    if (p.error()) return ErrorResponse(*p.error());
    return Answer<server::InventoryComparison>(
        inv_.Compare(static_cast<int>(days)), [&](const server::InventoryComparison& c) {
          json unregistered = json::array();
          for (const auto& d : c.unregistered) unregistered.push_back(InventorySummaryJson(d));
          json not_seen = json::array();
          for (const auto& entry : c.not_seen) not_seen.push_back(NotSeenJson(entry));
          return json{{"days", days},
                      {"unregistered", std::move(unregistered)},
                      {"not_seen", std::move(not_seen)}};
        });
  }

  server::Runtime& rt_;
  server::InventoryService& inv_;
};

}  // namespace

void AddInventoryRoutes(Router& router, server::Runtime& runtime) {
  auto routes = std::make_shared<Routes>(runtime);
  routes->AddAll(router);
  router.KeepAlive(routes);
}

}  // namespace vigil::http
