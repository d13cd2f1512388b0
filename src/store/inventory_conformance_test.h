#pragma once

// The inventory repository's behaviour every Store implementation shares (inventory_repo.h):
// observed devices (upsert, filters, search, paging), findings and flow history, as a typed
// GoogleTest suite needing only the harness's store():
//
//   INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, InventoryConformance, Harness);

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "store/store.h"

namespace vigil::store::testing {

inline constexpr std::int64_t kInventoryNanos = std::int64_t{1'700'000'100} * 1'000'000'000;

inline IpAddress TestIp(std::string_view text) { return IpAddress::Parse(text).value(); }
inline MacAddress TestMac(std::string_view text) { return MacAddress::Parse(text).value(); }

// Two lowercase hex digits of n % 256.
inline std::string Hex2(int n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  return {kDigits[(n / 16) % 16], kDigits[n % 16]};
}

// A device with every field set; `n` (1..254) varies the MAC, address, names and times.
inline model::ObservedDevice MakeObserved(int n, std::string manufacturer = "Philips",
                                          std::string type = "patient_monitor") {
  const std::string suffix = std::to_string(n);
  return model::ObservedDevice{
      .id = "mac-0009fb0000" + Hex2(n),
      .macs = {TestMac("00:09:fb:00:00:" + Hex2(n))},
      .addresses = {{.ip = TestIp("10.1.0." + suffix),
                     .first_seen_unix_nanos = kInventoryNanos,
                     .last_seen_unix_nanos = kInventoryNanos + n}},
      .names = {"MON-" + suffix, "ae_monitor_" + suffix},
      .identity = {.manufacturer = {.value = std::move(manufacturer), .confidence = 90},
                   .device_type = {.value = std::move(type), .confidence = 80},
                   .model = {.value = "IntelliVue MX" + suffix, .confidence = 70},
                   .firmware = {.value = "M." + suffix, .confidence = 60},
                   .evidence = {{.source = "oui",
                                 .value = "Philips Medical Systems",
                                 .rule = "",
                                 .confidence = 50},
                                {.source = "dhcp.vendor_class",
                                 .value = "PHILIPS",
                                 .rule = "philips-intellivue",
                                 .confidence = 90}}},
      .protocols = {"dhcp", "hl7"},
      .cleartext_protocols = {"hl7"},
      .services = {{.ip_protocol = 6,
                    .port = 2575,
                    .application = "hl7",
                    .last_seen_unix_nanos = kInventoryNanos + n}},
      .peers = {TestIp("10.9.0.1"), TestIp("fd00::1")},
      .facts = {{"dhcp.hostname", "MON-" + suffix}, {"dhcp.vendor_class", "PHILIPS"}},
      .vlan = 20,
      .first_seen_unix_nanos = kInventoryNanos,
      .last_seen_unix_nanos = kInventoryNanos + n};
}

inline StoredFinding MakeStoredFinding(std::string device_id, std::string_view subject_ip,
                                       std::int64_t time, std::string kind = "cleartext_login") {
  return StoredFinding{
      .seq = 0,
      .device_id = std::move(device_id),
      .source = "pcap:test.pcap",
      .finding = {
          .time_unix_nanos = time,
          .kind = std::move(kind),
          .protocol = "telnet",
          .severity = model::FindingSeverity::kHigh,
          .subject = {.mac = TestMac("00:09:fb:00:00:01"), .ip = TestIp(subject_ip), .port = 23},
          .peer = model::Endpoint{.mac = {}, .ip = TestIp("10.9.0.1"), .port = 40000},
          .vlan = 20,
          .detail = "telnet login in clear text"}};
}

inline model::FlowAggregate MakeFlowRow(std::int64_t bucket, std::string_view client,
                                        std::string_view server, std::uint16_t port = 2575) {
  return model::FlowAggregate{.bucket_start_unix_nanos = bucket,
                              .client = TestIp(client),
                              .server = TestIp(server),
                              .server_port = port,
                              .ip_protocol = 6,
                              .application = "hl7",
                              .flows = 1,
                              .packets = 10,
                              .bytes = 1000};
}

template <typename Fn>
auto ReadInventory(const Store& store, Fn fn)
    -> decltype(fn(std::declval<const InventoryReader&>())) {
  decltype(fn(std::declval<const InventoryReader&>())) result =
      MakeError(ErrorCode::kInternal, "inventory read did not run");
  const Status status = store.Read([&](ReadTransaction& tx) -> Status {
    result = fn(tx.inventory());
    return OkStatus();
  });
  if (!status) return tl::unexpected(status.error());
  return result;
}

template <typename Fn>
auto WriteInventory(Store& store, Fn fn) -> decltype(fn(std::declval<InventoryRepo&>())) {
  decltype(fn(std::declval<InventoryRepo&>())) result =
      MakeError(ErrorCode::kInternal, "inventory write did not run");
  const Status status = store.Write([&](Transaction& tx) -> Status {
    result = fn(tx.inventory());
    if (!result) return tl::unexpected(result.error());
    return OkStatus();
  });
  if (!status) return tl::unexpected(status.error());
  return result;
}

inline Status Upsert(Store& store, const model::ObservedDevice& device) {
  return WriteInventory(store,
                        [&](InventoryRepo& repo) { return repo.UpsertObservedDevice(device); });
}

// The ids of the devices ListObservedDevices(filter) returns, and the total.
inline std::pair<std::vector<std::string>, std::int64_t> ListIds(const Store& store,
                                                                 const ObservedDeviceFilter& f) {
  auto page = ReadInventory(
      store, [&](const InventoryReader& repo) { return repo.ListObservedDevices(f); });
  EXPECT_TRUE(page) << page.error().message;
  std::pair<std::vector<std::string>, std::int64_t> out;
  if (!page) return out;
  for (const auto& d : page->devices) out.first.push_back(d.id);
  out.second = page->total;
  return out;
}

template <typename Harness>
class InventoryConformance : public ::testing::Test {
 protected:
  Store& store() { return harness_.store(); }

  Harness harness_;
};

TYPED_TEST_SUITE_P(InventoryConformance);

TYPED_TEST_P(InventoryConformance, DeviceReadsBackWhole) {
  const model::ObservedDevice monitor = MakeObserved(1);

  ASSERT_TRUE(Upsert(this->store(), monitor));

  auto got = ReadInventory(this->store(), [&](const InventoryReader& repo) {
    return repo.GetObservedDevice(monitor.id);
  });
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(*got, monitor);
}

TYPED_TEST_P(InventoryConformance, UpsertReplacesTheDevice) {
  model::ObservedDevice monitor = MakeObserved(1);
  ASSERT_TRUE(Upsert(this->store(), monitor));
  monitor.names = {"renamed"};
  monitor.identity.manufacturer.value = "GE Healthcare";

  ASSERT_TRUE(Upsert(this->store(), monitor));

  auto all = ReadInventory(this->store(),
                           [](const InventoryReader& repo) { return repo.AllObservedDevices(); });
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->front(), monitor);
  EXPECT_EQ(ListIds(this->store(), {.manufacturer = "ge healthcare"}).second, 1);
  EXPECT_EQ(ListIds(this->store(), {.manufacturer = "philips"}).second, 0);
}

TYPED_TEST_P(InventoryConformance, UnknownOrEmptyIdsAreRefused) {
  auto got = ReadInventory(this->store(), [](const InventoryReader& repo) {
    return repo.GetObservedDevice("mac-000000000001");
  });
  auto deleted = WriteInventory(this->store(), [](InventoryRepo& repo) {
    return repo.DeleteObservedDevice("mac-000000000001");
  });
  model::ObservedDevice no_id = MakeObserved(1);
  no_id.id.clear();
  auto upserted = Upsert(this->store(), no_id);

  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
  EXPECT_NE(got.error().message.find("mac-000000000001"), std::string::npos);
  ASSERT_FALSE(deleted);
  EXPECT_EQ(deleted.error().code, ErrorCode::kNotFound);
  ASSERT_FALSE(upserted);
  EXPECT_EQ(upserted.error().code, ErrorCode::kInvalidArgument);
}

TYPED_TEST_P(InventoryConformance, DeleteRemovesTheDevice) {
  const model::ObservedDevice monitor = MakeObserved(1);
  ASSERT_TRUE(Upsert(this->store(), monitor));

  auto deleted = WriteInventory(
      this->store(), [&](InventoryRepo& repo) { return repo.DeleteObservedDevice(monitor.id); });

  ASSERT_TRUE(deleted) << deleted.error().message;
  EXPECT_EQ(ListIds(this->store(), {}).second, 0);
}

TYPED_TEST_P(InventoryConformance, ListIsNewestFirstAndPages) {
  for (int n = 1; n <= 5; ++n) ASSERT_TRUE(Upsert(this->store(), MakeObserved(n)));

  auto first = ListIds(this->store(), {.offset = 0, .limit = 2});
  auto last = ListIds(this->store(), {.offset = 4, .limit = 2});

  EXPECT_EQ(first.first, (std::vector<std::string>{MakeObserved(5).id, MakeObserved(4).id}));
  EXPECT_EQ(first.second, 5);
  EXPECT_EQ(last.first, (std::vector<std::string>{MakeObserved(1).id}));
  EXPECT_EQ(last.second, 5);
}

TYPED_TEST_P(InventoryConformance, FiltersCombine) {
  ASSERT_TRUE(Upsert(this->store(), MakeObserved(1, "Philips", "patient_monitor")));
  ASSERT_TRUE(Upsert(this->store(), MakeObserved(2, "Baxter", "infusion_pump")));
  ASSERT_TRUE(Upsert(this->store(), MakeObserved(3, "Baxter", "infusion_pump")));
  ASSERT_TRUE(Upsert(this->store(), MakeObserved(4, "BAXTER", "patient_monitor")));

  EXPECT_EQ(ListIds(this->store(), {.device_type = "infusion_pump"}).second, 2);
  EXPECT_EQ(ListIds(this->store(), {.manufacturer = "baxter"}).second, 3);
  EXPECT_EQ(
      ListIds(this->store(), {.device_type = "patient_monitor", .manufacturer = "Baxter"}).first,
      (std::vector<std::string>{MakeObserved(4).id}));
  EXPECT_EQ(ListIds(this->store(), {.last_seen_after_unix_nanos = kInventoryNanos + 2,
                                    .last_seen_before_unix_nanos = kInventoryNanos + 4})
                .first,
            (std::vector<std::string>{MakeObserved(3).id, MakeObserved(2).id}));
}

TYPED_TEST_P(InventoryConformance, SearchFindsNamesAddressesMacsAndModels) {
  for (int n = 1; n <= 12; ++n) ASSERT_TRUE(Upsert(this->store(), MakeObserved(n)));

  EXPECT_EQ(ListIds(this->store(), {.search = "mon-12"}).first,
            (std::vector<std::string>{MakeObserved(12).id}));
  EXPECT_EQ(ListIds(this->store(), {.search = "10.1.0.11"}).first,
            (std::vector<std::string>{MakeObserved(11).id}));
  EXPECT_EQ(ListIds(this->store(), {.search = "00:09:FB:00:00:0a"}).first,
            (std::vector<std::string>{MakeObserved(10).id}));
  EXPECT_EQ(ListIds(this->store(), {.search = "intellivue mx9"}).first,
            (std::vector<std::string>{MakeObserved(9).id}));
  EXPECT_EQ(ListIds(this->store(), {.search = "philips"}).second, 12);
  EXPECT_EQ(ListIds(this->store(), {.search = "100%"}).second, 0);
}

TYPED_TEST_P(InventoryConformance, BadFiltersAreInvalidArgument) {
  for (const ObservedDeviceFilter& filter :
       {ObservedDeviceFilter{.limit = 0}, ObservedDeviceFilter{.limit = kMaxListLimit + 1},
        ObservedDeviceFilter{.last_seen_after_unix_nanos = 10, .last_seen_before_unix_nanos = 5}}) {
    auto page = ReadInventory(this->store(), [&](const InventoryReader& repo) {
      return repo.ListObservedDevices(filter);
    });
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().code, ErrorCode::kInvalidArgument);
  }
}

TYPED_TEST_P(InventoryConformance, FindingsFilterByDeviceAddressKindAndTime) {
  std::vector<StoredFinding> findings = {
      MakeStoredFinding("mac-0009fb000001", "10.1.0.1", kInventoryNanos + 1),
      MakeStoredFinding("mac-0009fb000001", "10.1.0.1", kInventoryNanos + 3,
                        "snmp_default_community"),
      MakeStoredFinding("", "10.1.0.2", kInventoryNanos + 2)};
  findings[2].finding.peer.reset();

  auto seqs = WriteInventory(this->store(),
                             [&](InventoryRepo& repo) { return repo.AddFindings(findings); });
  ASSERT_TRUE(seqs) << seqs.error().message;
  ASSERT_EQ(seqs->size(), 3u);
  EXPECT_LT((*seqs)[0], (*seqs)[1]);

  auto list = [&](FindingFilter filter) {
    auto rows = ReadInventory(
        this->store(), [&](const InventoryReader& repo) { return repo.ListFindings(filter); });
    EXPECT_TRUE(rows) << rows.error().message;
    std::vector<std::int64_t> times;
    if (rows) {
      for (const StoredFinding& row : *rows) times.push_back(row.finding.time_unix_nanos);
    }
    return times;
  };
  const std::int64_t t = kInventoryNanos;
  EXPECT_EQ(list({}), (std::vector<std::int64_t>{t + 3, t + 2, t + 1}));
  EXPECT_EQ(list({.device_id = "mac-0009fb000001"}), (std::vector<std::int64_t>{t + 3, t + 1}));
  EXPECT_EQ(list({.address = TestIp("10.1.0.2")}), (std::vector<std::int64_t>{t + 2}));
  EXPECT_EQ(list({.address = TestIp("10.9.0.1")}), (std::vector<std::int64_t>{t + 3, t + 1}));
  EXPECT_EQ(list({.kind = "snmp_default_community"}), (std::vector<std::int64_t>{t + 3}));
  EXPECT_EQ(list({.from_unix_nanos = t + 2, .to_unix_nanos = t + 3}),
            (std::vector<std::int64_t>{t + 2}));
  EXPECT_EQ(list({.limit = 1}), (std::vector<std::int64_t>{t + 3}));
}

TYPED_TEST_P(InventoryConformance, FindingReadsBackWhole) {
  const StoredFinding finding = MakeStoredFinding("mac-0009fb000001", "10.1.0.1", kInventoryNanos);
  auto seqs = WriteInventory(this->store(), [&](InventoryRepo& repo) {
    return repo.AddFindings(std::span<const StoredFinding>(&finding, 1));
  });
  ASSERT_TRUE(seqs) << seqs.error().message;

  auto rows = ReadInventory(this->store(),
                            [&](const InventoryReader& repo) { return repo.ListFindings({}); });

  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 1u);
  StoredFinding expected = finding;
  expected.seq = seqs->front();
  EXPECT_EQ(rows->front(), expected);
}

TYPED_TEST_P(InventoryConformance, FindingWithoutKindChangesNothing) {
  std::vector<StoredFinding> findings = {MakeStoredFinding("a", "10.1.0.1", kInventoryNanos),
                                         MakeStoredFinding("a", "10.1.0.1", kInventoryNanos, "")};

  auto seqs = WriteInventory(this->store(),
                             [&](InventoryRepo& repo) { return repo.AddFindings(findings); });

  ASSERT_FALSE(seqs);
  EXPECT_EQ(seqs.error().code, ErrorCode::kInvalidArgument);
  auto rows = ReadInventory(this->store(),
                            [&](const InventoryReader& repo) { return repo.ListFindings({}); });
  ASSERT_TRUE(rows);
  EXPECT_TRUE(rows->empty());
}

TYPED_TEST_P(InventoryConformance, FlowsAccumulateByKeyAndListInOrder) {
  const std::int64_t b = kFlowBucketNanos * 5'666'667;
  std::vector<model::FlowAggregate> rows = {
      MakeFlowRow(b + kFlowBucketNanos, "10.1.0.1", "10.9.0.1"),
      MakeFlowRow(b, "10.1.0.2", "10.9.0.1"), MakeFlowRow(b, "10.1.0.1", "fd00::1"),
      MakeFlowRow(b, "10.1.0.1", "10.9.0.1"), MakeFlowRow(b, "10.1.0.1", "10.9.0.1")};

  auto added =
      WriteInventory(this->store(), [&](InventoryRepo& repo) { return repo.AddFlows(rows); });
  ASSERT_TRUE(added) << added.error().message;
  added = WriteInventory(this->store(), [&](InventoryRepo& repo) {
    return repo.AddFlows({&rows[0], 1});
  });
  ASSERT_TRUE(added) << added.error().message;

  auto all =
      ReadInventory(this->store(), [](const InventoryReader& repo) { return repo.ListFlows({}); });
  ASSERT_TRUE(all) << all.error().message;
  model::FlowAggregate doubled = MakeFlowRow(b, "10.1.0.1", "10.9.0.1");
  doubled.flows = 2;
  doubled.packets = 20;
  doubled.bytes = 2000;
  model::FlowAggregate later = rows[0];
  later.flows = 2;
  later.packets = 20;
  later.bytes = 2000;
  EXPECT_EQ(*all, (std::vector<model::FlowAggregate>{doubled, rows[2], rows[1], later}));
  auto of_server = ReadInventory(this->store(), [&](const InventoryReader& repo) {
    return repo.ListFlows({.address = TestIp("fd00::1")});
  });
  ASSERT_TRUE(of_server);
  EXPECT_EQ(*of_server, (std::vector<model::FlowAggregate>{rows[2]}));
  auto window = ReadInventory(this->store(), [&](const InventoryReader& repo) {
    return repo.ListFlows({.from_unix_nanos = b + 1, .limit = 10});
  });
  ASSERT_TRUE(window);
  EXPECT_EQ(*window, (std::vector<model::FlowAggregate>{later}));
}

TYPED_TEST_P(InventoryConformance, OldFlowsAreDeleted) {
  const std::int64_t b = kFlowBucketNanos * 5'666'667;
  std::vector<model::FlowAggregate> rows = {
      MakeFlowRow(b, "10.1.0.1", "10.9.0.1"), MakeFlowRow(b, "10.1.0.2", "10.9.0.1"),
      MakeFlowRow(b + kFlowBucketNanos, "10.1.0.1", "10.9.0.1")};
  ASSERT_TRUE(
      WriteInventory(this->store(), [&](InventoryRepo& repo) { return repo.AddFlows(rows); }));

  auto deleted = WriteInventory(this->store(), [&](InventoryRepo& repo) {
    return repo.DeleteFlowsBefore(b + kFlowBucketNanos);
  });

  ASSERT_TRUE(deleted) << deleted.error().message;
  EXPECT_EQ(*deleted, 2);
  auto all =
      ReadInventory(this->store(), [](const InventoryReader& repo) { return repo.ListFlows({}); });
  ASSERT_TRUE(all);
  EXPECT_EQ(*all, (std::vector<model::FlowAggregate>{rows[2]}));
}

TYPED_TEST_P(InventoryConformance, UnalignedFlowBucketIsInvalidArgument) {
  const model::FlowAggregate row = MakeFlowRow(kFlowBucketNanos + 1, "10.1.0.1", "10.9.0.1");

  auto added = WriteInventory(this->store(), [&](InventoryRepo& repo) {
    return repo.AddFlows({&row, 1});
  });

  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().code, ErrorCode::kInvalidArgument);
}

REGISTER_TYPED_TEST_SUITE_P(InventoryConformance, DeviceReadsBackWhole, UpsertReplacesTheDevice,
                            UnknownOrEmptyIdsAreRefused, DeleteRemovesTheDevice,
                            ListIsNewestFirstAndPages, FiltersCombine,
                            SearchFindsNamesAddressesMacsAndModels, BadFiltersAreInvalidArgument,
                            FindingsFilterByDeviceAddressKindAndTime, FindingReadsBackWhole,
                            FindingWithoutKindChangesNothing, FlowsAccumulateByKeyAndListInOrder,
                            OldFlowsAreDeleted, UnalignedFlowBucketIsInvalidArgument);

}  // namespace vigil::store::testing
