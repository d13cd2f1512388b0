// Audit appends side by side with plain SQLite inserts of the same rows (bench/audit.sh).
//
//   audit_bench [--rows N] [--pairs P] [--batch B] [--dir D]
//     Alternates, P times: (A) N plain inserts into a fresh WAL database with synchronous=FULL,
//     B rows per transaction through one prepared statement, into a table shaped like
//     audit_log; (B) N AuditLog::Append() calls through SqliteStore + KeyRing, B per
//     Durability::kFull Write(), checkpoint every 1000 entries. Prints one line per run, the
//     ratio B/A per pair and the median ratio. Databases go in fresh folders under D (default
//     $TMPDIR or /tmp) and are removed after each run. `--only sqlite|vigil` runs one side
//     (for profiling).
//   audit_bench --fill DIR N
//     Opens DIR as `vigil serve` would (server::Runtime, creating it) and appends N entries
//     through the audit log, 1000 per durable Write(), then publishes the checkpoints, so that
//     `vigil audit verify --data-dir DIR` checks a real chain.
//
// Rows are the size of a typical entry: actor, dotted action, target, ~200 bytes of details.

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "crypto/key_ring.h"
#include "crypto/random.h"
#include "server/runtime.h"
#include "store/sqlite/sqlite_store.h"

namespace vigil::audit {
namespace {

namespace fs = std::filesystem;
using Seconds = std::chrono::duration<double>;

// The table of migration 1 (store/sqlite/migrations.cc), index included.
constexpr const char* kSchema = R"sql(
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY, time_unix_ns INTEGER NOT NULL, actor_kind TEXT NOT NULL,
  actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, details TEXT NOT NULL,
  prev_hash BLOB NOT NULL, hash BLOB NOT NULL, key_version INTEGER NOT NULL);
CREATE INDEX audit_log_time ON audit_log (time_unix_ns);
)sql";

Event SampleEvent() {
  Event event{.actor = {.kind = ActorKind::kUser, .id = "alice@icu.example.org"},
              .action = "device.update",
              .target = "device:infusion-pump-0042"};
  event.details = {{"changes",
                    {{"firmware", {{"from", "4.2.0"}, {"to", "4.2.1"}}},
                     {"location", {{"from", "ICU-3 bed 12"}, {"to", "ICU-3 bed 14"}}}}},
                   {"ip", "10.20.30.40"},
                   {"reason", "scheduled maintenance window"},
                   {"request_id", "7f3c2a9e-51b4-4c8e-9d1a-0b6e2f4d8c11"}};
  return event;
}

void Die(std::string_view what) {
  std::fprintf(stderr, "audit_bench: %.*s\n", static_cast<int>(what.size()), what.data());
  std::exit(1);
}

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE) {
    Die(std::string(what) + ": " + (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
  }
}

void Exec(sqlite3* db, const char* sql) {
  Check(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), db, sql);
}

// (A) Plain SQLite: the same rows, already encoded, with fixed hashes.
double RunPlain(const fs::path& path, std::int64_t rows, std::int64_t batch) {
  sqlite3* db = nullptr;
  Check(sqlite3_open(path.c_str(), &db), db, "open");
  Exec(db, "PRAGMA journal_mode = WAL");
  Exec(db, "PRAGMA synchronous = FULL");
  Exec(db, kSchema);
  sqlite3_stmt* insert = nullptr;
  Check(sqlite3_prepare_v3(db,
                           "INSERT INTO audit_log (seq, time_unix_ns, actor_kind, actor, action, "
                           "target, details, prev_hash, hash, key_version) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, SQLITE_PREPARE_PERSISTENT, &insert, nullptr),
        db, "prepare");
  const Event event = SampleEvent();
  const std::string kind(ActorKindName(event.actor.kind));
  const std::string details = event.details.dump();
  const std::vector<std::uint8_t> prev_hash(32, 0xa5), hash(32, 0x5a);
  const SystemClock clock;
  const auto text = [&](int i, const std::string& s) {
    sqlite3_bind_text(insert, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
  };

  const auto start = std::chrono::steady_clock::now();
  for (std::int64_t seq = 1; seq <= rows;) {
    Exec(db, "BEGIN IMMEDIATE");
    for (std::int64_t i = 0; i < batch && seq <= rows; ++i, ++seq) {
      sqlite3_bind_int64(insert, 1, seq);
      sqlite3_bind_int64(insert, 2, clock.NowUnixNanos());
      text(3, kind);
      text(4, event.actor.id);
      text(5, event.action);
      text(6, event.target);
      text(7, details);
      sqlite3_bind_blob(insert, 8, prev_hash.data(), 32, SQLITE_STATIC);
      sqlite3_bind_blob(insert, 9, hash.data(), 32, SQLITE_STATIC);
      sqlite3_bind_int64(insert, 10, 1);
      Check(sqlite3_step(insert), db, "insert");
      sqlite3_reset(insert);
    }
    Exec(db, "COMMIT");
  }
  const double seconds = Seconds(std::chrono::steady_clock::now() - start).count();
  sqlite3_finalize(insert);
  sqlite3_close(db);
  return seconds;
}

// Appends `rows` entries, `batch` per durable Write().
void AppendAll(store::Store& store, AuditLog& log, std::int64_t rows, std::int64_t batch) {
  const Event event = SampleEvent();
  for (std::int64_t done = 0; done < rows;) {
    const std::int64_t n = std::min(batch, rows - done);
    auto written = store.Write(
        [&](store::Transaction& tx) -> Status {
          for (std::int64_t i = 0; i < n; ++i) {
            auto seq = log.Append(tx, event);
            if (!seq) return tl::unexpected(seq.error());
          }
          return OkStatus();
        },
        store::Durability::kFull);
    if (!written) Die("append: " + written.error().message);
    done += n;
  }
}

// (B) Vigil: SqliteStore + KeyRing + AuditLog, as the server wires them.
double RunVigil(const fs::path& path, std::int64_t rows, std::int64_t batch) {
  auto store = store::sqlite::SqliteStore::Open(path);
  if (!store) Die("store: " + store.error().message);
  auto kek = crypto::RandomSecret(32);
  if (!kek) Die("kek: " + kek.error().message);
  const SystemClock clock;
  auto ring = crypto::KeyRing::Open(std::move(*kek), (*store)->dek_store(), clock.NowUnixSeconds());
  if (!ring) Die("key ring: " + ring.error().message);
  (*store)->AttachKeyRing(**ring);
  AuditLog log(**ring, clock, {.checkpoint_interval = 1000});

  const auto start = std::chrono::steady_clock::now();
  AppendAll(**store, log, rows, batch);
  const double seconds = Seconds(std::chrono::steady_clock::now() - start).count();
  if (auto closed = (*store)->Close(); !closed) Die("close: " + closed.error().message);
  return seconds;
}

int Fill(const fs::path& dir, std::int64_t rows) {
  config::Config cfg;
  cfg.storage.data_dir = dir.string();
  auto rt = server::Runtime::Open(cfg, {.create = true});
  if (!rt) Die("open " + dir.string() + ": " + rt.error().message);
  const auto start = std::chrono::steady_clock::now();
  AppendAll((*rt)->store(), (*rt)->audit(), rows, 1000);
  if (auto published = (*rt)->CheckpointAudit(); !published) {
    Die("checkpoint: " + published.error().message);
  }
  const double seconds = Seconds(std::chrono::steady_clock::now() - start).count();
  std::printf("filled %s with %lld entries in %.1f s (%.0f entries/s)\n", dir.c_str(),
              static_cast<long long>(rows), seconds, static_cast<double>(rows) / seconds);
  return 0;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::int64_t ParseCount(const char* text) {
  char* end = nullptr;
  const long long v = std::strtoll(text, &end, 10);
  if (end == text || *end != '\0' || v <= 0) Die(std::string("not a positive count: ") + text);
  return v;
}

int Compare(std::int64_t rows, int pairs, std::int64_t batch, const fs::path& base,
            std::string_view only) {
  std::printf(
      "audit appends vs plain SQLite inserts: %lld rows per run, %lld per transaction, "
      "synchronous=FULL, %d pairs\n",
      static_cast<long long>(rows), static_cast<long long>(batch), pairs);
  std::vector<double> ratios, sqlite_rates, vigil_rates;
  for (int pair = 1; pair <= pairs; ++pair) {
    double rates[2] = {0, 0};
    for (int side = 0; side < 2; ++side) {
      if (!only.empty() && only != (side == 0 ? "sqlite" : "vigil")) continue;
      const fs::path dir = base / ("audit_bench." + std::to_string(::getpid()) + "." +
                                   std::to_string(pair) + (side == 0 ? "a" : "b"));
      fs::create_directories(dir);
      const double seconds = side == 0 ? RunPlain(dir / "plain.db", rows, batch)
                                       : RunVigil(dir / "vigil.db", rows, batch);
      fs::remove_all(dir);
      rates[side] = static_cast<double>(rows) / seconds;
      std::printf("pair %d %s %.0f rows/s\n", pair, side == 0 ? "sqlite" : "vigil ", rates[side]);
      std::fflush(stdout);
    }
    if (!only.empty()) continue;
    sqlite_rates.push_back(rates[0]);
    vigil_rates.push_back(rates[1]);
    ratios.push_back(rates[1] / rates[0]);
    std::printf("pair %d ratio vigil/sqlite %.3f\n", pair, ratios.back());
  }
  if (!ratios.empty()) {
    std::printf("median rate sqlite %.0f rows/s, vigil %.0f entries/s\n", Median(sqlite_rates),
                Median(vigil_rates));
    std::printf("median ratio vigil/sqlite %.3f\n", Median(ratios));
  }
  return 0;
}

constexpr std::string_view kUsage =
    "usage: audit_bench [--rows N] [--pairs P] [--batch B] [--dir D] [--only sqlite|vigil]\n"
    "       audit_bench --fill DIR N";

int Main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.size() == 3 && args[0] == "--fill") return Fill(argv[2], ParseCount(argv[3]));
  std::int64_t rows = 200'000, batch = 1000;
  int pairs = 3;
  const char* tmp = std::getenv("TMPDIR");
  fs::path base = tmp != nullptr ? tmp : "/tmp";
  std::string_view only;
  for (std::size_t i = 0; i + 1 < args.size(); i += 2) {
    const char* value = argv[i + 2];
    if (args[i] == "--rows") {
      rows = ParseCount(value);
    } else if (args[i] == "--pairs") {
      pairs = static_cast<int>(ParseCount(value));
    } else if (args[i] == "--batch") {
      batch = ParseCount(value);
    } else if (args[i] == "--dir") {
      base = value;
    } else if (args[i] == "--only" && (args[i + 1] == "sqlite" || args[i + 1] == "vigil")) {
      only = args[i + 1];
    } else {
      Die(kUsage);
    }
  }
  if (args.size() % 2 != 0) Die(kUsage);
  return Compare(rows, pairs, batch, base, only);
}

}  // namespace
}  // namespace vigil::audit

int main(int argc, char** argv) { return vigil::audit::Main(argc, argv); }
