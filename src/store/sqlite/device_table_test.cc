#include "store/sqlite/device_table.h"

#include <gtest/gtest.h>

#include "store/sqlite/sqlite_store.h"
#include "testing/fixtures.h"

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
