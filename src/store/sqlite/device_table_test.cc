#include "store/sqlite/device_table.h"

#include <gtest/gtest.h>

#include <string>

#include "store/device_conformance_test.h"
#include "store/inventory_conformance_test.h"
#include "store/sqlite/database.h"
#include "store/sqlite/migrations.h"
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
INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, InventoryConformance, SqliteDeviceHarness);

}  // namespace vigil::store::testing

namespace vigil::store::sqlite {
namespace {

TEST(DeviceTable, StoreOpensAtTheDeviceSchema) {
  ::vigil::testing::TempDir dir;

  auto store = SqliteStore::Open(dir / "vigil.db");

  ASSERT_TRUE(store) << store.error().message;
  EXPECT_GE((*store)->schema_version(), 3);
}

// The detail lines of EXPLAIN QUERY PLAN for `sql` on a migrated database, joined by newlines.
std::string QueryPlan(Database& db, const std::string& sql) {
  auto stmt = db.Prepare("EXPLAIN QUERY PLAN " + sql);
  EXPECT_TRUE(stmt) << stmt.error().message;
  std::string plan;
  while (stmt) {
    auto row = stmt->Step();
    EXPECT_TRUE(row) << row.error().message;
    if (!row || !*row) break;
    plan += stmt->ColumnText(3) + "\n";
  }
  return plan;
}

TEST(DeviceTable, HotAndPagedQueriesUseAnIndex) {
  ::vigil::testing::TempDir dir;
  auto db = Database::Open(dir / "vigil.db", OpenMode::kReadWriteCreate);
  ASSERT_TRUE(db) << db.error().message;
  ASSERT_TRUE(Migrate(**db, 1));
  const std::string queries[] = {
      "SELECT data FROM telemetry_blocks WHERE series = 1 AND hour_start_unix_nanos >= 2 "
      "AND hour_start_unix_nanos < 3 ORDER BY hour_start_unix_nanos",
      "SELECT time_unix_nanos, value_bits FROM telemetry_recent WHERE series = 1 "
      "AND time_unix_nanos >= 2 AND time_unix_nanos < 3 ORDER BY time_unix_nanos, arrival",
      "SELECT series FROM device_metrics WHERE device_id = 'a' AND name = 'b'",
      "SELECT * FROM device_certificates WHERE revoked_unix != 0 ORDER BY revoked_unix, serial",
      "SELECT seq FROM device_events WHERE device_id = 'a' AND seq > 5 ORDER BY seq LIMIT 3",
      "SELECT start_unix_nanos FROM telemetry_rollups WHERE series = 1 "
      "AND start_unix_nanos >= 2 AND start_unix_nanos < 3 ORDER BY start_unix_nanos",
      "DELETE FROM telemetry_recent WHERE series = 1 AND time_unix_nanos < 2",
      "DELETE FROM telemetry_blocks WHERE hour_start_unix_nanos < 1",
      "DELETE FROM telemetry_rollups WHERE start_unix_nanos < 1"};

  for (const std::string& sql : queries) {
    const std::string plan = QueryPlan(**db, sql);

    EXPECT_NE(plan.find("USING"), std::string::npos) << sql << "\n" << plan;
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << sql << "\n" << plan;
  }
}

}  // namespace
}  // namespace vigil::store::sqlite
