#include "store/sqlite/device_table.h"

#include <gtest/gtest.h>

#include "store/device_conformance_test.h"
#include "store/sqlite/database.h"
#include "store/sqlite/sqlite_store.h"
#include "store/telemetry_conformance_test.h"
#include "testing/fixtures.h"

namespace vigil::store::testing {

// Outside any anonymous namespace: its name is part of the test names ctest shows.
struct SqliteDeviceHarness {
  SqliteDeviceHarness() {
    auto opened = sqlite::SqliteStore::Open(dir_ / "vigil.db");
    EXPECT_TRUE(opened) << opened.error().message;
    if (opened) store_ = std::move(*opened);
  }
  Store& store() { return *store_; }

  ::vigil::testing::TempDir dir_;
  std::unique_ptr<sqlite::SqliteStore> store_;
};

INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, DeviceConformance, SqliteDeviceHarness);
INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, TelemetryConformance, SqliteDeviceHarness);

}  // namespace vigil::store::testing

namespace vigil::store::sqlite {
namespace {

TEST(DeviceTable, StoreOpensAtTheDeviceSchema) {
  ::vigil::testing::TempDir dir;

  auto store = SqliteStore::Open(dir / "vigil.db");

  ASSERT_TRUE(store) << store.error().message;
  EXPECT_GE((*store)->schema_version(), 3);
}

}  // namespace
}  // namespace vigil::store::sqlite
