#include "audit/audit_log.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "audit/canonical.h"
#include "audit/verifier.h"
#include "crypto/random.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/fixtures.h"

namespace vigil::audit {
namespace {

// A real SQLite store with its key ring and an audit log, reopened at will, so that tests can
// tamper with the database file by raw SQL as an attacker with file access would.
class AuditFixture {
 public:
  explicit AuditFixture(std::int64_t interval = 5) : interval_(interval) {
    auto kek = crypto::RandomBytes(32);
    kek_ = crypto::SecretBytes(std::span<const std::uint8_t>(*kek));
    Reopen();
  }

  void Reopen() {
    log_.reset();
    store_.reset();
    ring_.reset();
    auto store = store::sqlite::SqliteStore::Open(dir_ / "vigil.db");
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    auto ring = crypto::KeyRing::Open(kek_.Clone(), store_->dek_store(), 1);
    ASSERT_TRUE(ring) << ring.error().message;
    ring_ = std::move(*ring);
    store_->AttachKeyRing(*ring_);
    log_ =
        std::make_unique<AuditLog>(*ring_, clock_, AuditOptions{.checkpoint_interval = interval_});
  }

  void AppendN(int n) {
    for (int i = 0; i < n; ++i) {
      const Event e{.actor = {ActorKind::kUser, "alice"},
                    .action = "device.update",
                    .target = "device:" + std::to_string(i),
                    .details = {{"field", "zone"}, {"value", i}}};
      auto st = store_->Write([&](store::Transaction& tx) -> Status {
        auto seq = log_->Append(tx, e);
        return seq ? OkStatus() : Status(tl::unexpected(seq.error()));
      });
      ASSERT_TRUE(st) << st.error().message;
      clock_.Advance(std::chrono::milliseconds(3));
    }
  }

  void Publish() {
    auto st = log_->PublishCheckpoints(*store_, file_);
    ASSERT_TRUE(st) << st.error().message;
  }

  VerifyReport Verify(VerifyRange range = {}) {
    auto r = audit::Verify(*store_, *log_, &file_, range);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : VerifyReport{};
  }

  // Runs raw SQL on the closed database file, as an attacker would.
  void Tamper(const std::string& sql) {
    ASSERT_TRUE(store_->Close());
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "vigil.db").c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    EXPECT_EQ(rc, SQLITE_OK) << (err != nullptr ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
    Reopen();
  }

  // Rewrites every row with plain SHA-256 hashes recomputed over the canonical encoding: what
  // an attacker without the key ring would do to hide an edit.
  void RecomputeWithPlainHashes() {
    std::vector<store::AuditRow> rows;
    ASSERT_TRUE(store_->Read([&](store::ReadTransaction& tx) -> Status {
      return tx.audit().Scan(1, -1, [&](const store::AuditRow& r) {
        rows.push_back(r);
        return true;
      });
    }));
    std::string sql = "BEGIN;";
    std::vector<std::uint8_t> prev(32, 0);
    std::vector<std::uint8_t> buf;
    for (auto& r : rows) {
      r.prev_hash = prev;
      if (r.seq == 3) r.details_json = R"({"field":"zone","value":"forged"})";
      EncodeEntry(r, buf);
      const auto h = crypto::Sha256(buf);
      r.hash.assign(h.begin(), h.end());
      sql += "UPDATE audit_log SET details='" + r.details_json + "', prev_hash=x'" +
             HexEncode(r.prev_hash) + "', hash=x'" + HexEncode(r.hash) +
             "' WHERE seq=" + std::to_string(r.seq) + ";";
      prev = r.hash;
    }
    sql += "COMMIT;";
    Tamper(sql);
  }

  store::sqlite::SqliteStore& store() { return *store_; }
  crypto::KeyRing& ring() { return *ring_; }
  AuditLog& log() { return *log_; }
  CheckpointFile& file() { return file_; }

 private:
  static std::string HexEncode(const std::vector<std::uint8_t>& b) {
    static constexpr char kD[] = "0123456789abcdef";
    std::string s;
    for (auto c : b) {
      s.push_back(kD[c >> 4]);
      s.push_back(kD[c & 15]);
    }
    return s;
  }

  testing::TempDir dir_;
  std::int64_t interval_;
  crypto::SecretBytes kek_;
  FakeClock clock_;
  CheckpointFile file_{dir_ / "audit-checkpoints.jsonl"};
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  std::unique_ptr<crypto::KeyRing> ring_;
  std::unique_ptr<AuditLog> log_;
};

TEST(AuditLog, IntactChainVerifies) {
  AuditFixture f;
  f.AppendN(12);
  f.Publish();

  const auto report = f.Verify();

  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.entries_checked, 12);
  EXPECT_EQ(report.last_seq, 12);
  EXPECT_EQ(report.checkpoints_checked, 3);  // Database checkpoints at 5 and 10, and the file's.
}

TEST(AuditLog, ChangedRowIsReportedAtThatEntry) {
  AuditFixture f;
  f.AppendN(12);
  f.Publish();

  f.Tamper("UPDATE audit_log SET actor='mallory' WHERE seq=7");
  const auto report = f.Verify();

  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.broken_seq, 7);
  EXPECT_NE(report.problem.find("altered"), std::string::npos) << report.problem;
}

TEST(AuditLog, DeletedRowIsReportedAsMissing) {
  AuditFixture f;
  f.AppendN(12);
  f.Publish();

  f.Tamper("DELETE FROM audit_log WHERE seq=4");
  const auto report = f.Verify();

  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.broken_seq, 4);
  EXPECT_NE(report.problem.find("missing"), std::string::npos) << report.problem;
}

TEST(AuditLog, ReorderedRowsAreReported) {
  AuditFixture f;
  f.AppendN(12);
  f.Publish();

  // Swap entries 8 and 9 entirely, sequence numbers included.
  f.Tamper(
      "UPDATE audit_log SET seq=-8 WHERE seq=8; UPDATE audit_log SET seq=8 WHERE seq=9;"
      "UPDATE audit_log SET seq=9 WHERE seq=-8;");
  const auto report = f.Verify();

  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.broken_seq, 8);
}

TEST(AuditLog, TruncatedTailIsReportedThroughTheCheckpointFile) {
  AuditFixture f;
  f.AppendN(12);
  f.Publish();

  // The attacker removes the tail and the database's own checkpoints beyond it.
  f.Tamper("DELETE FROM audit_log WHERE seq>6; DELETE FROM audit_checkpoints WHERE seq>6;");
  const auto report = f.Verify();

  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.broken_seq, 7);
  EXPECT_NE(report.problem.find("truncated"), std::string::npos) << report.problem;
}

TEST(AuditLog, RecomputedPlainHashChainIsReportedAtTheFirstEntry) {
  AuditFixture f;
  f.AppendN(12);
  f.Publish();

  f.RecomputeWithPlainHashes();
  const auto report = f.Verify();

  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.broken_seq, 1);
}

TEST(AuditLog, MissingCheckpointFileIsReported) {
  AuditFixture f;
  f.AppendN(6);

  const auto report = f.Verify();  // Checkpoint at 5 in the database, never published.

  EXPECT_FALSE(report.ok);
  EXPECT_NE(report.problem.find("checkpoint file"), std::string::npos) << report.problem;
}

TEST(AuditLog, RangeVerificationLinksToTheEntryBefore) {
  AuditFixture f;
  f.AppendN(12);
  f.Publish();

  const auto report = f.Verify({.first = 6, .last = 9});

  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.entries_checked, 4);
}

TEST(AuditLog, FailedStateChangeLeavesNoEntry) {
  AuditFixture f;
  f.AppendN(2);

  const auto st = f.store().Write([&](store::Transaction& tx) -> Status {
    auto seq = f.log().Append(tx, Event{.action = "device.delete"});
    EXPECT_TRUE(seq);
    return MakeError(ErrorCode::kFailedPrecondition, "the change itself failed");
  });
  std::int64_t count = 0;
  ASSERT_TRUE(f.store().Read([&](store::ReadTransaction& tx) -> Status {
    auto n = tx.audit().Count();
    count = n ? *n : -1;
    return OkStatus();
  }));

  EXPECT_FALSE(st);
  EXPECT_EQ(count, 2);
}

TEST(AuditLog, ChainSurvivesKeyRotation) {
  AuditFixture f;
  f.AppendN(3);

  ASSERT_TRUE(f.ring().Rotate(2));
  f.AppendN(3);
  f.Publish();
  f.Reopen();

  const auto report = f.Verify();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(f.ring().current_version(), 2u);
}

}  // namespace
}  // namespace vigil::audit
