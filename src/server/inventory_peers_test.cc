// InventoryService's peers, address owners and registered matches on a real data directory.

#include <gtest/gtest.h>

#include "server/inventory_service.h"
#include "server/runtime.h"
#include "testing/fixtures.h"

namespace vigil::server {
namespace {

constexpr std::int64_t kSecond = 1'000'000'000;
const audit::Actor kAdmin{.kind = audit::ActorKind::kUser, .id = "root-admin"};

IpAddress Ip(std::string_view text) { return IpAddress::Parse(text).value(); }
std::int64_t Now() { return SystemClock().NowUnixNanos(); }

model::Observation Dhcp(std::int64_t time, std::string_view mac, std::string_view ip,
                        std::string_view hostname) {
  return {.time_unix_nanos = time,
          .protocol = "dhcp",
          .subject = {.mac = MacAddress::Parse(mac).value(), .ip = Ip(ip), .port = 68},
          .peer = std::nullopt,
          .vlan = 0,
          .facts = {{"dhcp.hostname", std::string(hostname)}}};
}

model::FlowRecord Flow(std::int64_t end, std::string_view client, std::string_view server,
                       std::uint16_t port, std::string_view application, std::uint64_t bytes) {
  return {.start_unix_nanos = end - kSecond,
          .end_unix_nanos = end,
          .vlan = 0,
          .ip_protocol = 6,
          .client = {.mac = std::nullopt, .ip = Ip(client), .port = 40000},
          .server = {.mac = std::nullopt, .ip = Ip(server), .port = port},
          .client_packets = 1,
          .client_bytes = bytes,
          .server_packets = 1,
          .server_bytes = 0,
          .application = std::string(application),
          .tcp_state = "closed",
          .end = model::FlowEnd::kClosed};
}

class InventoryPeersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config::Config config;
    config.storage.data_dir = (dir_ / "data").string();
    config.inventory.oui_dir = (dir_ / "no-registry").string();
    auto rt = Runtime::Open(config, {.create = true});
    ASSERT_TRUE(rt) << rt.error().message;
    rt_ = std::move(*rt);
  }

  InventoryService& inv() { return rt_->inventory(); }

  ::vigil::testing::TempDir dir_;
  std::unique_ptr<Runtime> rt_;
};

TEST_F(InventoryPeersTest, PeersAreSummedPerAddressByBytesWithTheirDevices) {
  const std::int64_t t = Now();
  SensorBatch batch;
  batch.observations.push_back(Dhcp(t, "02:00:00:00:00:0a", "10.1.2.3", "pump-1"));
  batch.observations.push_back(Dhcp(t, "02:00:00:00:00:0b", "10.1.2.30", "ws-30"));
  batch.flows.push_back(Flow(t, "10.1.2.3", "10.9.0.1", 2575, "hl7", 100));
  batch.flows.push_back(Flow(t - 600 * kSecond, "10.1.2.3", "10.9.0.1", 2575, "hl7", 100));
  batch.flows.push_back(Flow(t, "10.1.2.30", "10.1.2.3", 80, "http", 1000));
  ASSERT_TRUE(inv().Ingest("pcap:test", batch));

  auto peers = inv().DevicePeers("mac-02000000000a", t - 3600 * kSecond, t + 60 * kSecond);

  ASSERT_TRUE(peers) << peers.error().message;
  ASSERT_EQ(peers->size(), 2u);
  EXPECT_EQ((*peers)[0].ip, Ip("10.1.2.30"));
  EXPECT_EQ((*peers)[0].device_id, "mac-02000000000b");
  EXPECT_EQ((*peers)[0].services, std::vector<std::string>{"tcp/80 http"});
  EXPECT_EQ((*peers)[0].bytes, 1000u);
  EXPECT_EQ((*peers)[1].ip, Ip("10.9.0.1"));
  EXPECT_EQ((*peers)[1].device_id, "ip-10.9.0.1");
  EXPECT_EQ((*peers)[1].flows, 2u);
  EXPECT_EQ((*peers)[1].bytes, 200u);
  EXPECT_EQ((*peers)[1].last_bucket_unix_nanos,
            (t / store::kFlowBucketNanos) * store::kFlowBucketNanos);
}

TEST_F(InventoryPeersTest, PeersKeepToTheWindow) {
  const std::int64_t t = Now();
  SensorBatch batch;
  batch.flows.push_back(Flow(t - 7200 * kSecond, "10.1.2.3", "10.9.0.1", 2575, "hl7", 100));
  ASSERT_TRUE(inv().Ingest("pcap:test", batch));

  auto peers = inv().DevicePeers("ip-10.1.2.3", t - 3600 * kSecond, t);

  ASSERT_TRUE(peers) << peers.error().message;
  EXPECT_TRUE(peers->empty());
}

TEST_F(InventoryPeersTest, PeersOfAnUnknownDeviceAreNotFound) {
  auto peers = inv().DevicePeers("mac-000000000000", 0, Now());

  ASSERT_FALSE(peers);
  EXPECT_EQ(peers.error().code, ErrorCode::kNotFound);
}

TEST_F(InventoryPeersTest, DeviceIdAtMatchesTheWholeAddress) {
  const std::int64_t t = Now();
  SensorBatch batch;
  batch.observations.push_back(Dhcp(t, "02:00:00:00:00:0b", "10.1.2.30", "ws-30"));
  ASSERT_TRUE(inv().Ingest("pcap:test", batch));

  auto exact = inv().DeviceIdAt(Ip("10.1.2.30"));
  auto prefix = inv().DeviceIdAt(Ip("10.1.2.3"));

  ASSERT_TRUE(exact) << exact.error().message;
  EXPECT_EQ(*exact, "mac-02000000000b");
  ASSERT_FALSE(prefix);
  EXPECT_EQ(prefix.error().code, ErrorCode::kNotFound);
}

TEST_F(InventoryPeersTest, RegisteredMatchFindsTheDeviceByName) {
  auto registered = rt_->devices().AddDevice(kAdmin, {.name = "PUMP-1",
                                                      .type = "infusion_pump",
                                                      .manufacturer = "Baxter",
                                                      .model = "Sigma",
                                                      .firmware = "1.0",
                                                      .criticality = "life_sustaining",
                                                      .serial = "",
                                                      .location = ""});
  ASSERT_TRUE(registered) << registered.error().message;
  SensorBatch batch;
  batch.observations.push_back(Dhcp(Now(), "02:00:00:00:00:0a", "10.1.2.3", "pump-1"));
  batch.observations.push_back(Dhcp(Now(), "02:00:00:00:00:0b", "10.1.2.4", "ws-4"));
  ASSERT_TRUE(inv().Ingest("pcap:test", batch));
  auto pump = inv().GetDevice("mac-02000000000a");
  auto workstation = inv().GetDevice("mac-02000000000b");
  ASSERT_TRUE(pump && workstation);

  auto match = inv().RegisteredMatch(*pump);
  auto none = inv().RegisteredMatch(*workstation);

  ASSERT_TRUE(match) << match.error().message;
  ASSERT_TRUE(match->has_value());
  EXPECT_EQ((*match)->id, registered->id);
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_FALSE(none->has_value());
}

TEST(ServiceName, NamesProtocolPortAndApplication) {
  EXPECT_EQ(ServiceName(6, 2575, "hl7"), "tcp/2575 hl7");
  EXPECT_EQ(ServiceName(17, 53, ""), "udp/53");
  EXPECT_EQ(ServiceName(1, 0, ""), "icmp");
  EXPECT_EQ(ServiceName(47, 0, ""), "47");
}

}  // namespace
}  // namespace vigil::server
