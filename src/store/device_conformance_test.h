#pragma once

// The device repository's behaviour every Store implementation shares (device_repo.h), as two
// typed GoogleTest suites: DeviceConformance (devices, enrolment tokens, certificates, events)
// here and TelemetryConformance in telemetry_conformance_test.h. They need only the harness's
// store():
//
//   INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, DeviceConformance, Harness);

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/store.h"

namespace vigil::store::testing {

inline constexpr std::int64_t kDeviceNow = 1700000000;

// 32 hex digits ending in `n`, like a vigil::Id; distinct from identity's TestId() range.
inline std::string DeviceId(int n) {
  const std::string digits = std::to_string(n);
  return "d" + std::string(31 - digits.size(), '0') + digits;
}

inline std::vector<std::uint8_t> DeviceHash(std::uint8_t fill) {
  return std::vector<std::uint8_t>(32, fill);
}

// A device with every field set, heartbeat included.
inline DeviceRecord MakeDevice(int n, std::string name) {
  return DeviceRecord{
      .id = DeviceId(n),
      .name = std::move(name),
      .type = "infusion_pump",
      .manufacturer = "Acme Medical",
      .model = "AP-" + std::to_string(n),
      .firmware = "4.2." + std::to_string(n),
      .criticality = "life_sustaining",
      .serial = "SN" + std::to_string(1000 + n),
      .location = "ICU-3 bed " + std::to_string(n),
      .quarantined = n % 2 == 0,
      .created_unix = kDeviceNow + n,
      .last_seen_unix_nanos = (kDeviceNow + n) * 1'000'000'000,
      .last_heartbeat = model::Heartbeat{.time_unix_nanos = (kDeviceNow + n) * 1'000'000'000 - 5,
                                         .firmware_version = "4.2." + std::to_string(n),
                                         .agent_version = "1.0.0",
                                         .uptime_seconds = 3600 + n,
                                         .state = "in_use",
                                         .spool_dropped = n}};
}

inline EnrollmentTokenRecord MakeEnrollmentToken(std::uint8_t fill, std::string device_id) {
  return EnrollmentTokenRecord{.token_hash = DeviceHash(fill),
                               .device_id = std::move(device_id),
                               .created_by = "00000000000000000000000000000001",
                               .created_unix = kDeviceNow,
                               .expires_unix = kDeviceNow + 86400,
                               .used_unix = 0};
}

inline DeviceCertificateRecord MakeCertificate(std::string serial, std::string device_id,
                                               std::int64_t issued_unix = kDeviceNow) {
  return DeviceCertificateRecord{
      .serial = serial,
      .device_id = std::move(device_id),
      .fingerprint_sha256 = std::string(64, 'a'),
      .pem = "-----BEGIN CERTIFICATE-----\n" + serial + "\n-----END CERTIFICATE-----\n",
      .not_before_unix = issued_unix - 60,
      .not_after_unix = issued_unix + 90 * 86400,
      .issued_unix = issued_unix,
      .revoked_unix = 0,
      .revocation_reason = ""};
}

inline model::DeviceEvent MakeEvent(int n) {
  return model::DeviceEvent{.time_unix_nanos = kDeviceNow * 1'000'000'000 + n,
                            .kind = n % 2 == 0 ? "security" : "log",
                            .severity = static_cast<model::EventSeverity>(n % 6),
                            .message = "event " + std::to_string(n),
                            .attributes = {{"source", "agent"}, {"user", "u" + std::to_string(n)}}};
}

// Runs `fn` on the device reader of a read transaction and returns its result.
template <typename Fn>
auto ReadDevices(const Store& store, Fn fn) -> decltype(fn(std::declval<const DeviceReader&>())) {
  decltype(fn(std::declval<const DeviceReader&>())) result =
      MakeError(ErrorCode::kInternal, "device read did not run");
  const Status status = store.Read([&](ReadTransaction& tx) -> Status {
    result = fn(tx.devices());
    return OkStatus();
  });
  if (!status) return tl::unexpected(status.error());
  return result;
}

// Runs `fn` on the device repository of a write transaction; its result is the write's.
template <typename Fn>
auto WriteDevices(Store& store, Fn fn) -> decltype(fn(std::declval<DeviceRepo&>())) {
  decltype(fn(std::declval<DeviceRepo&>())) result =
      MakeError(ErrorCode::kInternal, "device write did not run");
  const Status status = store.Write([&](Transaction& tx) -> Status {
    result = fn(tx.devices());
    if (!result) return tl::unexpected(result.error());
    return OkStatus();
  });
  if (!status) return tl::unexpected(status.error());
  return result;
}

inline Status AddDevice(Store& store, const DeviceRecord& device) {
  return WriteDevices(store, [&](DeviceRepo& repo) { return repo.AddDevice(device); });
}

inline Result<DeviceRecord> GetDevice(const Store& store, std::string_view id) {
  return ReadDevices(store, [&](const DeviceReader& repo) { return repo.GetDevice(id); });
}

inline Status AddCertificate(Store& store, const DeviceCertificateRecord& certificate) {
  return WriteDevices(store, [&](DeviceRepo& repo) { return repo.AddCertificate(certificate); });
}

inline Status Revoke(Store& store, std::string_view serial, std::int64_t now_unix,
                     std::string_view reason = "key_compromise") {
  return WriteDevices(
      store, [&](DeviceRepo& repo) { return repo.RevokeCertificate(serial, now_unix, reason); });
}

// The serials of `certificates`, in order.
inline std::vector<std::string> Serials(
    const Result<std::vector<DeviceCertificateRecord>>& certificates) {
  EXPECT_TRUE(certificates) << certificates.error().message;
  std::vector<std::string> serials;
  if (certificates) {
    for (const auto& certificate : *certificates) serials.push_back(certificate.serial);
  }
  return serials;
}

inline Result<std::vector<std::int64_t>> AppendEvents(Store& store, std::string_view device_id,
                                                      std::vector<model::DeviceEvent> events,
                                                      bool flagged = false) {
  return WriteDevices(store, [&](DeviceRepo& repo) {
    return repo.AppendEvents(device_id, events, kDeviceNow * 1'000'000'000, flagged);
  });
}

// The seqs of DeviceEvents(device_id, after_seq, limit); empty (and a failed expectation) on
// error.
inline std::vector<std::int64_t> EventSeqs(const Store& store, std::string_view device_id,
                                           std::int64_t after_seq, std::size_t limit) {
  auto events = ReadDevices(store, [&](const DeviceReader& repo) {
    return repo.DeviceEvents(device_id, after_seq, limit);
  });
  EXPECT_TRUE(events) << events.error().message;
  std::vector<std::int64_t> seqs;
  if (events) {
    for (const StoredDeviceEvent& event : *events) seqs.push_back(event.seq);
  }
  return seqs;
}

template <typename Harness>
class DeviceConformance : public ::testing::Test {
 protected:
  Store& store() { return harness_.store(); }

  Harness harness_;
};

TYPED_TEST_SUITE_P(DeviceConformance);

TYPED_TEST_P(DeviceConformance, DeviceIsFoundById) {
  const DeviceRecord pump = MakeDevice(1, "ICU-3 pump 1");

  auto added = AddDevice(this->store(), pump);

  ASSERT_TRUE(added) << added.error().message;
  auto got = GetDevice(this->store(), pump.id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(*got, pump);
}

TYPED_TEST_P(DeviceConformance, UnknownDeviceIsNotFound) {
  auto got = GetDevice(this->store(), DeviceId(9));

  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
  EXPECT_NE(got.error().message.find(DeviceId(9)), std::string::npos) << got.error().message;
}

TYPED_TEST_P(DeviceConformance, EmptyDeviceIdOrNameIsInvalidArgument) {
  DeviceRecord no_id = MakeDevice(1, "pump");
  no_id.id.clear();
  DeviceRecord no_name = MakeDevice(2, "");

  auto without_id = AddDevice(this->store(), no_id);
  auto without_name = AddDevice(this->store(), no_name);
  auto get_empty = GetDevice(this->store(), "");

  ASSERT_FALSE(without_id);
  EXPECT_EQ(without_id.error().code, ErrorCode::kInvalidArgument);
  ASSERT_FALSE(without_name);
  EXPECT_EQ(without_name.error().code, ErrorCode::kInvalidArgument);
  ASSERT_FALSE(get_empty);
  EXPECT_EQ(get_empty.error().code, ErrorCode::kInvalidArgument);
}

TYPED_TEST_P(DeviceConformance, DuplicateDeviceIdIsAlreadyExists) {
  ASSERT_TRUE(AddDevice(this->store(), MakeDevice(1, "first")));

  auto again = AddDevice(this->store(), MakeDevice(1, "second"));

  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists) << again.error().message;
  EXPECT_EQ(GetDevice(this->store(), DeviceId(1))->name, "first");
}

TYPED_TEST_P(DeviceConformance, DevicesListAscendingByNameThenId) {
  ASSERT_TRUE(AddDevice(this->store(), MakeDevice(3, "monitor")));
  ASSERT_TRUE(AddDevice(this->store(), MakeDevice(2, "pump")));
  ASSERT_TRUE(AddDevice(this->store(), MakeDevice(1, "pump")));
  ASSERT_TRUE(AddDevice(this->store(), MakeDevice(4, "infusion")));

  auto devices = ReadDevices(this->store(), [](const DeviceReader& r) { return r.ListDevices(); });

  ASSERT_TRUE(devices) << devices.error().message;
  std::vector<std::string> ids;
  for (const DeviceRecord& device : *devices) ids.push_back(device.id);
  EXPECT_EQ(ids, (std::vector<std::string>{DeviceId(4), DeviceId(3), DeviceId(1), DeviceId(2)}));
}

TYPED_TEST_P(DeviceConformance, UpdateDeviceReplacesEveryField) {
  ASSERT_TRUE(AddDevice(this->store(), MakeDevice(1, "pump")));
  DeviceRecord changed = MakeDevice(2, "renamed pump");
  changed.id = DeviceId(1);
  changed.type = "patient_monitor";
  changed.criticality = "life_supporting";

  auto updated =
      WriteDevices(this->store(), [&](DeviceRepo& r) { return r.UpdateDevice(changed); });

  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(*GetDevice(this->store(), DeviceId(1)), changed);
}

TYPED_TEST_P(DeviceConformance, UpdateOrHeartbeatOfAnUnknownDeviceIsNotFound) {
  auto updated = WriteDevices(this->store(),
                              [&](DeviceRepo& r) { return r.UpdateDevice(MakeDevice(1, "x")); });
  auto heartbeat = WriteDevices(this->store(), [&](DeviceRepo& r) {
    return r.RecordHeartbeat(DeviceId(1), model::Heartbeat{}, 1);
  });

  ASSERT_FALSE(updated);
  EXPECT_EQ(updated.error().code, ErrorCode::kNotFound);
  ASSERT_FALSE(heartbeat);
  EXPECT_EQ(heartbeat.error().code, ErrorCode::kNotFound);
}

TYPED_TEST_P(DeviceConformance, HeartbeatIsStoredAsTheLatest) {
  const DeviceRecord pump = MakeDevice(1, "pump");
  ASSERT_TRUE(AddDevice(this->store(), pump));
  const model::Heartbeat first{.time_unix_nanos = 10,
                               .firmware_version = "5.0",
                               .agent_version = "1.1",
                               .uptime_seconds = 7,
                               .state = "idle",
                               .spool_dropped = 0};
  const model::Heartbeat second{.time_unix_nanos = 20,
                                .firmware_version = "5.1",
                                .agent_version = "1.2",
                                .uptime_seconds = -1,
                                .state = "charging",
                                .spool_dropped = 3};

  auto recorded = WriteDevices(this->store(), [&](DeviceRepo& r) -> Status {
    VIGIL_RETURN_IF_ERROR(r.RecordHeartbeat(pump.id, first, 1000));
    return r.RecordHeartbeat(pump.id, second, 2000);
  });

  ASSERT_TRUE(recorded) << recorded.error().message;
  DeviceRecord expected = pump;
  expected.last_seen_unix_nanos = 2000;
  expected.last_heartbeat = second;
  EXPECT_EQ(*GetDevice(this->store(), pump.id), expected);
}

TYPED_TEST_P(DeviceConformance, EnrollmentTokenIsFoundByHash) {
  ASSERT_TRUE(AddDevice(this->store(), MakeDevice(1, "pump")));
  const EnrollmentTokenRecord token = MakeEnrollmentToken(7, DeviceId(1));

  auto added =
      WriteDevices(this->store(), [&](DeviceRepo& r) { return r.AddEnrollmentToken(token); });

  ASSERT_TRUE(added) << added.error().message;
  auto found = ReadDevices(
      this->store(), [&](const DeviceReader& r) { return r.FindEnrollmentToken(DeviceHash(7)); });
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(*found, token);
  auto other = ReadDevices(
      this->store(), [&](const DeviceReader& r) { return r.FindEnrollmentToken(DeviceHash(8)); });
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
}

TYPED_TEST_P(DeviceConformance, EnrollmentTokenErrors) {
  ASSERT_TRUE(AddDevice(this->store(), MakeDevice(1, "pump")));
  ASSERT_TRUE(WriteDevices(this->store(), [&](DeviceRepo& r) {
    return r.AddEnrollmentToken(MakeEnrollmentToken(7, DeviceId(1)));
  }));
  auto add = [&](const EnrollmentTokenRecord& token) {
    return WriteDevices(this->store(), [&](DeviceRepo& r) { return r.AddEnrollmentToken(token); });
  };
  EnrollmentTokenRecord no_hash = MakeEnrollmentToken(1, DeviceId(1));
  no_hash.token_hash.clear();

  auto duplicate = add(MakeEnrollmentToken(7, DeviceId(1)));
  auto unknown_device = add(MakeEnrollmentToken(8, DeviceId(2)));
  auto empty_hash = add(no_hash);

  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, ErrorCode::kAlreadyExists) << duplicate.error().message;
  ASSERT_FALSE(unknown_device);
  EXPECT_EQ(unknown_device.error().code, ErrorCode::kNotFound) << unknown_device.error().message;
  ASSERT_FALSE(empty_hash);
  EXPECT_EQ(empty_hash.error().code, ErrorCode::kInvalidArgument);
}

TYPED_TEST_P(DeviceConformance, EnrollmentTokenIsUsableOnce) {
  ASSERT_TRUE(AddDevice(this->store(), MakeDevice(1, "pump")));
  ASSERT_TRUE(WriteDevices(this->store(), [&](DeviceRepo& r) {
    return r.AddEnrollmentToken(MakeEnrollmentToken(7, DeviceId(1)));
  }));
  auto use = [&](std::uint8_t fill, std::int64_t now) {
    return WriteDevices(this->store(),
                        [&](DeviceRepo& r) { return r.UseEnrollmentToken(DeviceHash(fill), now); });
  };

  auto first = use(7, kDeviceNow + 1);
  auto second = use(7, kDeviceNow + 2);
  auto unknown = use(8, kDeviceNow + 3);
  auto at_zero = use(7, 0);

  ASSERT_TRUE(first) << first.error().message;
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kFailedPrecondition) << second.error().message;
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  ASSERT_FALSE(at_zero);
  EXPECT_EQ(at_zero.error().code, ErrorCode::kInvalidArgument);
  auto token = ReadDevices(
      this->store(), [&](const DeviceReader& r) { return r.FindEnrollmentToken(DeviceHash(7)); });
  ASSERT_TRUE(token);
  EXPECT_EQ(token->used_unix, kDeviceNow + 1);
}

TYPED_TEST_P(DeviceConformance, CertificateIsFoundBySerial) {
  ASSERT_TRUE(AddDevice(this->store(), MakeDevice(1, "pump")));
  const DeviceCertificateRecord certificate = MakeCertificate("0a1b", DeviceId(1));

  auto added = AddCertificate(this->store(), certificate);

  ASSERT_TRUE(added) << added.error().message;
  auto got =
      ReadDevices(this->store(), [&](const DeviceReader& r) { return r.GetCertificate("0a1b"); });
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(*got, certificate);
}

TYPED_TEST_P(DeviceConformance, CertificateErrors) {
  ASSERT_TRUE(AddDevice(this->store(), MakeDevice(1, "pump")));
  ASSERT_TRUE(AddCertificate(this->store(), MakeCertificate("0a1b", DeviceId(1))));

  auto duplicate = AddCertificate(this->store(), MakeCertificate("0a1b", DeviceId(1)));
  auto unknown_device = AddCertificate(this->store(), MakeCertificate("0c", DeviceId(2)));
  auto empty_serial = AddCertificate(this->store(), MakeCertificate("", DeviceId(1)));
  auto unknown_serial =
      ReadDevices(this->store(), [&](const DeviceReader& r) { return r.GetCertificate("ff"); });
  auto of_unknown_device = ReadDevices(
      this->store(), [&](const DeviceReader& r) { return r.DeviceCertificates(DeviceId(2)); });

  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, ErrorCode::kAlreadyExists);
  ASSERT_FALSE(unknown_device);
  EXPECT_EQ(unknown_device.error().code, ErrorCode::kNotFound);
  ASSERT_FALSE(empty_serial);
  EXPECT_EQ(empty_serial.error().code, ErrorCode::kInvalidArgument);
  ASSERT_FALSE(unknown_serial);
  EXPECT_EQ(unknown_serial.error().code, ErrorCode::kNotFound);
  ASSERT_FALSE(of_unknown_device);
  EXPECT_EQ(of_unknown_device.error().code, ErrorCode::kNotFound);
}

TYPED_TEST_P(DeviceConformance, DeviceCertificatesNewestIssueFirst) {
  ASSERT_TRUE(AddDevice(this->store(), MakeDevice(1, "pump")));
  ASSERT_TRUE(AddDevice(this->store(), MakeDevice(2, "monitor")));
  ASSERT_TRUE(AddCertificate(this->store(), MakeCertificate("01", DeviceId(1), kDeviceNow)));
  ASSERT_TRUE(AddCertificate(this->store(), MakeCertificate("03", DeviceId(1), kDeviceNow + 20)));
  ASSERT_TRUE(AddCertificate(this->store(), MakeCertificate("02", DeviceId(1), kDeviceNow + 10)));
  ASSERT_TRUE(AddCertificate(this->store(), MakeCertificate("04", DeviceId(2), kDeviceNow + 30)));

  auto certificates = ReadDevices(
      this->store(), [&](const DeviceReader& r) { return r.DeviceCertificates(DeviceId(1)); });

  EXPECT_EQ(Serials(certificates), (std::vector<std::string>{"03", "02", "01"}));
}

TYPED_TEST_P(DeviceConformance, RevokingTwiceKeepsTheFirstRevocation) {
  ASSERT_TRUE(AddDevice(this->store(), MakeDevice(1, "pump")));
  ASSERT_TRUE(AddCertificate(this->store(), MakeCertificate("0a", DeviceId(1))));

  auto first = Revoke(this->store(), "0a", kDeviceNow + 5, "key_compromise");
  auto second = Revoke(this->store(), "0a", kDeviceNow + 9, "superseded");
  auto unknown = Revoke(this->store(), "0b", kDeviceNow + 9);
  auto at_zero = Revoke(this->store(), "0a", 0);

  ASSERT_TRUE(first) << first.error().message;
  ASSERT_TRUE(second) << second.error().message;
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  ASSERT_FALSE(at_zero);
  EXPECT_EQ(at_zero.error().code, ErrorCode::kInvalidArgument);
  auto got =
      ReadDevices(this->store(), [&](const DeviceReader& r) { return r.GetCertificate("0a"); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->revoked_unix, kDeviceNow + 5);
  EXPECT_EQ(got->revocation_reason, "key_compromise");
}

TYPED_TEST_P(DeviceConformance, RevokedCertificatesAscendByRevocationTimeThenSerial) {
  ASSERT_TRUE(AddDevice(this->store(), MakeDevice(1, "pump")));
  for (const char* serial : {"01", "02", "03", "04"}) {
    ASSERT_TRUE(AddCertificate(this->store(), MakeCertificate(serial, DeviceId(1))));
  }
  ASSERT_TRUE(Revoke(this->store(), "03", kDeviceNow + 5));
  ASSERT_TRUE(Revoke(this->store(), "02", kDeviceNow + 9));
  ASSERT_TRUE(Revoke(this->store(), "01", kDeviceNow + 5));

  auto revoked =
      ReadDevices(this->store(), [](const DeviceReader& r) { return r.RevokedCertificates(); });

  EXPECT_EQ(Serials(revoked), (std::vector<std::string>{"01", "03", "02"}));
}

TYPED_TEST_P(DeviceConformance, EventsAreStoredWithAscendingSeqs) {
  ASSERT_TRUE(AddDevice(this->store(), MakeDevice(1, "pump")));
  const std::vector<model::DeviceEvent> events = {MakeEvent(1), MakeEvent(2), MakeEvent(5)};

  auto seqs = AppendEvents(this->store(), DeviceId(1), events, /*flagged=*/true);

  ASSERT_TRUE(seqs) << seqs.error().message;
  ASSERT_EQ(seqs->size(), 3u);
  EXPECT_LT((*seqs)[0], (*seqs)[1]);
  EXPECT_LT((*seqs)[1], (*seqs)[2]);
  auto stored = ReadDevices(
      this->store(), [&](const DeviceReader& r) { return r.DeviceEvents(DeviceId(1), 0, 10); });
  ASSERT_TRUE(stored) << stored.error().message;
  ASSERT_EQ(stored->size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ((*stored)[i], (StoredDeviceEvent{.seq = (*seqs)[i],
                                               .device_id = DeviceId(1),
                                               .received_unix_nanos = kDeviceNow * 1'000'000'000,
                                               .flagged = true,
                                               .event = events[i]}));
  }
}

TYPED_TEST_P(DeviceConformance, EventsPageAfterASeq) {
  ASSERT_TRUE(AddDevice(this->store(), MakeDevice(1, "pump")));
  ASSERT_TRUE(AddDevice(this->store(), MakeDevice(2, "monitor")));
  std::vector<std::int64_t> mine;
  for (int i = 0; i < 5; ++i) {
    auto a = AppendEvents(this->store(), DeviceId(1), {MakeEvent(i)});
    auto b = AppendEvents(this->store(), DeviceId(2), {MakeEvent(i)});
    ASSERT_TRUE(a && b);
    mine.push_back(a->front());
  }

  const auto page1 = EventSeqs(this->store(), DeviceId(1), 0, 2);
  const auto page2 = EventSeqs(this->store(), DeviceId(1), page1.back(), 2);
  const auto page3 = EventSeqs(this->store(), DeviceId(1), page2.back(), 2);
  const auto none = EventSeqs(this->store(), DeviceId(1), mine.back(), 2);
  const auto zero = EventSeqs(this->store(), DeviceId(1), 0, 0);

  EXPECT_EQ(page1, (std::vector<std::int64_t>{mine[0], mine[1]}));
  EXPECT_EQ(page2, (std::vector<std::int64_t>{mine[2], mine[3]}));
  EXPECT_EQ(page3, (std::vector<std::int64_t>{mine[4]}));
  EXPECT_TRUE(none.empty());
  EXPECT_TRUE(zero.empty());
  auto count = ReadDevices(this->store(), [](const DeviceReader& r) { return r.CountEvents(); });
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, 10);
}

TYPED_TEST_P(DeviceConformance, EventsOfAnUnknownDeviceAreNotFound) {
  auto appended = AppendEvents(this->store(), DeviceId(1), {MakeEvent(1)});
  auto read = ReadDevices(this->store(),
                          [](const DeviceReader& r) { return r.DeviceEvents(DeviceId(1), 0, 5); });

  ASSERT_FALSE(appended);
  EXPECT_EQ(appended.error().code, ErrorCode::kNotFound);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, ErrorCode::kNotFound);
}

TYPED_TEST_P(DeviceConformance, RolledBackWriteLeavesNoDeviceRows) {
  auto failed = this->store().Write([](Transaction& tx) -> Status {
    DeviceRepo& repo = tx.devices();
    VIGIL_RETURN_IF_ERROR(repo.AddDevice(MakeDevice(1, "pump")));
    VIGIL_RETURN_IF_ERROR(repo.AddEnrollmentToken(MakeEnrollmentToken(7, DeviceId(1))));
    VIGIL_RETURN_IF_ERROR(repo.AddCertificate(MakeCertificate("0a", DeviceId(1))));
    const std::vector<model::DeviceEvent> events = {MakeEvent(1)};
    VIGIL_RETURN_IF_ERROR(repo.AppendEvents(DeviceId(1), events, 1, false).map([](auto&&) {}));
    const std::vector<model::MetricPoint> points = {
        {.name = "cpu.percent", .value = 1, .unit = "%", .time_unix_nanos = 5}};
    VIGIL_RETURN_IF_ERROR(repo.AppendTelemetry(DeviceId(1), points));
    VIGIL_RETURN_IF_ERROR(repo.CompactTelemetry(10).map([](auto&&) {}));
    return MakeError(ErrorCode::kInternal, "abort");
  });

  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message, "abort");
  EXPECT_EQ(GetDevice(this->store(), DeviceId(1)).error().code, ErrorCode::kNotFound);
  auto token = ReadDevices(
      this->store(), [](const DeviceReader& r) { return r.FindEnrollmentToken(DeviceHash(7)); });
  EXPECT_FALSE(token);
  EXPECT_FALSE(
      ReadDevices(this->store(), [](const DeviceReader& r) { return r.GetCertificate("0a"); }));
  EXPECT_EQ(*ReadDevices(this->store(), [](const DeviceReader& r) { return r.CountEvents(); }), 0);
  auto stats =
      ReadDevices(this->store(), [](const DeviceReader& r) { return r.TelemetryStatistics(); });
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->recent_points + stats->block_points + stats->rollups, 0);
}

REGISTER_TYPED_TEST_SUITE_P(DeviceConformance, DeviceIsFoundById, UnknownDeviceIsNotFound,
                            EmptyDeviceIdOrNameIsInvalidArgument, DuplicateDeviceIdIsAlreadyExists,
                            DevicesListAscendingByNameThenId, UpdateDeviceReplacesEveryField,
                            UpdateOrHeartbeatOfAnUnknownDeviceIsNotFound,
                            HeartbeatIsStoredAsTheLatest, EnrollmentTokenIsFoundByHash,
                            EnrollmentTokenErrors, EnrollmentTokenIsUsableOnce,
                            CertificateIsFoundBySerial, CertificateErrors,
                            DeviceCertificatesNewestIssueFirst,
                            RevokingTwiceKeepsTheFirstRevocation,
                            RevokedCertificatesAscendByRevocationTimeThenSerial,
                            EventsAreStoredWithAscendingSeqs, EventsPageAfterASeq,
                            EventsOfAnUnknownDeviceAreNotFound, RolledBackWriteLeavesNoDeviceRows);

}  // namespace vigil::store::testing
