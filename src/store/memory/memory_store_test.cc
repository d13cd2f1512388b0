#include "store/memory/memory_store.h"

#include <gtest/gtest.h>

#include "store/device_conformance_test.h"
#include "store/identity_conformance_test.h"
#include "store/inventory_conformance_test.h"
#include "store/store_concurrency_conformance_test.h"
#include "store/store_conformance_test.h"
#include "store/telemetry_conformance_test.h"

namespace vigil::store::testing {

// Outside any anonymous namespace: its name is part of the test names ctest shows.
struct MemoryHarness {
  Store& store() { return store_; }
  crypto::DekStore& dek_store() { return store_.dek_store(); }
  void AttachKeyRing(const crypto::KeyRing& ring) { store_.AttachKeyRing(ring); }

  memory::MemoryStore store_;
};

INSTANTIATE_TYPED_TEST_SUITE_P(Memory, StoreConformance, MemoryHarness);
INSTANTIATE_TYPED_TEST_SUITE_P(Memory, StoreConcurrencyConformance, MemoryHarness);
INSTANTIATE_TYPED_TEST_SUITE_P(Memory, IdentityConformance, MemoryHarness);
INSTANTIATE_TYPED_TEST_SUITE_P(Memory, DeviceConformance, MemoryHarness);
INSTANTIATE_TYPED_TEST_SUITE_P(Memory, TelemetryConformance, MemoryHarness);
INSTANTIATE_TYPED_TEST_SUITE_P(Memory, InventoryConformance, MemoryHarness);

}  // namespace vigil::store::testing

namespace vigil::store::memory {
namespace {

TEST(MemoryStore, BackupIsNotSupported) {
  MemoryStore store;

  auto backup = store.Backup("/nonexistent/backup.db");

  ASSERT_FALSE(backup);
  EXPECT_EQ(backup.error().code, ErrorCode::kFailedPrecondition);
}

TEST(MemoryStore, ReadKeepsItsSnapshotWhileLaterWritesCommit) {
  MemoryStore store;
  ASSERT_TRUE(testing::AppendRow(store, 1));
  std::int64_t before = -1;
  std::int64_t after = -1;

  ASSERT_TRUE(store.Read([&](ReadTransaction& tx) -> Status {
    before = *tx.audit().Count();
    EXPECT_TRUE(testing::AppendRow(store, 2));
    after = *tx.audit().Count();
    return OkStatus();
  }));

  EXPECT_EQ(before, 1);
  EXPECT_EQ(after, 1);
  EXPECT_EQ(testing::AuditCount(store), 2);
}

}  // namespace
}  // namespace vigil::store::memory
