// The observed inventory's REST API (src/http/inventory_routes.h) through the router `vigil
// serve` builds, over a real data directory whose inventory is fed by InventoryService::Ingest:
// three observed devices (a Cisco phone that matches a registered device by name, a Windows
// workstation last seen two hours ago, and a server known only by its address), their flows and
// findings. Calls carry an API token, as scripts do.

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/time_format.h"
#include "http/router.h"
#include "identity/permissions.h"
#include "served_router.h"
#include "server/identity_service.h"

namespace vigil::http {
namespace {

using nlohmann::json;

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kHour = 3600 * kSecond;
const std::string kPhone = "mac-02000000000a";
const std::string kWorkstation = "mac-02000000000b";
const std::string kServer = "ip-10.9.0.1";
const audit::Actor kActor{.kind = audit::ActorKind::kSystem, .id = "inventory_routes_test"};

IpAddress Ip(std::string_view text) { return IpAddress::Parse(text).value(); }

model::Observation Dhcp(std::int64_t time, std::string_view mac, std::string_view ip,
                        std::string hostname, std::string vendor_class) {
  return {.time_unix_nanos = time,
          .protocol = "dhcp",
          .subject = {.mac = MacAddress::Parse(mac).value(), .ip = Ip(ip), .port = 68},
          .peer = std::nullopt,
          .vlan = 0,
          .facts = {{"dhcp.hostname", std::move(hostname)},
                    {"dhcp.vendor_class", std::move(vendor_class)}}};
}

model::FlowRecord Flow(std::int64_t end, std::string_view client, std::string_view server,
                       std::uint16_t port, std::string application, std::uint64_t bytes) {
  return {.start_unix_nanos = end - kSecond,
          .end_unix_nanos = end,
          .vlan = 0,
          .ip_protocol = 6,
          .client = {.mac = std::nullopt, .ip = Ip(client), .port = 40000},
          .server = {.mac = std::nullopt, .ip = Ip(server), .port = port},
          .client_packets = 2,
          .client_bytes = bytes,
          .server_packets = 1,
          .server_bytes = 0,
          .application = std::move(application),
          .tcp_state = "closed",
          .end = model::FlowEnd::kClosed};
}

model::Finding MakeFinding(std::int64_t time, std::string kind, std::string_view subject,
                           std::optional<model::Endpoint> peer) {
  return {.time_unix_nanos = time,
          .kind = std::move(kind),
          .protocol = "telnet",
          .severity = model::FindingSeverity::kHigh,
          .subject = {.mac = std::nullopt, .ip = Ip(subject), .port = 23},
          .peer = std::move(peer),
          .vlan = 0,
          .detail = "login in clear text"};
}

struct Answer {
  int status = 0;
  json body;
};

class InventoryRoutesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { setup_error_ = SetUpServer(); }
  static void TearDownTestSuite() { served_.reset(); }

  static std::string SetUpServer() {
    auto served = testing::ServedRouter::Open();
    if (!served) return served.error().message;
    served_ = std::move(*served);
    server::Runtime& rt = served_->runtime();
    auto owner = rt.identity().CreateUser(kActor, "inventoryreader", "auditor");
    if (!owner) return owner.error().message;
    const identity::Principal who{.user_id = owner->user.id,
                                  .username = owner->user.username,
                                  .role = identity::Role::kAuditor};
    auto reader = rt.identity().CreateToken(who, "inventory", {"inventory.read"}, 1);
    auto devices_only = rt.identity().CreateToken(who, "devices", {"devices.read"}, 1);
    if (!reader || !devices_only) return "creating the tokens";
    reader_token_ = reader->secret;
    devices_token_ = devices_only->secret;
    for (auto [name, serial] : {std::pair{"PHONE-12", ""}, std::pair{"Ghost pump", "SN-42"}}) {
      auto added = rt.devices().AddDevice(kActor, {.name = name,
                                                   .type = "infusion_pump",
                                                   .manufacturer = "Baxter",
                                                   .model = "Sigma",
                                                   .firmware = "1.0",
                                                   .criticality = "life_sustaining",
                                                   .serial = serial,
                                                   .location = ""});
      if (!added) return added.error().message;
    }

    now_ = rt.clock().NowUnixNanos();
    const std::int64_t earlier = now_ - 2 * kHour;
    server::SensorBatch batch;
    batch.observations.push_back(Dhcp(now_, "02:00:00:00:00:0a", "10.1.2.3", "phone-12",
                                      "Cisco Systems, Inc. IP Phone CP-8841"));
    batch.observations.push_back(
        Dhcp(earlier, "02:00:00:00:00:0b", "10.1.2.4", "ws-4", "MSFT 5.0"));
    batch.flows.push_back(Flow(now_, "10.1.2.3", "10.9.0.1", 2575, "hl7", 500));
    batch.flows.push_back(Flow(earlier, "10.1.2.4", "10.1.2.3", 80, "http", 5000));
    batch.findings.push_back(
        MakeFinding(now_, "cleartext_login", "10.1.2.3",
                    model::Endpoint{.mac = std::nullopt, .ip = Ip("10.9.0.1"), .port = 40001}));
    batch.findings.push_back(MakeFinding(earlier, "snmp_default_community", "10.1.2.4", {}));
    const Status ingested = rt.inventory().Ingest("pcap:test", std::move(batch));
    if (!ingested) return ingested.error().message;
    return {};
  }

  void SetUp() override {
    if (!setup_error_.empty()) GTEST_FAIL() << "setting up: " << setup_error_;
  }

  static Answer Get(const std::string& target, const std::string& token = reader_token_) {
    Request request;
    request.method = "GET";
    request.target = target;
    const std::size_t question = target.find('?');
    request.path = target.substr(0, question);
    request.query = question == std::string::npos ? "" : target.substr(question + 1);
    request.remote_address = "127.0.0.1:1";
    request.headers = {{"authorization", "Bearer " + token}};
    const Response response = served_->router().DispatchAndWait(std::move(request));
    return {.status = response.status, .body = json::parse(response.body, nullptr, false)};
  }

  // The ids of a list's devices, in order.
  static std::vector<std::string> Ids(const json& devices) {
    std::vector<std::string> ids;
    for (const json& d : devices) ids.push_back(d.value("id", ""));
    return ids;
  }

  static std::string Time(std::int64_t unix_nanos) { return FormatRfc3339(unix_nanos, 0); }
  static std::string Devices() { return "/api/v1/inventory/devices"; }
  static std::string Device(const std::string& id) { return Devices() + "/" + id; }

  static inline std::unique_ptr<testing::ServedRouter> served_;
  static inline std::string setup_error_;
  static inline std::string reader_token_;
  static inline std::string devices_token_;
  static inline std::int64_t now_ = 0;
};

TEST_F(InventoryRoutesTest, ListShowsSummariesNewestFirst) {
  const Answer a = Get(Devices());

  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(a.body["total"], 3);
  EXPECT_EQ(a.body["offset"], 0);
  EXPECT_EQ(a.body["limit"], 100);
  EXPECT_EQ(Ids(a.body["devices"]).back(), kWorkstation);
  const json phone = Get(Devices() + "?search=phone-12").body["devices"].at(0);
  EXPECT_EQ(phone["id"], kPhone);
  EXPECT_EQ(phone["mac"], "02:00:00:00:00:0a");
  EXPECT_EQ(phone["ip"], "10.1.2.3");
  EXPECT_EQ(phone["names"], json::array({"phone-12"}));
  EXPECT_EQ(phone["manufacturer"]["value"], "Cisco");
  EXPECT_EQ(phone["device_type"]["value"], "phone");
  EXPECT_EQ(phone["model"]["value"], "IP Phone CP-8841");
  EXPECT_TRUE(phone["firmware"].is_null());
  EXPECT_EQ(phone["last_seen"], FormatRfc3339(now_, 3));
  const json server = Get(Device(kServer)).body;
  EXPECT_TRUE(server["mac"].is_null());
  EXPECT_EQ(server["macs"], json::array());
}

TEST_F(InventoryRoutesTest, ListFiltersByTypeManufacturerAndSearch) {
  EXPECT_EQ(Ids(Get(Devices() + "?type=workstation").body["devices"]),
            std::vector<std::string>{kWorkstation});
  EXPECT_EQ(Ids(Get(Devices() + "?manufacturer=cisco").body["devices"]),
            std::vector<std::string>{kPhone});
  EXPECT_EQ(Ids(Get(Devices() + "?search=10.9.0").body["devices"]),
            std::vector<std::string>{kServer});
}

TEST_F(InventoryRoutesTest, ListFiltersByLastSeen) {
  const std::string hour_ago = Time(now_ - kHour);

  const Answer after = Get(Devices() + "?seen_after=" + hour_ago);
  const Answer before = Get(Devices() + "?seen_before=" + hour_ago);

  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(after.body["total"], 2);
  EXPECT_EQ(Ids(before.body["devices"]), std::vector<std::string>{kWorkstation});
}

TEST_F(InventoryRoutesTest, ListPagesWithTheTotal) {
  const Answer all = Get(Devices());

  const Answer page = Get(Devices() + "?offset=1&limit=1");

  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.body["total"], 3);
  EXPECT_EQ(page.body["offset"], 1);
  EXPECT_EQ(page.body["limit"], 1);
  ASSERT_EQ(page.body["devices"].size(), 1u);
  EXPECT_EQ(page.body["devices"][0]["id"], all.body["devices"][1]["id"]);
}

TEST_F(InventoryRoutesTest, BadParametersAnswer400NamingThem) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {Devices() + "?limit=0", "limit"},
      {Devices() + "?limit=1001", "limit"},
      {Devices() + "?limit=ten", "limit"},
      {Devices() + "?offset=-1", "offset"},
      {Devices() + "?seen_after=yesterday", "seen_after"},
      {Devices() + "?seen_before=2026-13-01T00:00:00Z", "seen_before"},
      {Devices() + "?type=toaster", "type"},
      {Devices() + "?search=" + std::string(300, 'a'), "search"},
      {Device(kPhone) + "/flows?from=soon", "from"},
      {Device(kPhone) + "/flows?limit=5001", "limit"},
      {Device(kPhone) + "/flows?from=" + Time(now_) + "&to=" + Time(now_ - kHour), "to"},
      {Device(kPhone) + "/peers?to=later", "to"},
      {Device(kPhone) + "/findings?limit=0", "limit"},
      {"/api/v1/inventory/findings?address=10.1.2", "address"},
      {"/api/v1/inventory/findings?from=x", "from"},
      {"/api/v1/inventory/compare?days=-1", "days"},
  };

  for (const auto& [target, name] : cases) {
    const Answer a = Get(target);

    EXPECT_EQ(a.status, 400) << target << ": " << a.body;
    const std::string message = a.body["error"].value("message", "");
    EXPECT_TRUE(message.starts_with(name + ":")) << target << ": " << message;
  }
}

TEST_F(InventoryRoutesTest, UnknownDeviceAnswers404) {
  for (const std::string suffix : {"", "/flows", "/peers", "/findings"}) {
    const Answer a = Get(Device("mac-0000000000ff") + suffix);

    EXPECT_EQ(a.status, 404) << suffix << ": " << a.body;
  }
}

TEST_F(InventoryRoutesTest, DeviceShowsItsEvidenceAndRegisteredMatch) {
  const Answer phone = Get(Device(kPhone));
  const Answer workstation = Get(Device(kWorkstation));
  const Answer server = Get(Device(kServer));

  ASSERT_EQ(phone.status, 200) << phone.body;
  EXPECT_EQ(phone.body["addresses"].at(0)["ip"], "10.1.2.3");
  EXPECT_EQ(phone.body["evidence"].at(0)["rule"], "dhcp-cisco-ip-phone");
  EXPECT_NE(phone.body["facts"].size(), 0u);
  EXPECT_EQ(phone.body["registered_device"]["name"], "PHONE-12");
  EXPECT_TRUE(workstation.body["registered_device"].is_null());
  ASSERT_EQ(server.status, 200) << server.body;
  const json service = server.body["services"].at(0);
  EXPECT_EQ(service["protocol"], "tcp");
  EXPECT_EQ(service["port"], 2575);
  EXPECT_EQ(service["application"], "hl7");
}

TEST_F(InventoryRoutesTest, FlowsSayWhichWayRelativeToTheDevice) {
  const Answer a = Get(Device(kPhone) + "/flows");

  ASSERT_EQ(a.status, 200) << a.body;
  ASSERT_EQ(a.body["flows"].size(), 2u);
  for (const json& flow : a.body["flows"]) {
    const bool to_server = flow["server"] == "10.9.0.1";
    EXPECT_EQ(flow["direction"], to_server ? "outbound" : "inbound") << flow;
    EXPECT_EQ(flow["protocol"], "tcp");
    EXPECT_EQ(flow["bytes"], to_server ? 500 : 5000);
  }
  EXPECT_EQ(Get(Device(kPhone) + "/flows?from=" + Time(now_ - kHour)).body["flows"].size(), 1u);
}

TEST_F(InventoryRoutesTest, PeersAreSummedByBytesWithTheirDevices) {
  const Answer a = Get(Device(kPhone) + "/peers");

  ASSERT_EQ(a.status, 200) << a.body;
  const json& peers = a.body["peers"];
  ASSERT_EQ(peers.size(), 2u);
  EXPECT_EQ(peers[0]["ip"], "10.1.2.4");
  EXPECT_EQ(peers[0]["device_id"], kWorkstation);
  EXPECT_EQ(peers[0]["services"], json::array({"tcp/80 http"}));
  EXPECT_EQ(peers[0]["bytes"], 5000);
  EXPECT_EQ(peers[1]["ip"], "10.9.0.1");
  EXPECT_EQ(peers[1]["device_id"], kServer);
  EXPECT_EQ(peers[1]["services"], json::array({"tcp/2575 hl7"}));
  EXPECT_EQ(peers[1]["flows"], 1);
}

TEST_F(InventoryRoutesTest, DeviceFindingsFilterByKind) {
  const Answer all = Get(Device(kPhone) + "/findings");
  const Answer other = Get(Device(kPhone) + "/findings?kind=snmp_default_community");

  ASSERT_EQ(all.status, 200) << all.body;
  ASSERT_EQ(all.body["findings"].size(), 1u);
  const json& f = all.body["findings"][0];
  EXPECT_EQ(f["kind"], "cleartext_login");
  EXPECT_EQ(f["severity"], "high");
  EXPECT_EQ(f["subject"], (json{{"ip", "10.1.2.3"}, {"port", 23}}));
  EXPECT_EQ(f["peer"], (json{{"ip", "10.9.0.1"}, {"port", 40001}}));
  EXPECT_EQ(f["source"], "pcap:test");
  EXPECT_EQ(f["device_id"], kPhone);
  EXPECT_EQ(other.body["findings"].size(), 0u);
}

TEST_F(InventoryRoutesTest, FindingsFilterByDeviceKindAndAddress) {
  const std::string findings = "/api/v1/inventory/findings";

  const Answer all = Get(findings);

  ASSERT_EQ(all.status, 200) << all.body;
  ASSERT_EQ(all.body["findings"].size(), 2u);
  EXPECT_EQ(all.body["findings"][0]["kind"], "cleartext_login");  // Newest first.
  EXPECT_TRUE(all.body["findings"][1]["peer"].is_null());
  const auto kinds = [&](const std::string& query) {
    std::vector<std::string> out;
    const Answer answer = Get(findings + query);
    for (const json& f : answer.body["findings"]) out.push_back(f["kind"].get<std::string>());
    return out;
  };
  EXPECT_EQ(kinds("?kind=snmp_default_community"),
            std::vector<std::string>{"snmp_default_community"});
  EXPECT_EQ(kinds("?address=10.9.0.1"), std::vector<std::string>{"cleartext_login"});
  EXPECT_EQ(kinds("?device_id=" + kWorkstation),
            std::vector<std::string>{"snmp_default_community"});
  EXPECT_EQ(kinds("?to=" + Time(now_ - kHour)), std::vector<std::string>{"snmp_default_community"});
}

TEST_F(InventoryRoutesTest, CompareListsUnregisteredAndNotSeen) {
  const Answer a = Get("/api/v1/inventory/compare?days=3");

  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(a.body["days"], 3);
  EXPECT_EQ(Ids(a.body["unregistered"]), (std::vector<std::string>{kServer, kWorkstation}));
  ASSERT_EQ(a.body["not_seen"].size(), 1u);
  const json& ghost = a.body["not_seen"][0];
  EXPECT_EQ(ghost["device"]["name"], "Ghost pump");
  EXPECT_EQ(ghost["device"]["serial"], "SN-42");
  EXPECT_TRUE(ghost["observed_id"].is_null());
  EXPECT_TRUE(ghost["last_seen"].is_null());
}

TEST_F(InventoryRoutesTest, WithoutInventoryReadEveryRouteAnswers403) {
  int routes = 0;
  for (const Router::Route& route : served_->router().routes()) {
    if (route.access.kind != Access::Kind::kPermission ||
        route.access.permission != identity::Permission::kInventoryRead) {
      continue;
    }
    ++routes;
    std::string path = route.path;
    if (const auto brace = path.find("{id}"); brace != std::string::npos) {
      path.replace(brace, 4, kPhone);
    }

    const Answer a = Get(path, devices_token_);

    EXPECT_EQ(a.status, 403) << path << ": " << a.body;
    EXPECT_EQ(Get(path).status, 200) << path;
  }
  EXPECT_EQ(routes, 7);
}

}  // namespace
}  // namespace vigil::http
