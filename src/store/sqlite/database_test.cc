#include "store/sqlite/database.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "testing/fixtures.h"

namespace vigil::store::sqlite {
namespace {

using ::vigil::testing::TempDir;

std::unique_ptr<Database> OpenOrDie(const std::filesystem::path& path,
                                    OpenMode mode = OpenMode::kReadWriteCreate) {
  auto db = Database::Open(path, mode);
  EXPECT_TRUE(db) << db.error().message;
  return db ? std::move(*db) : nullptr;
}

TEST(Database, BindsAndReadsBackEveryColumnType) {
  TempDir dir;
  auto db = OpenOrDie(dir / "t.db");
  ASSERT_TRUE(db->Exec("CREATE TABLE t (i INTEGER, s TEXT, b BLOB, e BLOB, n BLOB)"));
  const std::vector<std::uint8_t> blob = {0, 1, 2, 255};

  auto insert = db->Prepare("INSERT INTO t VALUES (?, ?, ?, ?, ?)");
  ASSERT_TRUE(insert) << insert.error().message;
  insert->BindInt64(1, -42);
  insert->BindText(2, std::string_view("h\0llo", 5));
  insert->BindBlob(3, blob);
  insert->BindBlob(4, {});
  insert->BindNull(5);
  ASSERT_TRUE(insert->Run());
  auto select = db->Prepare("SELECT i, s, b, e, n, typeof(e) FROM t");
  ASSERT_TRUE(select);
  auto row = select->Step();

  ASSERT_TRUE(row && *row);
  EXPECT_EQ(select->ColumnInt64(0), -42);
  EXPECT_EQ(select->ColumnText(1), std::string_view("h\0llo", 5));
  EXPECT_EQ(select->ColumnBlob(2), blob);
  EXPECT_TRUE(select->ColumnBlob(3).empty());
  EXPECT_FALSE(select->ColumnIsNull(3));  // An empty blob is not NULL.
  EXPECT_TRUE(select->ColumnIsNull(4));
  EXPECT_EQ(select->ColumnText(5), "blob");
}

TEST(Database, SameStatementCanBeLeasedTwiceAtOnce) {
  TempDir dir;
  auto db = OpenOrDie(dir / "t.db");
  ASSERT_TRUE(db->Exec("CREATE TABLE t (i INTEGER); INSERT INTO t VALUES (1), (2)"));
  constexpr std::string_view kSql = "SELECT i FROM t ORDER BY i";

  auto outer = db->Prepare(kSql);
  ASSERT_TRUE(outer);
  ASSERT_TRUE(*outer->Step());
  auto inner = db->Prepare(kSql);
  ASSERT_TRUE(inner);
  ASSERT_TRUE(*inner->Step());

  EXPECT_EQ(outer->ColumnInt64(0), 1);
  EXPECT_EQ(inner->ColumnInt64(0), 1);
  ASSERT_TRUE(*outer->Step());
  EXPECT_EQ(outer->ColumnInt64(0), 2);
}

TEST(Database, ReturnedLeaseIsResetForTheNextUser) {
  TempDir dir;
  auto db = OpenOrDie(dir / "t.db");
  ASSERT_TRUE(db->Exec("CREATE TABLE t (i INTEGER); INSERT INTO t VALUES (1), (2)"));
  {
    auto first = db->Prepare("SELECT i FROM t ORDER BY i");
    ASSERT_TRUE(*first->Step());
  }

  auto again = db->Prepare("SELECT i FROM t ORDER BY i");
  ASSERT_TRUE(*again->Step());

  EXPECT_EQ(again->ColumnInt64(0), 1);
  EXPECT_FALSE(db->in_transaction());
}

TEST(Database, PrepareRefusesMoreThanOneStatement) {
  TempDir dir;
  auto db = OpenOrDie(dir / "t.db");

  auto stmt = db->Prepare("SELECT 1; SELECT 2");

  ASSERT_FALSE(stmt);
  EXPECT_EQ(stmt.error().code, ErrorCode::kInternal);
}

TEST(Database, UniqueViolationIsAlreadyExists) {
  TempDir dir;
  auto db = OpenOrDie(dir / "t.db");
  ASSERT_TRUE(db->Exec("CREATE TABLE t (k INTEGER PRIMARY KEY); INSERT INTO t VALUES (7)"));

  auto status = db->Exec("INSERT INTO t VALUES (7)");

  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kAlreadyExists) << status.error().message;
}

TEST(Database, FileOfRandomBytesIsDataLossWithClearMessage) {
  TempDir dir;
  const auto path = dir / "random.db";
  {
    std::mt19937 rng(1234);
    std::ofstream out(path, std::ios::binary);
    for (int i = 0; i < 8192; ++i) out.put(static_cast<char>(rng() & 0xff));
  }
  auto db = OpenOrDie(path);

  auto count = db->QueryInt64("SELECT count(*) FROM sqlite_master");

  ASSERT_FALSE(count);
  EXPECT_EQ(count.error().code, ErrorCode::kDataLoss);
  EXPECT_NE(count.error().message.find("is not a Vigil database or is corrupt"), std::string::npos)
      << count.error().message;
}

TEST(Database, FullDatabaseIsResourceExhausted) {
  TempDir dir;
  auto db = OpenOrDie(dir / "t.db");
  ASSERT_TRUE(db->Exec("CREATE TABLE t (b BLOB)"));
  ASSERT_TRUE(db->QueryInt64("PRAGMA max_page_count = 8"));

  auto status = db->Exec("INSERT INTO t VALUES (zeroblob(100000))");

  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kResourceExhausted);
  EXPECT_NE(status.error().message.find("disk full"), std::string::npos) << status.error().message;
}

TEST(Database, LockHeldByAnotherConnectionIsUnavailable) {
  TempDir dir;
  auto first = OpenOrDie(dir / "t.db");
  auto second = OpenOrDie(dir / "t.db");
  ASSERT_TRUE(first->Exec("CREATE TABLE t (i INTEGER)"));
  ASSERT_TRUE(first->Exec("BEGIN IMMEDIATE"));

  auto status = second->Exec("BEGIN IMMEDIATE");

  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kUnavailable) << status.error().message;
}

TEST(Database, ReadOnlyConnectionRefusesWrites) {
  TempDir dir;
  {
    auto db = OpenOrDie(dir / "t.db");
    ASSERT_TRUE(db->Exec("CREATE TABLE t (i INTEGER)"));
  }
  auto reader = OpenOrDie(dir / "t.db", OpenMode::kReadOnly);

  auto status = reader->Exec("INSERT INTO t VALUES (1)");

  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kFailedPrecondition) << status.error().message;
}

TEST(Database, ReadOnlyOpenOfMissingFileFails) {
  TempDir dir;

  auto db = Database::Open(dir / "missing.db", OpenMode::kReadOnly);

  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace vigil::store::sqlite
