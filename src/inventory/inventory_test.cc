#include "inventory/inventory.h"

#include <gtest/gtest.h>

namespace vigil::inventory {
namespace {

MacAddress Mac(const char* t) { return *MacAddress::Parse(t); }
IpAddress Ip(const char* t) { return *IpAddress::Parse(t); }

model::Observation Obs(std::int64_t time, const char* protocol, model::Endpoint subject,
                       std::vector<model::Fact> facts = {}) {
  return {.time_unix_nanos = time, .protocol = protocol, .subject = subject, .facts = facts};
}

class InventoryTest : public ::testing::Test {
 protected:
  InventoryTest() {
    EXPECT_TRUE(oui_.AddCsv("MA-L,00095B,Acme Medical,x\n", "oui.csv"));
    auto rules = RuleSet::Parse(R"(
[[rule]]
name = "acme"
fact = "oui"
match = "Acme*"
manufacturer = "Acme"
confidence = 40
[[rule]]
name = "acme-pump"
fact = "dhcp.vendor_class"
match = "ACME-PUMP-*"
device_type = "infusion_pump"
firmware = "{1}"
confidence = 70
)",
                                "r.toml");
    EXPECT_TRUE(rules);
    rules_ = *rules;
  }

  OuiRegistry oui_;
  RuleSet rules_;
};

TEST_F(InventoryTest, MergesObservationsOfOneMacAndIdentifiesIt) {
  Inventory inv(oui_, rules_);
  MacAddress pump = Mac("00:09:5b:00:00:01");

  inv.Observe(Obs(10, "dhcp", {.mac = pump, .ip = Ip("10.1.0.5")},
                  {{"dhcp.hostname", "pump-12"}, {"dhcp.vendor_class", "ACME-PUMP-4.2"}}));
  inv.Observe(Obs(20, "arp", {.mac = pump, .ip = Ip("10.1.0.5")}));
  auto changes = inv.TakeChanges();

  ASSERT_EQ(changes.changed.size(), 1u);
  const model::ObservedDevice& d = changes.changed[0];
  EXPECT_EQ(d.id, "mac-00095b000001");
  EXPECT_EQ(d.addresses.at(0).ip.ToString(), "10.1.0.5");
  EXPECT_EQ(d.names, std::vector<std::string>{"pump-12"});
  EXPECT_EQ(d.identity.manufacturer.value, "Acme");
  EXPECT_EQ(d.identity.device_type.value, "infusion_pump");
  EXPECT_EQ(d.identity.firmware.value, "4.2");
  EXPECT_EQ(d.first_seen_unix_nanos, 10);
  EXPECT_EQ(d.last_seen_unix_nanos, 20);
  EXPECT_EQ(d.protocols, std::vector<std::string>{"dhcp"});
  EXPECT_TRUE(inv.TakeChanges().changed.empty());
}

TEST_F(InventoryTest, ADeviceKnownByAddressJoinsItsMacWhenThePairIsSeen) {
  Inventory inv(oui_, rules_);

  inv.Observe(
      Obs(1, "hl7", {.ip = Ip("10.1.0.7"), .port = 40000}, {{"hl7.sending_application", "LAB"}}));
  EXPECT_NE(inv.Find("ip-10.1.0.7"), nullptr);
  inv.Observe(Obs(2, "arp", {.mac = Mac("00:09:5b:00:00:07"), .ip = Ip("10.1.0.7")}));
  auto changes = inv.TakeChanges();

  EXPECT_EQ(inv.Find("ip-10.1.0.7"), nullptr);
  const model::ObservedDevice* d = inv.Find("mac-00095b000007");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->protocols, std::vector<std::string>{"hl7"});
  EXPECT_EQ(d->first_seen_unix_nanos, 1);
  EXPECT_EQ(changes.removed, std::vector<std::string>{"ip-10.1.0.7"});
}

TEST_F(InventoryTest, ARandomisedMacJoinsTheDeviceWithTheSameDhcpClientId) {
  Inventory inv(oui_, rules_);

  inv.Observe(Obs(1, "dhcp", {.mac = Mac("00:09:5b:00:00:09")}, {{"dhcp.client_id", "01:aa"}}));
  inv.Observe(Obs(2, "dhcp", {.mac = Mac("02:11:22:33:44:55")}, {{"dhcp.client_id", "01:aa"}}));

  EXPECT_EQ(inv.size(), 1u);
  const model::ObservedDevice* d = inv.Find("mac-00095b000009");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->macs.size(), 2u);
}

TEST_F(InventoryTest, AnAddressThatMovesFollowsItsNewMac) {
  Inventory inv(oui_, rules_);

  inv.Observe(Obs(1, "arp", {.mac = Mac("00:09:5b:00:00:01"), .ip = Ip("10.1.0.9")}));
  inv.Observe(Obs(2, "arp", {.mac = Mac("00:09:5b:00:00:02"), .ip = Ip("10.1.0.9")}));
  inv.Observe(Obs(3, "http", {.ip = Ip("10.1.0.9")}, {{"http.user_agent", "x"}}));

  EXPECT_EQ(inv.Find("mac-00095b000002")->protocols, std::vector<std::string>{"http"});
  EXPECT_TRUE(inv.Find("mac-00095b000001")->protocols.empty());
}

TEST_F(InventoryTest, ARoutersMacDoesNotCollectTheAddressesItForwards) {
  Inventory inv(oui_, rules_, {.router_addresses = 3});
  MacAddress router = Mac("00:09:5b:00:00:fe");

  for (int i = 1; i <= 6; ++i) {
    std::string ip = "10.9.0." + std::to_string(i);
    inv.Observe(Obs(i, "tls", {.mac = router, .ip = Ip(ip.c_str())}, {{"tls.sni", "x"}}));
  }

  const model::ObservedDevice* r = inv.Find("mac-00095b0000fe");
  ASSERT_NE(r, nullptr);
  EXPECT_LE(r->addresses.size(), 3u);
  EXPECT_NE(inv.Find("ip-10.9.0.6"), nullptr);
  EXPECT_EQ(inv.Find("ip-10.9.0.6")->protocols, std::vector<std::string>{"tls"});
}

TEST_F(InventoryTest, FlowsGiveServicesAndPeersButNoDevicesOutsideTheHospital) {
  Inventory inv(oui_, rules_);
  model::FlowRecord r{.start_unix_nanos = 5,
                      .end_unix_nanos = 9,
                      .ip_protocol = 6,
                      .client = {.ip = Ip("10.1.0.5"), .port = 40000},
                      .server = {.ip = Ip("10.2.0.9"), .port = 6661},
                      .client_packets = 3,
                      .server_packets = 2,
                      .application = "hl7"};
  model::FlowRecord outside = r;
  outside.server.ip = Ip("8.8.8.8");
  outside.server.port = 443;
  outside.application = "tls";

  inv.Record(r);
  inv.Record(outside);

  const model::ObservedDevice* server = inv.Find("ip-10.2.0.9");
  ASSERT_NE(server, nullptr);
  ASSERT_EQ(server->services.size(), 1u);
  EXPECT_EQ(server->services[0].port, 6661);
  EXPECT_EQ(server->services[0].application, "hl7");
  EXPECT_EQ(inv.Find("ip-8.8.8.8"), nullptr);
  const model::ObservedDevice* client = inv.Find("ip-10.1.0.5");
  ASSERT_NE(client, nullptr);
  EXPECT_EQ(client->peers.size(), 2u);
  EXPECT_EQ(client->peers[0].ToString(), "8.8.8.8");
}

TEST_F(InventoryTest, CleartextFindingsMarkBothEnds) {
  Inventory inv(oui_, rules_);

  inv.Report({.time_unix_nanos = 1,
              .kind = "cleartext_patient_data",
              .protocol = "hl7",
              .subject = {.ip = Ip("10.1.0.5")},
              .peer = model::Endpoint{.ip = Ip("10.1.0.6")}});

  EXPECT_EQ(inv.Find("ip-10.1.0.5")->cleartext_protocols, std::vector<std::string>{"hl7"});
  EXPECT_EQ(inv.Find("ip-10.1.0.6")->cleartext_protocols, std::vector<std::string>{"hl7"});
}

TEST_F(InventoryTest, FactsAreBoundedPerKey) {
  Inventory inv(oui_, rules_, {.max_values_per_key = 2});
  MacAddress m = Mac("00:09:5b:00:00:01");

  for (const char* v : {"a", "b", "c", "b"})
    inv.Observe(Obs(1, "dns", {.mac = m}, {{"dns.query", v}}));

  const auto& facts = inv.Find("mac-00095b000001")->facts;
  ASSERT_EQ(facts.size(), 2u);
  EXPECT_EQ(facts[0].second, "b");
  EXPECT_EQ(facts[1].second, "c");
}

TEST_F(InventoryTest, DnsAnswersNameTheDeviceHoldingTheAddress) {
  Inventory inv(oui_, rules_);
  inv.Observe(Obs(1, "arp", {.mac = Mac("00:09:5b:00:00:03"), .ip = Ip("10.1.0.3")}));

  inv.Observe(Obs(2, "dns", {.ip = Ip("10.1.0.4")}, {{"dns.answer", "pacs.local -> 10.1.0.3"}}));

  EXPECT_EQ(inv.Find("mac-00095b000003")->names, std::vector<std::string>{"pacs.local"});
}

}  // namespace
}  // namespace vigil::inventory
