#pragma once

// The behaviour every Store implementation shares, as a typed GoogleTest suite. An
// implementation's test instantiates it with a harness:
//
//   struct Harness {
//     Harness();                                  // A fresh, empty store.
//     Store& store();
//     crypto::DekStore& dek_store();
//     void AttachKeyRing(const crypto::KeyRing& ring);
//   };
//   INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, StoreConformance, Harness);

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "crypto/key_ring.h"
#include "crypto/secret.h"
#include "store/store.h"

namespace vigil::store::testing {

inline constexpr std::int64_t kTestNow = 1700000000;

inline AuditRow MakeAuditRow(std::int64_t seq, std::int64_t time_unix_ns = 0) {
  return AuditRow{.seq = seq,
                  .time_unix_ns = time_unix_ns == 0 ? seq * 1000 : time_unix_ns,
                  .actor_kind = "user",
                  .actor = "alice",
                  .action = "device.update",
                  .target = "device/" + std::to_string(seq),
                  .details_json = R"({"n":)" + std::to_string(seq) + "}",
                  .prev_hash = std::vector<std::uint8_t>(32, static_cast<std::uint8_t>(seq - 1)),
                  .hash = std::vector<std::uint8_t>(32, static_cast<std::uint8_t>(seq)),
                  .key_version = 1};
}

inline crypto::SecretBytes TestKek(std::uint8_t fill = 0x4b) {
  crypto::SecretBytes kek(32);
  for (std::size_t i = 0; i < kek.size(); ++i) kek.data()[i] = fill;
  return kek;
}

inline std::span<const std::uint8_t> Bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

inline std::int64_t AuditCount(const Store& store) {
  std::int64_t count = -1;
  const Status status = store.Read([&](ReadTransaction& tx) -> Status {
    auto n = tx.audit().Count();
    if (!n) return tl::unexpected(n.error());
    count = *n;
    return OkStatus();
  });
  EXPECT_TRUE(status) << status.error().message;
  return count;
}

inline Status AppendRow(Store& store, std::int64_t seq, Durability durability = Durability::kFull) {
  return store.Write([seq](Transaction& tx) { return tx.audit().Append(MakeAuditRow(seq)); },
                     durability);
}

template <typename Harness>
class StoreConformance : public ::testing::Test {
 protected:
  Store& store() { return harness_.store(); }

  // Opens a key ring over the store and attaches it.
  const crypto::KeyRing& AttachRing() {
    auto ring = crypto::KeyRing::Open(TestKek(), harness_.dek_store(), kTestNow);
    EXPECT_TRUE(ring) << ring.error().message;
    ring_ = std::move(*ring);
    harness_.AttachKeyRing(*ring_);
    return *ring_;
  }

  Result<std::string> GetSecret(std::string_view name) {
    std::string value;
    const Status status = store().Read([&](ReadTransaction& tx) -> Status {
      auto secret = tx.secrets().Get(name);
      if (!secret) return tl::unexpected(secret.error());
      value = std::string(secret->view());
      return OkStatus();
    });
    if (!status) return tl::unexpected(status.error());
    return value;
  }

  Status PutSecret(std::string_view name, std::string_view value) {
    return store().Write([&](Transaction& tx) { return tx.secrets().Put(name, Bytes(value)); });
  }

  std::vector<SecretInfo> ListSecrets() {
    std::vector<SecretInfo> list;
    const Status status = store().Read([&](ReadTransaction& tx) -> Status {
      auto got = tx.secrets().List();
      if (!got) return tl::unexpected(got.error());
      list = std::move(*got);
      return OkStatus();
    });
    EXPECT_TRUE(status) << status.error().message;
    return list;
  }

  Harness harness_;
  std::unique_ptr<crypto::KeyRing> ring_;  // Declared after the harness: destroyed first.
};

TYPED_TEST_SUITE_P(StoreConformance);

TYPED_TEST_P(StoreConformance, WriteCommitsAndReadSeesIt) {
  auto written = AppendRow(this->store(), 1);

  ASSERT_TRUE(written) << written.error().message;
  std::optional<AuditRow> last;
  ASSERT_TRUE(this->store().Read([&](ReadTransaction& tx) -> Status {
    return tx.audit().Scan(1, 1, [&](const AuditRow& row) {
      last = row;
      return false;
    });
  }));
  ASSERT_TRUE(last.has_value());
  const AuditRow expected = MakeAuditRow(1);
  EXPECT_EQ(last->seq, 1);
  EXPECT_EQ(last->time_unix_ns, expected.time_unix_ns);
  EXPECT_EQ(last->actor_kind, expected.actor_kind);
  EXPECT_EQ(last->actor, expected.actor);
  EXPECT_EQ(last->action, expected.action);
  EXPECT_EQ(last->target, expected.target);
  EXPECT_EQ(last->details_json, expected.details_json);
  EXPECT_EQ(last->prev_hash, expected.prev_hash);
  EXPECT_EQ(last->hash, expected.hash);
  EXPECT_EQ(last->key_version, expected.key_version);
}

TYPED_TEST_P(StoreConformance, FailingCallbackLeavesNothingAndReturnsItsError) {
  auto written = this->store().Write([](Transaction& tx) -> Status {
    VIGIL_RETURN_IF_ERROR(tx.audit().Append(MakeAuditRow(1)));
    VIGIL_RETURN_IF_ERROR(tx.keys().AddDek(StoredDek{.version = 9, .wrapped = {1}}));
    return MakeError(ErrorCode::kInvalidArgument, "changed my mind");
  });

  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(written.error().message, "changed my mind");
  EXPECT_EQ(AuditCount(this->store()), 0);
  ASSERT_TRUE(this->store().Read([](ReadTransaction& tx) -> Status {
    auto deks = tx.keys().Deks();
    EXPECT_TRUE(deks && deks->empty());
    return OkStatus();
  }));
}

TYPED_TEST_P(StoreConformance, ThrowingCallbackIsInternalAndStoreKeepsWorking) {
  auto thrown = this->store().Write([](Transaction& tx) -> Status {
    (void)tx.audit().Append(MakeAuditRow(1));
    throw std::runtime_error("boom");
  });

  ASSERT_FALSE(thrown);
  EXPECT_EQ(thrown.error().code, ErrorCode::kInternal);
  EXPECT_NE(thrown.error().message.find("boom"), std::string::npos);
  EXPECT_EQ(AuditCount(this->store()), 0);
  ASSERT_TRUE(AppendRow(this->store(), 1));
  EXPECT_EQ(AuditCount(this->store()), 1);
}

TYPED_TEST_P(StoreConformance, ThrowingReadCallbackIsInternal) {
  auto thrown = this->store().Read([](ReadTransaction&) -> Status { throw 7; });

  ASSERT_FALSE(thrown);
  EXPECT_EQ(thrown.error().code, ErrorCode::kInternal);
  EXPECT_EQ(AuditCount(this->store()), 0);
}

TYPED_TEST_P(StoreConformance, WriteFromInsideWriteIsFailedPrecondition) {
  Status inner;

  auto outer = this->store().Write([&](Transaction&) -> Status {
    inner = AppendRow(this->store(), 1);
    return OkStatus();
  });

  ASSERT_TRUE(outer) << outer.error().message;
  ASSERT_FALSE(inner);
  EXPECT_EQ(inner.error().code, ErrorCode::kFailedPrecondition);
}

TYPED_TEST_P(StoreConformance, DuplicateAuditSeqIsAlreadyExists) {
  ASSERT_TRUE(AppendRow(this->store(), 1));

  auto again = AppendRow(this->store(), 1);

  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists) << again.error().message;
  EXPECT_EQ(AuditCount(this->store()), 1);
}

TYPED_TEST_P(StoreConformance, ScanVisitsRangeInSeqOrderAndStopsWhenAsked) {
  ASSERT_TRUE(this->store().Write([](Transaction& tx) -> Status {
    for (std::int64_t seq : {3, 1, 5, 2, 4})
      VIGIL_RETURN_IF_ERROR(tx.audit().Append(MakeAuditRow(seq)));
    return OkStatus();
  }));
  std::vector<std::int64_t> range, to_end, stopped;

  ASSERT_TRUE(this->store().Read([&](ReadTransaction& tx) -> Status {
    VIGIL_RETURN_IF_ERROR(tx.audit().Scan(2, 4, [&](const AuditRow& row) {
      range.push_back(row.seq);
      return true;
    }));
    VIGIL_RETURN_IF_ERROR(tx.audit().Scan(3, -1, [&](const AuditRow& row) {
      to_end.push_back(row.seq);
      return true;
    }));
    return tx.audit().Scan(1, -1, [&](const AuditRow& row) {
      stopped.push_back(row.seq);
      return row.seq < 2;
    });
  }));

  EXPECT_EQ(range, (std::vector<std::int64_t>{2, 3, 4}));
  EXPECT_EQ(to_end, (std::vector<std::int64_t>{3, 4, 5}));
  EXPECT_EQ(stopped, (std::vector<std::int64_t>{1, 2}));
}

TYPED_TEST_P(StoreConformance, ScanSinceVisitsRowsAtOrAfterTime) {
  ASSERT_TRUE(this->store().Write([](Transaction& tx) -> Status {
    VIGIL_RETURN_IF_ERROR(tx.audit().Append(MakeAuditRow(1, 100)));
    VIGIL_RETURN_IF_ERROR(tx.audit().Append(MakeAuditRow(2, 200)));
    return tx.audit().Append(MakeAuditRow(3, 300));
  }));
  std::vector<std::int64_t> seen;

  ASSERT_TRUE(this->store().Read([&](ReadTransaction& tx) {
    return tx.audit().ScanSince(200, [&](const AuditRow& row) {
      seen.push_back(row.seq);
      return true;
    });
  }));

  EXPECT_EQ(seen, (std::vector<std::int64_t>{2, 3}));
}

TYPED_TEST_P(StoreConformance, HeadIsTheLastRowsSeqAndHash) {
  ASSERT_TRUE(this->store().Write([](Transaction& tx) -> Status {
    VIGIL_RETURN_IF_ERROR(tx.audit().Append(MakeAuditRow(1, 100)));
    return tx.audit().Append(MakeAuditRow(2, 200));
  }));
  std::optional<AuditHead> head;

  ASSERT_TRUE(this->store().Read([&](ReadTransaction& tx) -> Status {
    auto h = tx.audit().Head();
    if (h) head = *h;
    return OkStatus();
  }));

  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->seq, 2);
  EXPECT_EQ(head->hash, MakeAuditRow(2).hash);
}

TYPED_TEST_P(StoreConformance, EmptyAuditHasNoHeadOrCheckpoint) {
  ASSERT_TRUE(this->store().Read([](ReadTransaction& tx) -> Status {
    auto head = tx.audit().Head();
    auto checkpoint = tx.audit().LastCheckpoint();
    auto count = tx.audit().Count();
    EXPECT_TRUE(head && !head->has_value());
    EXPECT_TRUE(checkpoint && !checkpoint->has_value());
    EXPECT_TRUE(count && *count == 0);
    return OkStatus();
  }));
}

TYPED_TEST_P(StoreConformance, CheckpointsAreKeptInSeqOrderAndUnique) {
  const auto checkpoint = [](std::int64_t seq) {
    return AuditCheckpoint{.seq = seq,
                           .hash = std::vector<std::uint8_t>(32, 0xaa),
                           .time_unix_ns = seq * 10,
                           .signature = std::vector<std::uint8_t>(64, 0x55)};
  };
  ASSERT_TRUE(this->store().Write([&](Transaction& tx) -> Status {
    VIGIL_RETURN_IF_ERROR(tx.audit().AddCheckpoint(checkpoint(20)));
    return tx.audit().AddCheckpoint(checkpoint(10));
  }));

  auto duplicate = this->store().Write(
      [&](Transaction& tx) { return tx.audit().AddCheckpoint(checkpoint(10)); });

  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, ErrorCode::kAlreadyExists);
  ASSERT_TRUE(this->store().Read([](ReadTransaction& tx) -> Status {
    auto all = tx.audit().Checkpoints();
    auto last = tx.audit().LastCheckpoint();
    EXPECT_TRUE(all && all->size() == 2 && (*all)[0].seq == 10 && (*all)[1].seq == 20);
    EXPECT_TRUE(last && last->has_value() && (*last)->seq == 20);
    EXPECT_TRUE(last && last->has_value() && (*last)->signature.size() == 64);
    EXPECT_TRUE(last && last->has_value() && (*last)->time_unix_ns == 200);
    return OkStatus();
  }));
}

TYPED_TEST_P(StoreConformance, DeksAreAscendingUniqueAndReplaceable) {
  ASSERT_TRUE(this->store().Write([](Transaction& tx) -> Status {
    VIGIL_RETURN_IF_ERROR(tx.keys().AddDek({.version = 2, .wrapped = {2}, .created_unix = 20}));
    return tx.keys().AddDek({.version = 1, .wrapped = {1}, .created_unix = 10});
  }));
  auto duplicate = this->store().Write(
      [](Transaction& tx) { return tx.keys().AddDek({.version = 1, .wrapped = {9}}); });

  auto replaced = this->store().Write([](Transaction& tx) {
    return tx.keys().ReplaceAllDeks({{.version = 1, .wrapped = {7, 7}, .created_unix = 10},
                                     {.version = 2, .wrapped = {8, 8}, .created_unix = 20}});
  });

  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, ErrorCode::kAlreadyExists);
  ASSERT_TRUE(replaced) << replaced.error().message;
  ASSERT_TRUE(this->store().Read([](ReadTransaction& tx) -> Status {
    auto deks = tx.keys().Deks();
    EXPECT_TRUE(deks && deks->size() == 2);
    if (!deks || deks->size() != 2) return OkStatus();
    EXPECT_EQ((*deks)[0].version, 1u);
    EXPECT_EQ((*deks)[0].wrapped, (std::vector<std::uint8_t>{7, 7}));
    EXPECT_EQ((*deks)[1].version, 2u);
    EXPECT_EQ((*deks)[1].created_unix, 20);
    return OkStatus();
  }));
}

TYPED_TEST_P(StoreConformance, SecretsNeedAKeyRing) {
  auto put = this->PutSecret("smtp", "password");
  auto get = this->GetSecret("smtp");

  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().code, ErrorCode::kFailedPrecondition);
  ASSERT_FALSE(get);
  EXPECT_EQ(get.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(this->ListSecrets().empty());
}

TYPED_TEST_P(StoreConformance, KeyRingKeepsItsDeksInTheStore) {
  const crypto::KeyRing& ring = this->AttachRing();

  ASSERT_TRUE(this->ring_->Rotate(kTestNow + 1));

  EXPECT_EQ(ring.current_version(), 2u);
  ASSERT_TRUE(this->store().Read([](ReadTransaction& tx) -> Status {
    auto deks = tx.keys().Deks();
    EXPECT_TRUE(deks && deks->size() == 2);
    if (deks && deks->size() == 2) {
      EXPECT_EQ((*deks)[1].version, 2u);
      EXPECT_EQ((*deks)[1].created_unix, kTestNow + 1);
    }
    return OkStatus();
  }));
}

TYPED_TEST_P(StoreConformance, SecretRoundTripsAndIsReplacedByPut) {
  this->AttachRing();
  ASSERT_TRUE(this->PutSecret("webhook", "first"));

  ASSERT_TRUE(this->PutSecret("webhook", "second"));
  auto got = this->GetSecret("webhook");

  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(*got, "second");
  const auto list = this->ListSecrets();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].name, "webhook");
  EXPECT_EQ(list[0].key_version, 1u);
}

TYPED_TEST_P(StoreConformance, SecretsListAscendingByName) {
  this->AttachRing();
  ASSERT_TRUE(this->PutSecret("zulu", "z"));
  ASSERT_TRUE(this->PutSecret("alpha", "a"));

  const auto list = this->ListSecrets();

  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].name, "alpha");
  EXPECT_EQ(list[1].name, "zulu");
}

TYPED_TEST_P(StoreConformance, MissingSecretIsNotFound) {
  this->AttachRing();

  auto got = this->GetSecret("nope");
  auto removed = this->store().Write([](Transaction& tx) { return tx.secrets().Remove("nope"); });

  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
  ASSERT_FALSE(removed);
  EXPECT_EQ(removed.error().code, ErrorCode::kNotFound);
}

TYPED_TEST_P(StoreConformance, RemovedSecretIsGone) {
  this->AttachRing();
  ASSERT_TRUE(this->PutSecret("old", "x"));

  auto removed = this->store().Write([](Transaction& tx) { return tx.secrets().Remove("old"); });

  ASSERT_TRUE(removed) << removed.error().message;
  auto got = this->GetSecret("old");
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
}

TYPED_TEST_P(StoreConformance, SecretWithEmptyNameIsInvalid) {
  this->AttachRing();

  auto put = this->PutSecret("", "x");

  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().code, ErrorCode::kInvalidArgument);
}

TYPED_TEST_P(StoreConformance, FailedWriteKeepsThePreviousSecret) {
  this->AttachRing();
  ASSERT_TRUE(this->PutSecret("token", "kept"));

  auto failed = this->store().Write([](Transaction& tx) -> Status {
    VIGIL_RETURN_IF_ERROR(tx.secrets().Put("token", Bytes("lost")));
    VIGIL_RETURN_IF_ERROR(tx.secrets().Put("other", Bytes("lost too")));
    return MakeError(ErrorCode::kInternal, "abort");
  });

  ASSERT_FALSE(failed);
  EXPECT_EQ(*this->GetSecret("token"), "kept");
  EXPECT_EQ(this->ListSecrets().size(), 1u);
}

TYPED_TEST_P(StoreConformance, SecretWrittenInATransactionIsReadableInIt) {
  this->AttachRing();
  std::string seen;

  ASSERT_TRUE(this->store().Write([&](Transaction& tx) -> Status {
    VIGIL_RETURN_IF_ERROR(tx.secrets().Put("fresh", Bytes("value")));
    auto got = tx.secrets().Get("fresh");
    if (!got) return tl::unexpected(got.error());
    seen = std::string(got->view());
    return OkStatus();
  }));

  EXPECT_EQ(seen, "value");
}

TYPED_TEST_P(StoreConformance, ResealAllMovesValuesToTheNewestKey) {
  this->AttachRing();
  ASSERT_TRUE(this->PutSecret("a", "apple"));
  ASSERT_TRUE(this->PutSecret("b", "banana"));
  ASSERT_TRUE(this->ring_->Rotate(kTestNow + 60));
  std::int64_t moved = -1;
  std::int64_t moved_again = -1;

  ASSERT_TRUE(this->store().Write([&](Transaction& tx) -> Status {
    auto n = tx.secrets().ResealAll();
    if (!n) return tl::unexpected(n.error());
    moved = *n;
    return OkStatus();
  }));
  ASSERT_TRUE(this->store().Write([&](Transaction& tx) -> Status {
    auto n = tx.secrets().ResealAll();
    if (!n) return tl::unexpected(n.error());
    moved_again = *n;
    return OkStatus();
  }));

  EXPECT_EQ(moved, 2);
  EXPECT_EQ(moved_again, 0);
  for (const SecretInfo& info : this->ListSecrets()) EXPECT_EQ(info.key_version, 2u) << info.name;
  EXPECT_EQ(*this->GetSecret("a"), "apple");
  EXPECT_EQ(*this->GetSecret("b"), "banana");
}

TYPED_TEST_P(StoreConformance, SecretSealedBeforeRotationStillOpens) {
  this->AttachRing();
  ASSERT_TRUE(this->PutSecret("before", "v1"));

  ASSERT_TRUE(this->ring_->Rotate(kTestNow + 60));
  ASSERT_TRUE(this->PutSecret("after", "v2"));

  EXPECT_EQ(*this->GetSecret("before"), "v1");
  EXPECT_EQ(*this->GetSecret("after"), "v2");
  const auto list = this->ListSecrets();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].key_version, 2u);  // "after"
  EXPECT_EQ(list[1].key_version, 1u);  // "before"
}

// KeyRing::Rotate() must not hold its lock while it calls the DekStore: a Write() callback
// sealing a secret waits for the ring, and Rotate() would wait for the write queue. A deadlock
// ends the process after a minute instead of hanging the suite.
TYPED_TEST_P(StoreConformance, RotateWhileSecretsAreWrittenDoesNotDeadlock) {
  this->AttachRing();
  std::atomic<int> finished{0};

  std::thread writer([&] {
    for (int i = 0; i < 200; ++i) EXPECT_TRUE(this->PutSecret("s" + std::to_string(i % 10), "v"));
    finished.fetch_add(1);
  });
  std::thread rotator([&] {
    for (int i = 0; i < 20; ++i) EXPECT_TRUE(this->ring_->Rotate(kTestNow + i));
    finished.fetch_add(1);
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (finished.load() < 2) {
    if (std::chrono::steady_clock::now() > deadline) {
      std::fprintf(stderr, "deadlock: KeyRing::Rotate and a sealing Write wait for each other\n");
      std::_Exit(1);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  writer.join();
  rotator.join();

  EXPECT_EQ(this->ring_->current_version(), 21u);
}

REGISTER_TYPED_TEST_SUITE_P(
    StoreConformance, WriteCommitsAndReadSeesIt, FailingCallbackLeavesNothingAndReturnsItsError,
    ThrowingCallbackIsInternalAndStoreKeepsWorking, ThrowingReadCallbackIsInternal,
    WriteFromInsideWriteIsFailedPrecondition, DuplicateAuditSeqIsAlreadyExists,
    ScanVisitsRangeInSeqOrderAndStopsWhenAsked, ScanSinceVisitsRowsAtOrAfterTime,
    EmptyAuditHasNoHeadOrCheckpoint, HeadIsTheLastRowsSeqAndHash,
    CheckpointsAreKeptInSeqOrderAndUnique, DeksAreAscendingUniqueAndReplaceable,
    SecretsNeedAKeyRing, KeyRingKeepsItsDeksInTheStore, SecretRoundTripsAndIsReplacedByPut,
    SecretsListAscendingByName, MissingSecretIsNotFound, RemovedSecretIsGone,
    SecretWithEmptyNameIsInvalid, FailedWriteKeepsThePreviousSecret,
    SecretWrittenInATransactionIsReadableInIt, ResealAllMovesValuesToTheNewestKey,
    SecretSealedBeforeRotationStillOpens, RotateWhileSecretsAreWrittenDoesNotDeadlock);

}  // namespace vigil::store::testing
