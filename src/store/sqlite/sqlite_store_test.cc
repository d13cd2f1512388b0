#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <random>
#include <thread>

#include "store/identity_conformance_test.h"
#include "store/sqlite/database.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_store_test_util.h"
#include "store/store_concurrency_conformance_test.h"
#include "store/store_conformance_test.h"
#include "testing/fixtures.h"

namespace vigil::store::testing {

// Outside any anonymous namespace: its name is part of the test names ctest shows.
struct SqliteHarness {
  SqliteHarness() {
    auto opened = sqlite::SqliteStore::Open(dir_ / "vigil.db");
    EXPECT_TRUE(opened) << opened.error().message;
    if (opened) store_ = std::move(*opened);
  }
  Store& store() { return *store_; }
  crypto::DekStore& dek_store() { return store_->dek_store(); }
  void AttachKeyRing(const crypto::KeyRing& ring) { store_->AttachKeyRing(ring); }

  ::vigil::testing::TempDir dir_;
  std::unique_ptr<sqlite::SqliteStore> store_;
};

INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, StoreConformance, SqliteHarness);
INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, StoreConcurrencyConformance, SqliteHarness);
INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, IdentityConformance, SqliteHarness);

}  // namespace vigil::store::testing

namespace vigil::store::sqlite {
namespace {

namespace fs = std::filesystem;
using test_util::OpenOrDie;
using test_util::WaitFor;
using ::vigil::store::testing::AddToken;
using ::vigil::store::testing::AddUser;
using ::vigil::store::testing::AppendRow;
using ::vigil::store::testing::AuditCount;
using ::vigil::store::testing::Bytes;
using ::vigil::store::testing::GetToken;
using ::vigil::store::testing::GetUser;
using ::vigil::store::testing::kTestNow;
using ::vigil::store::testing::MakeAuditRow;
using ::vigil::store::testing::MakeToken;
using ::vigil::store::testing::MakeUser;
using ::vigil::store::testing::RecoveryCodes;
using ::vigil::store::testing::ReplaceCodes;
using ::vigil::store::testing::TestHash;
using ::vigil::store::testing::TestKek;
using ::vigil::testing::ReadFileOrEmpty;
using ::vigil::testing::TempDir;

// Runs raw SQL on a closed store's file, as an attacker or another program would.
void RawSql(const fs::path& path, std::string_view sql) {
  auto db = Database::Open(path, OpenMode::kReadWriteCreate);
  ASSERT_TRUE(db) << db.error().message;
  auto done = (*db)->Exec(sql);
  ASSERT_TRUE(done) << done.error().message;
}

std::unique_ptr<crypto::KeyRing> OpenRing(SqliteStore& store, std::uint8_t kek_fill = 0x4b) {
  auto ring = crypto::KeyRing::Open(TestKek(kek_fill), store.dek_store(), kTestNow);
  EXPECT_TRUE(ring) << ring.error().message;
  if (!ring) return nullptr;
  store.AttachKeyRing(**ring);
  return std::move(*ring);
}

Result<std::string> GetSecret(const Store& store, std::string_view name) {
  std::string value;
  const Status status = store.Read([&](ReadTransaction& tx) -> Status {
    auto secret = tx.secrets().Get(name);
    if (!secret) return tl::unexpected(secret.error());
    value = std::string(secret->view());
    return OkStatus();
  });
  if (!status) return tl::unexpected(status.error());
  return value;
}

Status PutSecret(Store& store, std::string_view name, std::string_view value) {
  return store.Write([&](Transaction& tx) { return tx.secrets().Put(name, Bytes(value)); });
}

TEST(SqliteStore, NewDatabaseIsPrivateInWalModeAtTheLatestSchema) {
  TempDir dir;
  auto store = OpenOrDie(dir / "vigil.db");

  struct stat st {};
  ASSERT_EQ(::stat((dir / "vigil.db").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(store->schema_version(), LatestSchemaVersion());
  auto raw = Database::Open(dir / "vigil.db", OpenMode::kReadOnly);
  ASSERT_TRUE(raw);
  auto mode = (*raw)->Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode && *mode->Step());
  EXPECT_EQ(mode->ColumnText(0), "wal");
}

TEST(SqliteStore, InvalidOptionsAreRefused) {
  TempDir dir;

  auto store = SqliteStore::Open(dir / "vigil.db", Options{.readers = 0});

  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kInvalidArgument);
}

TEST(SqliteStore, MissingFolderIsNotFound) {
  TempDir dir;

  auto store = SqliteStore::Open(dir / "no" / "such" / "vigil.db");

  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kNotFound) << store.error().message;
}

TEST(SqliteStore, ReopenKeepsAuditRowsKeysAndSecrets) {
  TempDir dir;
  {
    auto store = OpenOrDie(dir / "vigil.db");
    auto ring = OpenRing(*store);
    ASSERT_TRUE(ring->Rotate(kTestNow + 1));
    ASSERT_TRUE(AppendRow(*store, 1));
    ASSERT_TRUE(PutSecret(*store, "smtp", "hunter2"));
    ASSERT_TRUE(store->Close());
  }

  auto store = OpenOrDie(dir / "vigil.db");
  auto ring = OpenRing(*store);

  EXPECT_EQ(ring->versions(), (std::vector<std::uint32_t>{1, 2}));
  EXPECT_EQ(AuditCount(*store), 1);
  auto secret = GetSecret(*store, "smtp");
  ASSERT_TRUE(secret) << secret.error().message;
  EXPECT_EQ(*secret, "hunter2");
}

TEST(SqliteStore, ReopenKeepsIdentityRowsWithScopesSpaceSeparated) {
  TempDir dir;
  const UserRecord alice = MakeUser("alice", 1);
  TokenRecord token = MakeToken(1, alice.id);
  token.scopes = {"users.read", "audit.read"};
  {
    auto store = OpenOrDie(dir / "vigil.db");
    ASSERT_TRUE(AddUser(*store, alice));
    ASSERT_TRUE(ReplaceCodes(*store, alice.id, {TestHash(7)}));
    ASSERT_TRUE(AddToken(*store, token));
    ASSERT_TRUE(store->Close());
  }
  {
    auto raw = Database::Open(dir / "vigil.db", OpenMode::kReadOnly);
    ASSERT_TRUE(raw);
    auto scopes = (*raw)->Prepare("SELECT scopes FROM api_tokens");
    ASSERT_TRUE(scopes && *scopes->Step());
    EXPECT_EQ(scopes->ColumnText(0), "audit.read users.read");
  }

  auto store = OpenOrDie(dir / "vigil.db");

  auto user = GetUser(*store, alice.id);
  auto codes = RecoveryCodes(*store, alice.id);
  auto got = GetToken(*store, token.id);
  ASSERT_TRUE(user && codes && got);
  EXPECT_EQ(*user, alice);
  ASSERT_EQ(codes->size(), 1u);
  EXPECT_EQ((*codes)[0].code_hash, TestHash(7));
  EXPECT_EQ(got->scopes, (std::vector<std::string>{"audit.read", "users.read"}));
}

TEST(SqliteStore, KeyRingWithAnotherKekIsDataLoss) {
  TempDir dir;
  {
    auto store = OpenOrDie(dir / "vigil.db");
    ASSERT_NE(OpenRing(*store, 0x01), nullptr);
  }
  auto store = OpenOrDie(dir / "vigil.db");

  auto ring = crypto::KeyRing::Open(TestKek(0x02), store->dek_store(), kTestNow);

  ASSERT_FALSE(ring);
  EXPECT_EQ(ring.error().code, ErrorCode::kDataLoss);
}

TEST(SqliteStore, ForeignDatabaseIsRefusedAndLeftUntouched) {
  TempDir dir;
  const auto path = dir / "other.db";
  RawSql(path,
         "CREATE TABLE lab_results (id INTEGER PRIMARY KEY, value TEXT);"
         "INSERT INTO lab_results (value) VALUES ('K 4.1 mmol/L')");
  const std::string before = ReadFileOrEmpty(path);
  ASSERT_FALSE(before.empty());

  auto store = SqliteStore::Open(path);

  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(store.error().message.find("not a Vigil database"), std::string::npos)
      << store.error().message;
  EXPECT_EQ(ReadFileOrEmpty(path), before);
  EXPECT_FALSE(fs::exists(dir / "other.db-wal"));
}

TEST(SqliteStore, FileOfRandomBytesIsDataLossAndLeftUntouched) {
  TempDir dir;
  const auto path = dir / "random.db";
  {
    std::mt19937 rng(7);
    std::ofstream out(path, std::ios::binary);
    for (int i = 0; i < 10000; ++i) out.put(static_cast<char>(rng() & 0xff));
  }
  const std::string before = ReadFileOrEmpty(path);

  auto store = SqliteStore::Open(path);

  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kDataLoss);
  EXPECT_NE(store.error().message.find("is not a Vigil database or is corrupt"), std::string::npos)
      << store.error().message;
  EXPECT_EQ(ReadFileOrEmpty(path), before);
}

TEST(SqliteStore, EmptyFileOpensAsANewStore) {
  TempDir dir;
  std::ofstream(dir / "vigil.db").close();

  auto store = OpenOrDie(dir / "vigil.db");

  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(AppendRow(*store, 1));
  EXPECT_EQ(AuditCount(*store), 1);
}

TEST(SqliteStore, NewerSchemaIsFailedPrecondition) {
  TempDir dir;
  OpenOrDie(dir / "vigil.db").reset();
  RawSql(dir / "vigil.db", "INSERT INTO schema_version VALUES (" +
                               std::to_string(LatestSchemaVersion() + 1) + ", 0)");

  auto store = SqliteStore::Open(dir / "vigil.db");

  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kFailedPrecondition) << store.error().message;
}

TEST(SqliteStore, ReadsRunInParallel) {
  TempDir dir;
  auto store = OpenOrDie(dir / "vigil.db", Options{.readers = 4});
  std::atomic<int> inside{0};
  std::atomic<int> overlapped{0};

  std::vector<std::thread> readers;
  for (int i = 0; i < 4; ++i) {
    readers.emplace_back([&] {
      EXPECT_TRUE(store->Read([&](ReadTransaction& tx) -> Status {
        inside.fetch_add(1);
        if (WaitFor([&] { return inside.load() == 4; })) overlapped.fetch_add(1);
        return tx.audit().Count().map([](std::int64_t) {});
      }));
    });
  }
  for (auto& reader : readers) reader.join();

  EXPECT_EQ(overlapped.load(), 4);
}

TEST(SqliteStore, SecretIsSealedAtRestInTheDatabaseAndItsWal) {
  TempDir dir;
  const auto path = dir / "vigil.db";
  constexpr std::string_view kCanary = "S3cr3t-VIGIL-canary-5d1e8a0c";
  constexpr std::string_view kName = "integration.canary-name";
  auto store = OpenOrDie(path);
  auto ring = OpenRing(*store);
  ASSERT_TRUE(PutSecret(*store, kName, kCanary));

  // Before any checkpoint the row lives in the WAL; the name is stored in clear, which shows
  // the search below does look at the right bytes.
  const std::string db = ReadFileOrEmpty(path);
  const std::string wal = ReadFileOrEmpty(fs::path(path.string() + "-wal"));
  const std::string shm = ReadFileOrEmpty(fs::path(path.string() + "-shm"));
  ASSERT_TRUE(store->Close());
  const std::string closed = ReadFileOrEmpty(path);

  ASSERT_NE(wal.find(kName), std::string::npos);
  EXPECT_EQ(db.find(kCanary), std::string::npos);
  EXPECT_EQ(wal.find(kCanary), std::string::npos);
  EXPECT_EQ(shm.find(kCanary), std::string::npos);
  ASSERT_NE(closed.find(kName), std::string::npos);
  EXPECT_EQ(closed.find(kCanary), std::string::npos);
}

TEST(SqliteStore, SealedValueCopiedIntoAnotherRowDoesNotOpen) {
  TempDir dir;
  const auto path = dir / "vigil.db";
  {
    auto store = OpenOrDie(path);
    auto ring = OpenRing(*store);
    ASSERT_TRUE(PutSecret(*store, "low", "guest-password"));
    ASSERT_TRUE(PutSecret(*store, "high", "admin-password"));
  }
  RawSql(path,
         "UPDATE secrets SET value = (SELECT value FROM secrets WHERE name = 'high'), "
         "key_version = (SELECT key_version FROM secrets WHERE name = 'high') "
         "WHERE name = 'low'");
  auto store = OpenOrDie(path);
  auto ring = OpenRing(*store);

  auto moved = GetSecret(*store, "low");

  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().code, ErrorCode::kDataLoss) << moved.error().message;
  EXPECT_EQ(*GetSecret(*store, "high"), "admin-password");
}

TEST(SqliteStore, SealedValueMovedToANewRowWithTheOldNameDoesNotOpen) {
  TempDir dir;
  const auto path = dir / "vigil.db";
  {
    auto store = OpenOrDie(path);
    auto ring = OpenRing(*store);
    ASSERT_TRUE(PutSecret(*store, "token", "value"));
  }
  // Re-insert the same name and sealed value under a new row id.
  RawSql(path,
         "CREATE TEMP TABLE saved AS SELECT * FROM secrets;"
         "DELETE FROM secrets;"
         "INSERT INTO secrets (name, value, key_version) SELECT name, value, key_version "
         "FROM saved");
  auto store = OpenOrDie(path);
  auto ring = OpenRing(*store);

  auto moved = GetSecret(*store, "token");

  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().code, ErrorCode::kDataLoss);
}

TEST(SqliteStore, AlteredSealedValueIsDataLoss) {
  TempDir dir;
  const auto path = dir / "vigil.db";
  {
    auto store = OpenOrDie(path);
    auto ring = OpenRing(*store);
    ASSERT_TRUE(PutSecret(*store, "token", "value"));
  }
  // Flip the last byte (part of the GCM tag).
  RawSql(path,
         "UPDATE secrets SET value = substr(value, 1, length(value) - 1) || "
         "CASE WHEN substr(value, -1) = x'00' THEN x'01' ELSE x'00' END");
  auto store = OpenOrDie(path);
  auto ring = OpenRing(*store);

  auto altered = GetSecret(*store, "token");

  ASSERT_FALSE(altered);
  EXPECT_EQ(altered.error().code, ErrorCode::kDataLoss);
}

TEST(SqliteStore, AuditRowsEditedWithRawSqlAreReadBackAsStored) {
  TempDir dir;
  const auto path = dir / "vigil.db";
  {
    auto store = OpenOrDie(path);
    ASSERT_TRUE(AppendRow(*store, 1));
    ASSERT_TRUE(AppendRow(*store, 2));
  }
  RawSql(path,
         "UPDATE audit_log SET actor = 'mallory' WHERE seq = 1; "
         "DELETE FROM audit_log WHERE seq = 2");
  auto store = OpenOrDie(path);

  std::optional<AuditRow> last;
  ASSERT_TRUE(store->Read([&](ReadTransaction& tx) -> Status {
    return tx.audit().Scan(1, -1, [&](const AuditRow& row) {
      last = row;
      return true;
    });
  }));

  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->seq, 1);
  EXPECT_EQ(last->actor, "mallory");
}

TEST(SqliteStore, FullDiskIsResourceExhaustedAndEarlierCommitsSurvive) {
  TempDir dir;
  auto store = OpenOrDie(dir / "vigil.db", Options{.max_page_count = 64});
  const std::string details(3000, 'x');
  std::int64_t committed = 0;
  Status last;

  for (std::int64_t seq = 1; seq <= 1000; ++seq) {
    last = store->Write([&](Transaction& tx) {
      AuditRow row = MakeAuditRow(seq);
      row.details_json = details;
      return tx.audit().Append(row);
    });
    if (!last) break;
    committed = seq;
  }

  ASSERT_FALSE(last);
  EXPECT_EQ(last.error().code, ErrorCode::kResourceExhausted) << last.error().message;
  EXPECT_NE(last.error().message.find("disk full"), std::string::npos) << last.error().message;
  EXPECT_GT(committed, 0);
  EXPECT_EQ(AuditCount(*store), committed);
}

TEST(SqliteStore, BackupOpensWithTheSameData) {
  TempDir dir;
  auto store = OpenOrDie(dir / "vigil.db");
  auto ring = OpenRing(*store);
  for (std::int64_t seq = 1; seq <= 50; ++seq) ASSERT_TRUE(AppendRow(*store, seq));
  ASSERT_TRUE(PutSecret(*store, "smtp", "hunter2"));

  auto backup = store->Backup(dir / "backup.db");

  ASSERT_TRUE(backup) << backup.error().message;
  auto copy = OpenOrDie(dir / "backup.db");
  auto copy_ring = OpenRing(*copy);
  EXPECT_EQ(AuditCount(*copy), 50);
  EXPECT_EQ(*GetSecret(*copy, "smtp"), "hunter2");
  EXPECT_TRUE(AppendRow(*store, 51));  // The source goes on.
}

TEST(SqliteStore, BackupRefusesAnExistingFile) {
  TempDir dir;
  auto store = OpenOrDie(dir / "vigil.db");
  { std::ofstream(dir / "backup.db") << "keep me"; }

  auto backup = store->Backup(dir / "backup.db");

  ASSERT_FALSE(backup);
  EXPECT_EQ(backup.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(ReadFileOrEmpty(dir / "backup.db"), "keep me");
}

TEST(SqliteStore, BackupDuringWritesIsAConsistentPrefix) {
  TempDir dir;
  auto store = OpenOrDie(dir / "vigil.db");
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (std::int64_t seq = 1; !stop.load() && seq < 100000; ++seq) {
      ASSERT_TRUE(AppendRow(*store, seq, Durability::kNormal));
    }
  });
  ASSERT_TRUE(WaitFor([&] { return store->stats().commits >= 100; }));

  auto backup = store->Backup(dir / "backup.db");
  stop.store(true);
  writer.join();

  ASSERT_TRUE(backup) << backup.error().message;
  auto copy = OpenOrDie(dir / "backup.db");
  std::int64_t expected = 1;
  bool contiguous = true;
  ASSERT_TRUE(copy->Read([&](ReadTransaction& tx) {
    return tx.audit().Scan(1, -1, [&](const AuditRow& row) {
      contiguous = contiguous && row.seq == expected++;
      return true;
    });
  }));
  EXPECT_TRUE(contiguous);
  EXPECT_GE(expected - 1, 100);
}

}  // namespace
}  // namespace vigil::store::sqlite
