// InventoryService on a real data directory (SQLite store): ingest, merges, retention, the
// comparison with registered devices, and the hospital's rules file.

#include "server/inventory_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <future>

#include "server/runtime.h"
#include "testing/fixtures.h"

namespace vigil::server {
namespace {

constexpr std::int64_t kSecond = 1'000'000'000;
const audit::Actor kAdmin{.kind = audit::ActorKind::kUser, .id = "root-admin"};

MacAddress Mac(std::string_view text) { return MacAddress::Parse(text).value(); }
IpAddress Ip(std::string_view text) { return IpAddress::Parse(text).value(); }

std::int64_t Now() { return SystemClock().NowUnixNanos(); }

model::Observation Dhcp(std::int64_t time, std::string_view mac, std::string_view ip,
                        std::vector<model::Fact> facts) {
  return {.time_unix_nanos = time,
          .protocol = "dhcp",
          .subject = {.mac = Mac(mac), .ip = Ip(ip), .port = 68},
          .peer = std::nullopt,
          .vlan = 0,
          .facts = std::move(facts)};
}

model::FlowRecord Flow(std::int64_t end, std::string_view client, std::string_view server) {
  return {.start_unix_nanos = end - kSecond,
          .end_unix_nanos = end,
          .vlan = 0,
          .ip_protocol = 6,
          .client = {.mac = std::nullopt, .ip = Ip(client), .port = 40000},
          .server = {.mac = std::nullopt, .ip = Ip(server), .port = 2575},
          .client_packets = 3,
          .client_bytes = 300,
          .server_packets = 2,
          .server_bytes = 200,
          .application = "hl7",
          .tcp_state = "closed",
          .end = model::FlowEnd::kClosed};
}

class InventoryServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_.storage.data_dir = (dir_ / "data").string();
    config_.inventory.oui_dir = (dir_ / "no-registry").string();
    Reopen();
  }

  void Reopen() {
    rt_.reset();
    auto rt = Runtime::Open(config_, {.create = true});
    ASSERT_TRUE(rt) << rt.error().message;
    rt_ = std::move(*rt);
  }

  InventoryService& inv() { return rt_->inventory(); }

  std::vector<std::string> Ids() {
    auto page = inv().ListDevices({});
    EXPECT_TRUE(page) << page.error().message;
    std::vector<std::string> ids;
    if (page) {
      for (const auto& d : page->devices) ids.push_back(d.id);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  ::vigil::testing::TempDir dir_;
  config::Config config_;
  std::unique_ptr<Runtime> rt_;
};

TEST_F(InventoryServiceTest, IngestStoresTheDeviceIdentified) {
  const std::int64_t t = Now();
  SensorBatch batch;
  batch.observations.push_back(
      Dhcp(t, "00:1b:2c:3d:4e:5f", "10.1.2.3",
           {{"dhcp.hostname", "phone-12"},
            {"dhcp.vendor_class", "Cisco Systems, Inc. IP Phone CP-8841"}}));

  auto ingested = inv().Ingest("pcap:test", batch);

  ASSERT_TRUE(ingested) << ingested.error().message;
  auto device = inv().GetDevice("mac-001b2c3d4e5f");
  ASSERT_TRUE(device) << device.error().message;
  EXPECT_EQ(device->identity.manufacturer.value, "Cisco");
  EXPECT_EQ(device->identity.device_type.value, "phone");
  EXPECT_EQ(device->identity.model.value, "IP Phone CP-8841");
  ASSERT_FALSE(device->identity.evidence.empty());
  EXPECT_EQ(device->identity.evidence.front().rule, "dhcp-cisco-ip-phone");
  EXPECT_EQ(device->names, std::vector<std::string>{"phone-12"});
}

TEST_F(InventoryServiceTest, IngestAsyncCallsDoneAfterTheCommit) {
  SensorBatch batch;
  batch.observations.push_back(
      Dhcp(Now(), "00:1b:2c:3d:4e:5f", "10.1.2.3", {{"dhcp.hostname", "phone-12"}}));
  std::promise<Status> committed;

  inv().IngestAsync("pcap:test", batch, [&](Status s) { committed.set_value(std::move(s)); });

  Status status = committed.get_future().get();
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(Ids(), std::vector<std::string>{"mac-001b2c3d4e5f"});
}

TEST_F(InventoryServiceTest, MergeRemovesTheIpDeviceFromTheStore) {
  const std::int64_t t = Now();
  SensorBatch first;
  first.flows.push_back(Flow(t, "10.1.2.3", "10.9.0.1"));
  ASSERT_TRUE(inv().Ingest("pcap:test", first));
  ASSERT_EQ(Ids(), (std::vector<std::string>{"ip-10.1.2.3", "ip-10.9.0.1"}));
  SensorBatch second;
  second.observations.push_back(
      Dhcp(t + kSecond, "00:1b:2c:3d:4e:5f", "10.1.2.3", {{"dhcp.hostname", "phone-12"}}));

  auto ingested = inv().Ingest("pcap:test", second);

  ASSERT_TRUE(ingested) << ingested.error().message;
  EXPECT_EQ(Ids(), (std::vector<std::string>{"ip-10.9.0.1", "mac-001b2c3d4e5f"}));
  auto flows = inv().DeviceFlows("mac-001b2c3d4e5f", 0, INT64_MAX, 100);
  ASSERT_TRUE(flows) << flows.error().message;
  ASSERT_EQ(flows->size(), 1u);
  EXPECT_EQ(flows->front().bytes, 500u);
}

TEST_F(InventoryServiceTest, InventoryCarriesOnAfterReopening) {
  const std::int64_t t = Now();
  SensorBatch first;
  first.observations.push_back(
      Dhcp(t, "00:1b:2c:3d:4e:5f", "10.1.2.3", {{"dhcp.hostname", "phone-12"}}));
  ASSERT_TRUE(inv().Ingest("pcap:test", first));
  Reopen();
  SensorBatch second;
  second.flows.push_back(Flow(t + kSecond, "10.1.2.3", "10.9.0.1"));

  ASSERT_TRUE(inv().Ingest("pcap:test", second));

  // The address still resolves to the stored device: no new ip-10.1.2.3.
  EXPECT_EQ(Ids(), (std::vector<std::string>{"ip-10.9.0.1", "mac-001b2c3d4e5f"}));
}

TEST_F(InventoryServiceTest, FindingsAreKeptWithTheirDevice) {
  const std::int64_t t = Now();
  SensorBatch batch;
  batch.observations.push_back(
      Dhcp(t, "00:1b:2c:3d:4e:5f", "10.1.2.3", {{"dhcp.hostname", "phone-12"}}));
  batch.findings.push_back({.time_unix_nanos = t + 1,
                            .kind = "cleartext_login",
                            .protocol = "telnet",
                            .severity = model::FindingSeverity::kHigh,
                            .subject = {.mac = std::nullopt, .ip = Ip("10.1.2.3"), .port = 23},
                            .peer = std::nullopt,
                            .vlan = 0,
                            .detail = "telnet login"});

  ASSERT_TRUE(inv().Ingest("pcap:test", batch));

  auto findings = inv().DeviceFindings("mac-001b2c3d4e5f", "", INT64_MIN, INT64_MAX, 10);
  ASSERT_TRUE(findings) << findings.error().message;
  ASSERT_EQ(findings->size(), 1u);
  EXPECT_EQ(findings->front().device_id, "mac-001b2c3d4e5f");
  EXPECT_EQ(findings->front().source, "pcap:test");
  auto device = inv().GetDevice("mac-001b2c3d4e5f");
  ASSERT_TRUE(device);
  EXPECT_EQ(device->cleartext_protocols, std::vector<std::string>{"telnet"});
}

TEST_F(InventoryServiceTest, RetentionDeletesOldBuckets) {
  const std::int64_t t = Now();
  SensorBatch batch;
  batch.flows.push_back(Flow(t - std::int64_t{40} * 86400 * kSecond, "10.1.2.3", "10.9.0.1"));
  batch.flows.push_back(Flow(t, "10.1.2.3", "10.9.0.1"));
  ASSERT_TRUE(inv().Ingest("pcap:test", batch));

  auto ticked = inv().Tick();

  ASSERT_TRUE(ticked) << ticked.error().message;
  auto flows = inv().DeviceFlows("ip-10.1.2.3", INT64_MIN, INT64_MAX, 100);
  ASSERT_TRUE(flows) << flows.error().message;
  ASSERT_EQ(flows->size(), 1u);
  EXPECT_GT(flows->front().bucket_start_unix_nanos, t - 600 * kSecond);
}

TEST_F(InventoryServiceTest, FlowsOfABatchAreSummedPerFiveMinutes) {
  const std::int64_t bucket = (Now() / store::kFlowBucketNanos) * store::kFlowBucketNanos;
  SensorBatch batch;
  batch.flows.push_back(Flow(bucket + kSecond, "10.1.2.3", "10.9.0.1"));
  batch.flows.push_back(Flow(bucket + 2 * kSecond, "10.1.2.3", "10.9.0.1"));
  batch.flows.push_back(Flow(bucket + store::kFlowBucketNanos, "10.1.2.3", "10.9.0.1"));

  ASSERT_TRUE(inv().Ingest("pcap:test", batch));

  auto flows = inv().DeviceFlows("ip-10.9.0.1", INT64_MIN, INT64_MAX, 100);
  ASSERT_TRUE(flows) << flows.error().message;
  ASSERT_EQ(flows->size(), 2u);
  EXPECT_EQ((*flows)[0].bucket_start_unix_nanos, bucket);
  EXPECT_EQ((*flows)[0].flows, 2u);
  EXPECT_EQ((*flows)[0].packets, 10u);
  EXPECT_EQ((*flows)[1].flows, 1u);
}

TEST_F(InventoryServiceTest, CompareFindsUnregisteredAndUnseenDevices) {
  auto monitor = rt_->devices().AddDevice(kAdmin, {.name = "MON-7",
                                                   .type = "patient_monitor",
                                                   .manufacturer = "Philips",
                                                   .model = "MX450",
                                                   .firmware = "1.0",
                                                   .criticality = "life_supporting",
                                                   .serial = "",
                                                   .location = ""});
  ASSERT_TRUE(monitor) << monitor.error().message;
  auto ghost = rt_->devices().AddDevice(kAdmin, {.name = "Ghost pump",
                                                 .type = "infusion_pump",
                                                 .manufacturer = "Baxter",
                                                 .model = "Sigma",
                                                 .firmware = "1.0",
                                                 .criticality = "life_sustaining",
                                                 .serial = "SN-42",
                                                 .location = ""});
  ASSERT_TRUE(ghost) << ghost.error().message;
  const std::int64_t t = Now();
  SensorBatch batch;
  batch.observations.push_back(
      Dhcp(t, "00:1b:2c:3d:4e:01", "10.1.2.1", {{"dhcp.hostname", "mon-7"}}));
  batch.observations.push_back(
      Dhcp(t, "00:1b:2c:3d:4e:02", "10.1.2.2", {{"dhcp.hostname", "laptop-3"}}));
  ASSERT_TRUE(inv().Ingest("pcap:test", batch));

  auto comparison = inv().Compare(7);

  ASSERT_TRUE(comparison) << comparison.error().message;
  ASSERT_EQ(comparison->unregistered.size(), 1u);
  EXPECT_EQ(comparison->unregistered.front().id, "mac-001b2c3d4e02");
  ASSERT_EQ(comparison->not_seen.size(), 1u);
  EXPECT_EQ(comparison->not_seen.front().device.id, ghost->id);
  EXPECT_EQ(comparison->not_seen.front().last_seen_unix_nanos, 0);
}

TEST_F(InventoryServiceTest, BadRulesFileStopsStartUpNamingIt) {
  rt_.reset();
  std::ofstream(dir_ / "data" / "inventory-rules.toml")
      << "[[rule]]\nname = \"x\"\nfact = \"dhcp.hostname\"\nmatch = \"a*\"\nconfidence = 500\n";

  auto rt = Runtime::Open(config_, {.create = true});

  ASSERT_FALSE(rt);
  EXPECT_NE(rt.error().message.find("inventory-rules.toml"), std::string::npos)
      << rt.error().message;
}

TEST_F(InventoryServiceTest, OwnRulesComeBeforeTheDefaults) {
  rt_.reset();
  std::ofstream(dir_ / "data" / "inventory-rules.toml")
      << "[[rule]]\nname = \"ward-phones\"\nfact = \"dhcp.hostname\"\nmatch = \"ward-*\"\n"
         "manufacturer = \"Ward Co\"\nconfidence = 99\n";
  Reopen();
  SensorBatch batch;
  batch.observations.push_back(
      Dhcp(Now(), "00:1b:2c:3d:4e:5f", "10.1.2.3", {{"dhcp.hostname", "ward-1"}}));

  ASSERT_TRUE(inv().Ingest("pcap:test", batch));

  auto device = inv().GetDevice("mac-001b2c3d4e5f");
  ASSERT_TRUE(device);
  EXPECT_EQ(device->identity.manufacturer.value, "Ward Co");
}

}  // namespace
}  // namespace vigil::server
