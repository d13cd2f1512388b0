// The SQLite store's writer: group commit, per-write outcomes in a shared transaction, the
// synchronous level per batch, asynchronous writes, and closing with writes queued.

#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <thread>
#include <vector>

#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_test_util.h"
#include "store/store_conformance_test.h"
#include "testing/fixtures.h"

namespace vigil::store::sqlite {
namespace {

namespace fs = std::filesystem;
using test_util::HoldWriterUntilQueued;
using test_util::OpenOrDie;
using test_util::WaitFor;
using ::vigil::store::testing::AppendRow;
using ::vigil::store::testing::AuditCount;
using ::vigil::store::testing::MakeAuditRow;
using ::vigil::testing::TempDir;

TEST(SqliteStore, QueuedWritesShareOneCommit) {
  TempDir dir;
  auto store = OpenOrDie(dir / "vigil.db");
  constexpr int kQueued = 20;

  std::thread holder = HoldWriterUntilQueued(*store, kQueued);
  std::vector<std::thread> writers;
  for (int i = 0; i < kQueued; ++i) {
    writers.emplace_back([&, i] { EXPECT_TRUE(AppendRow(*store, i + 2)); });
  }
  holder.join();
  for (auto& writer : writers) writer.join();

  const Stats stats = store->stats();
  EXPECT_EQ(stats.writes, kQueued + 1);
  EXPECT_EQ(stats.commits, 2);  // The holder's, then one for all the queued writes.
  EXPECT_LT(stats.commits, stats.writes);
  EXPECT_EQ(AuditCount(*store), kQueued + 1);
}

TEST(SqliteStore, QueuedAsyncWritesShareOneCommitAndAnswerOnTheWriter) {
  TempDir dir;
  auto store = OpenOrDie(dir / "vigil.db");
  constexpr int kQueued = 20;
  std::thread holder = HoldWriterUntilQueued(*store, kQueued);
  std::atomic<int> ok{0};
  std::atomic<int> on_caller{0};
  const auto caller = std::this_thread::get_id();

  for (int i = 0; i < kQueued; ++i) {
    store->WriteAsync([i](Transaction& tx) { return tx.audit().Append(MakeAuditRow(i + 2)); },
                      Durability::kFull,
                      [&](Status status) {
                        if (std::this_thread::get_id() == caller) on_caller.fetch_add(1);
                        if (status) ok.fetch_add(1);
                      });
  }
  holder.join();
  ASSERT_TRUE(WaitFor([&] { return ok.load() == kQueued; }));

  EXPECT_EQ(on_caller.load(), 0);        // WriteAsync returned before any of them ran.
  EXPECT_EQ(store->stats().commits, 2);  // The holder's, then one for all the queued writes.
  EXPECT_EQ(AuditCount(*store), kQueued + 1);
}

TEST(SqliteStore, AsyncWriteToAFullQueueOrAClosedStoreIsUnavailableAtOnce) {
  TempDir dir;
  auto store = OpenOrDie(dir / "vigil.db", {.max_queued_writes = 2});
  std::thread holder = HoldWriterUntilQueued(*store, 2);
  std::atomic<int> answered{0};
  for (int i = 0; i < 2; ++i) {
    store->WriteAsync([i](Transaction& tx) { return tx.audit().Append(MakeAuditRow(i + 2)); },
                      Durability::kFull,
                      [&](Status status) {
                        EXPECT_TRUE(status);
                        answered.fetch_add(1);
                      });
  }
  std::optional<Status> refused;
  store->WriteAsync([](Transaction&) { return OkStatus(); }, Durability::kFull,
                    [&](Status status) { refused = std::move(status); });

  ASSERT_TRUE(refused.has_value());  // Answered before WriteAsync returned, on this thread.
  ASSERT_FALSE(*refused);
  EXPECT_EQ(refused->error().code, ErrorCode::kUnavailable);
  EXPECT_NE(refused->error().message.find("busy"), std::string::npos);
  holder.join();
  ASSERT_TRUE(WaitFor([&] { return answered.load() == 2; }));
  ASSERT_TRUE(store->Close());
  std::optional<Status> late;
  store->WriteAsync([](Transaction&) { return OkStatus(); }, Durability::kFull,
                    [&](Status status) { late = std::move(status); });
  ASSERT_TRUE(late.has_value());
  ASSERT_FALSE(*late);
  EXPECT_EQ(late->error().code, ErrorCode::kUnavailable);
}

TEST(SqliteStore, FailedWriteInABatchKeepsTheOthers) {
  TempDir dir;
  auto store = OpenOrDie(dir / "vigil.db");
  constexpr int kQueued = 10;
  std::vector<Status> results(kQueued);

  std::thread holder = HoldWriterUntilQueued(*store, kQueued);
  std::vector<std::thread> writers;
  for (int i = 0; i < kQueued; ++i) {
    writers.emplace_back([&, i] {
      const std::int64_t seq = i + 2;
      results[static_cast<std::size_t>(i)] = store->Write([&](Transaction& tx) -> Status {
        VIGIL_RETURN_IF_ERROR(tx.audit().Append(MakeAuditRow(seq)));
        if (i == 3) return tx.audit().Append(MakeAuditRow(1));  // Duplicate: kAlreadyExists.
        if (i % 2 == 1) return MakeError(ErrorCode::kInvalidArgument, "rejected");
        return OkStatus();
      });
    });
  }
  holder.join();
  for (auto& writer : writers) writer.join();

  EXPECT_EQ(store->stats().commits, 2);
  for (int i = 0; i < kQueued; ++i) {
    const Status& result = results[static_cast<std::size_t>(i)];
    if (i == 3) {
      ASSERT_FALSE(result);
      EXPECT_EQ(result.error().code, ErrorCode::kAlreadyExists);
    } else if (i % 2 == 1) {
      ASSERT_FALSE(result);
      EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
    } else {
      EXPECT_TRUE(result) << result.error().message;
    }
  }
  std::vector<std::int64_t> seqs;
  ASSERT_TRUE(store->Read([&](ReadTransaction& tx) {
    return tx.audit().Scan(1, -1, [&](const AuditRow& row) {
      seqs.push_back(row.seq);
      return true;
    });
  }));
  EXPECT_EQ(seqs, (std::vector<std::int64_t>{1, 2, 4, 6, 8, 10}));
  EXPECT_EQ(store->stats().failed_writes, kQueued / 2);
}

TEST(SqliteStore, OnlyBatchesWithAFullWriteCommitWithSynchronousFull) {
  TempDir dir;
  auto store = OpenOrDie(dir / "vigil.db");

  ASSERT_TRUE(AppendRow(*store, 1, Durability::kNormal));
  const Stats after_normal = store->stats();
  ASSERT_TRUE(AppendRow(*store, 2, Durability::kFull));
  const Stats after_full = store->stats();

  EXPECT_EQ(after_normal.commits, 1);
  EXPECT_EQ(after_normal.full_commits, 0);
  EXPECT_EQ(after_full.commits, 2);
  EXPECT_EQ(after_full.full_commits, 1);
}

TEST(SqliteStore, CloseRunsQueuedWritesThenRefusesNewOnes) {
  TempDir dir;
  auto store = OpenOrDie(dir / "vigil.db");
  constexpr int kQueued = 5;
  std::thread holder = HoldWriterUntilQueued(*store, kQueued);
  std::vector<std::thread> writers;
  for (int i = 0; i < kQueued; ++i) {
    writers.emplace_back([&, i] { EXPECT_TRUE(AppendRow(*store, i + 2)); });
  }
  ASSERT_TRUE(WaitFor([&] { return store->stats().queued >= kQueued; }));

  auto closed = store->Close();
  holder.join();
  for (auto& writer : writers) writer.join();

  ASSERT_TRUE(closed) << closed.error().message;
  auto late_write = AppendRow(*store, 100);
  ASSERT_FALSE(late_write);
  EXPECT_EQ(late_write.error().code, ErrorCode::kUnavailable);
  auto late_read = store->Read([](ReadTransaction&) { return OkStatus(); });
  ASSERT_FALSE(late_read);
  EXPECT_EQ(late_read.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(store->Close());
  EXPECT_FALSE(fs::exists(dir / "vigil.db-wal"));
  EXPECT_EQ(AuditCount(*OpenOrDie(dir / "vigil.db")), kQueued + 1);
}

}  // namespace
}  // namespace vigil::store::sqlite
