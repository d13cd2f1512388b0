#include "store/sqlite/migrations.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "testing/fixtures.h"

namespace vigil::store::sqlite {
namespace {

using ::vigil::testing::ReadFileOrEmpty;
using ::vigil::testing::TempDir;

constexpr std::int64_t kNow = 1700000000;

std::unique_ptr<Database> OpenOrDie(const std::filesystem::path& path) {
  auto db = Database::Open(path, OpenMode::kReadWriteCreate);
  EXPECT_TRUE(db) << db.error().message;
  return db ? std::move(*db) : nullptr;
}

std::int64_t QueryOrDie(Database& db, std::string_view sql) {
  auto value = db.QueryInt64(sql);
  EXPECT_TRUE(value) << value.error().message;
  return value && *value ? **value : -1;
}

bool HasTable(Database& db, std::string_view name) {
  return QueryOrDie(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '" +
                            std::string(name) + "'") == 1;
}

TEST(Migrate, NewDatabaseGetsEveryTableAtTheLatestVersion) {
  TempDir dir;
  auto db = OpenOrDie(dir / "vigil.db");

  auto version = Migrate(*db, kNow);

  ASSERT_TRUE(version) << version.error().message;
  EXPECT_EQ(*version, LatestSchemaVersion());
  for (const char* table :
       {"schema_version", "key_ring", "secrets", "audit_log", "audit_checkpoints", "users",
        "recovery_codes", "api_tokens", "devices", "enrollment_tokens", "device_certificates",
        "device_events", "device_metrics", "telemetry_recent", "telemetry_blocks",
        "telemetry_rollups", "observed_devices", "sensor_findings", "flow_history"}) {
    EXPECT_TRUE(HasTable(*db, table)) << table;
  }
  EXPECT_EQ(QueryOrDie(*db, "SELECT max(version) FROM schema_version"), LatestSchemaVersion());
  EXPECT_EQ(QueryOrDie(*db, "SELECT applied_at FROM schema_version WHERE version = 1"), kNow);
  EXPECT_EQ(QueryOrDie(*db, "PRAGMA application_id"), kApplicationId);
}

TEST(Migrate, VersionOneDatabaseGetsTheIdentityTablesAndKeepsItsRows) {
  TempDir dir;
  auto db = OpenOrDie(dir / "vigil.db");
  ASSERT_TRUE(Migrate(*db, kNow, Migrations().first(1)));
  ASSERT_TRUE(db->Exec("INSERT INTO key_ring VALUES (1, x'00', 5)"));

  auto version = Migrate(*db, kNow + 1);

  ASSERT_TRUE(version) << version.error().message;
  EXPECT_EQ(*version, LatestSchemaVersion());
  EXPECT_EQ(QueryOrDie(*db, "SELECT count(*) FROM key_ring"), 1);
  EXPECT_EQ(QueryOrDie(*db, "SELECT applied_at FROM schema_version WHERE version = 2"), kNow + 1);
  for (const char* table : {"users", "recovery_codes", "api_tokens"}) {
    EXPECT_TRUE(HasTable(*db, table)) << table;
  }
}

TEST(Migrate, VersionTwoDatabaseGetsTheDeviceTablesAndKeepsItsUsers) {
  TempDir dir;
  auto db = OpenOrDie(dir / "vigil.db");
  ASSERT_TRUE(Migrate(*db, kNow, Migrations().first(2)));
  ASSERT_TRUE(
      db->Exec("INSERT INTO users VALUES ('u1', 'alice', 'admin', 'h', 0, 0, 0, 0, 0, 0, "
               "0, 0, 0, 0)"));

  auto version = Migrate(*db, kNow + 1);

  ASSERT_TRUE(version) << version.error().message;
  EXPECT_EQ(*version, LatestSchemaVersion());
  EXPECT_EQ(QueryOrDie(*db, "SELECT count(*) FROM users"), 1);
  EXPECT_EQ(QueryOrDie(*db, "SELECT applied_at FROM schema_version WHERE version = 3"), kNow + 1);
  for (const char* table : {"devices", "telemetry_recent", "telemetry_blocks"}) {
    EXPECT_TRUE(HasTable(*db, table)) << table;
  }
}

TEST(Migrate, AuditLogHasNoTriggersSoTamperTestsCanEditRows) {
  TempDir dir;
  auto db = OpenOrDie(dir / "vigil.db");
  ASSERT_TRUE(Migrate(*db, kNow));

  EXPECT_EQ(QueryOrDie(*db, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"), 0);
}

TEST(Migrate, ReopeningKeepsDataAndAppliesNothingTwice) {
  TempDir dir;
  {
    auto db = OpenOrDie(dir / "vigil.db");
    ASSERT_TRUE(Migrate(*db, kNow));
    ASSERT_TRUE(db->Exec("INSERT INTO key_ring VALUES (1, x'00', 5)"));
  }
  auto db = OpenOrDie(dir / "vigil.db");

  auto version = Migrate(*db, kNow + 100);

  ASSERT_TRUE(version) << version.error().message;
  EXPECT_EQ(*version, LatestSchemaVersion());
  EXPECT_EQ(QueryOrDie(*db, "SELECT count(*) FROM key_ring"), 1);
  EXPECT_EQ(QueryOrDie(*db, "SELECT count(*) FROM schema_version"), LatestSchemaVersion());
  EXPECT_EQ(QueryOrDie(*db, "SELECT max(applied_at) FROM schema_version"), kNow);
}

TEST(Migrate, NewerSchemaVersionIsFailedPrecondition) {
  TempDir dir;
  auto db = OpenOrDie(dir / "vigil.db");
  ASSERT_TRUE(Migrate(*db, kNow));
  ASSERT_TRUE(db->Exec("INSERT INTO schema_version VALUES (" +
                       std::to_string(LatestSchemaVersion() + 1) + ", 0)"));

  auto version = Migrate(*db, kNow);

  ASSERT_FALSE(version);
  EXPECT_EQ(version.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(version.error().message.find("newer"), std::string::npos) << version.error().message;
}

TEST(Migrate, ForeignDatabaseIsRefusedAndLeftUnchanged) {
  TempDir dir;
  const auto path = dir / "other.db";
  {
    auto db = OpenOrDie(path);
    ASSERT_TRUE(
        db->Exec("CREATE TABLE patients (mrn TEXT, name TEXT);"
                 "INSERT INTO patients VALUES ('123', 'Doe')"));
  }
  const std::string before = ReadFileOrEmpty(path);
  auto db = OpenOrDie(path);

  auto version = Migrate(*db, kNow);
  db.reset();

  ASSERT_FALSE(version);
  EXPECT_EQ(version.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(version.error().message.find("not a Vigil database"), std::string::npos)
      << version.error().message;
  EXPECT_EQ(ReadFileOrEmpty(path), before);
  EXPECT_FALSE(std::filesystem::exists(dir / "other.db-journal"));
}

TEST(Migrate, ForeignApplicationIdIsRefused) {
  TempDir dir;
  auto db = OpenOrDie(dir / "other.db");
  ASSERT_TRUE(db->Exec("PRAGMA application_id = 42"));

  auto version = Migrate(*db, kNow);

  ASSERT_FALSE(version);
  EXPECT_EQ(version.error().code, ErrorCode::kFailedPrecondition);
}

TEST(Migrate, FileOfRandomBytesIsDataLossAndLeftUnchanged) {
  TempDir dir;
  const auto path = dir / "random.db";
  {
    std::mt19937 rng(42);
    std::ofstream out(path, std::ios::binary);
    for (int i = 0; i < 16384; ++i) out.put(static_cast<char>(rng() & 0xff));
  }
  const std::string before = ReadFileOrEmpty(path);
  auto db = OpenOrDie(path);

  auto version = Migrate(*db, kNow);
  db.reset();

  ASSERT_FALSE(version);
  EXPECT_EQ(version.error().code, ErrorCode::kDataLoss);
  EXPECT_NE(version.error().message.find("is not a Vigil database or is corrupt"),
            std::string::npos)
      << version.error().message;
  EXPECT_EQ(ReadFileOrEmpty(path), before);
}

TEST(Migrate, EmptyFileIsANewDatabase) {
  TempDir dir;
  const auto path = dir / "empty.db";
  std::ofstream(path).close();
  ASSERT_EQ(std::filesystem::file_size(path), 0u);
  auto db = OpenOrDie(path);

  auto version = Migrate(*db, kNow);

  ASSERT_TRUE(version) << version.error().message;
  EXPECT_EQ(*version, LatestSchemaVersion());
}

TEST(Migrate, FailingMigrationLeavesThePreviousVersionWhole) {
  TempDir dir;
  auto db = OpenOrDie(dir / "vigil.db");
  const Migration migrations[] = {
      Migrations()[0],
      {.version = 2, .sql = "CREATE TABLE extra (x INTEGER); INSERT INTO missing VALUES (1);"},
  };

  auto version = Migrate(*db, kNow, migrations);

  ASSERT_FALSE(version);
  EXPECT_NE(version.error().message.find("migration 2"), std::string::npos)
      << version.error().message;
  EXPECT_EQ(QueryOrDie(*db, "SELECT max(version) FROM schema_version"), 1);
  EXPECT_FALSE(HasTable(*db, "extra"));
  EXPECT_FALSE(db->in_transaction());
}

TEST(Migrate, AppliesOnlyTheMigrationsNewerThanTheDatabase) {
  TempDir dir;
  auto db = OpenOrDie(dir / "vigil.db");
  ASSERT_TRUE(Migrate(*db, kNow, Migrations().first(1)));
  ASSERT_TRUE(db->Exec("INSERT INTO key_ring VALUES (1, x'00', 5)"));
  const Migration migrations[] = {
      Migrations()[0],
      {.version = 2, .sql = "ALTER TABLE key_ring ADD COLUMN note TEXT NOT NULL DEFAULT 'n'"},
  };

  auto version = Migrate(*db, kNow + 1, migrations);

  ASSERT_TRUE(version) << version.error().message;
  EXPECT_EQ(*version, 2);
  EXPECT_EQ(QueryOrDie(*db, "SELECT count(*) FROM key_ring WHERE note = 'n'"), 1);
  EXPECT_EQ(QueryOrDie(*db, "SELECT applied_at FROM schema_version WHERE version = 2"), kNow + 1);
}

}  // namespace
}  // namespace vigil::store::sqlite
