#include "agent/spool/spool.h"

#include <gtest/gtest.h>

#include <deque>
#include <fstream>
#include <random>

#include "testing/fixtures.h"

namespace vigil::agent {
namespace {

namespace fs = std::filesystem;

std::unique_ptr<Spool> OpenOrDie(const fs::path& dir, SpoolOptions options = {}) {
  auto spool = Spool::Open(dir, options);
  EXPECT_TRUE(spool) << (spool ? "" : spool.error().message);
  return spool ? std::move(*spool) : nullptr;
}

std::string FrontPayload(Spool& spool) {
  auto front = spool.Front();
  EXPECT_TRUE(front) << (front ? "" : front.error().message);
  return front && *front ? (*front)->payload : "<empty>";
}

std::vector<fs::path> Segments(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".log") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Every live payload in order, acknowledging each (the spool is empty afterwards).
std::vector<std::string> Drain(Spool& spool) {
  std::vector<std::string> out;
  for (;;) {
    auto front = spool.Front();
    if (!front || !*front) break;
    out.push_back((*front)->payload);
    EXPECT_TRUE(spool.Acknowledge((*front)->seq));
  }
  return out;
}

TEST(Spool, SendsInOrderAndRemovesOnlyWhatIsAcknowledged) {
  testing::TempDir dir;
  auto spool = OpenOrDie(dir.path());
  ASSERT_TRUE(spool->Append(RecordKind::kHeartbeat, "one"));
  ASSERT_TRUE(spool->Append(RecordKind::kTelemetry, "two"));

  auto front = spool->Front();
  ASSERT_TRUE(front && *front);
  EXPECT_EQ((*front)->payload, "one");
  EXPECT_EQ((*front)->kind, RecordKind::kHeartbeat);
  EXPECT_EQ(FrontPayload(*spool), "one");  // Front alone removes nothing.
  ASSERT_TRUE(spool->Acknowledge((*front)->seq));

  EXPECT_EQ(FrontPayload(*spool), "two");
  EXPECT_EQ(spool->stats().records, 1u);
}

TEST(Spool, KeepsUnacknowledgedRecordsAcrossRestarts) {
  testing::TempDir dir;
  std::uint64_t third = 0;
  {
    auto spool = OpenOrDie(dir.path());
    const auto first = spool->Append(RecordKind::kTelemetry, "one");
    ASSERT_TRUE(spool->Append(RecordKind::kTelemetry, "two"));
    third = spool->Append(RecordKind::kEvents, "three").value();
    ASSERT_TRUE(spool->Acknowledge(*first));
  }

  auto spool = OpenOrDie(dir.path());

  EXPECT_EQ(spool->stats().records, 2u);
  EXPECT_EQ(Drain(*spool), (std::vector<std::string>{"two", "three"}));
  EXPECT_GT(spool->Append(RecordKind::kTelemetry, "four").value(), third);
}

TEST(Spool, DiscardsATornLastRecordOfAnyLengthOnOpen) {
  testing::TempDir base;
  const auto torn = EncodeRecord(3, RecordKind::kTelemetry, 0, "a torn third record");
  for (std::size_t cut = 1; cut < torn.size(); cut += 3) {
    const auto dir = base / std::to_string(cut);
    {
      auto spool = OpenOrDie(dir);
      ASSERT_TRUE(spool->Append(RecordKind::kTelemetry, "one"));
      ASSERT_TRUE(spool->Append(RecordKind::kTelemetry, "two"));
    }
    std::ofstream(Segments(dir).back(), std::ios::app) << torn.substr(0, cut);

    auto spool = OpenOrDie(dir);

    EXPECT_EQ(spool->open_report().torn_bytes, cut);
    ASSERT_TRUE(spool->Append(RecordKind::kTelemetry, "three"));
    spool.reset();
    spool = OpenOrDie(dir);
    EXPECT_EQ(spool->open_report().torn_bytes, 0u) << "cut " << cut;
    EXPECT_EQ(Drain(*spool), (std::vector<std::string>{"one", "two", "three"})) << "cut " << cut;
  }
}

TEST(Spool, DropsTheOldestWhenFullAndCountsThem) {
  testing::TempDir dir;
  const std::string payload(100, 'x');
  const std::uint64_t record = kRecordHeaderSize + payload.size();
  const SpoolOptions options{.max_bytes = 10 * record, .segment_bytes = 2 * record};
  auto spool = OpenOrDie(dir.path(), options);

  for (int i = 0; i < 25; ++i) {
    ASSERT_TRUE(spool->Append(RecordKind::kTelemetry, payload + std::to_string(i % 10)));
    ASSERT_LE(spool->stats().bytes, options.max_bytes + 25);
  }

  const auto stats = spool->stats();
  EXPECT_EQ(stats.records + stats.dropped_total, 25u);
  EXPECT_GT(stats.dropped_total, 0u);
  EXPECT_EQ(stats.dropped_pending, stats.dropped_total);
  const auto left = Drain(*spool);
  ASSERT_FALSE(left.empty());
  EXPECT_EQ(left.back(), payload + "4");  // The newest survive, in order.
}

TEST(Spool, NeverExceedsItsBoundOnDisk) {
  testing::TempDir dir;
  const SpoolOptions options{.max_bytes = 5000, .segment_bytes = 700, .sync = false};
  auto spool = OpenOrDie(dir.path(), options);
  std::mt19937 rng(7);

  for (int i = 0; i < 300; ++i) {
    ASSERT_TRUE(spool->Append(RecordKind::kTelemetry, std::string(rng() % 400, 'p')));
    if (rng() % 3 == 0) {
      auto f = spool->Front();
      if (f && *f) {
        ASSERT_TRUE(spool->Acknowledge((*f)->seq));
      }
    }
    std::uint64_t on_disk = 0;
    for (const auto& s : Segments(dir.path())) on_disk += fs::file_size(s);
    ASSERT_LE(on_disk, options.max_bytes);
    ASSERT_EQ(on_disk, spool->stats().bytes);
  }
}

TEST(Spool, HeartbeatCarriesTheDroppedCountAndGivesItBackIfLost) {
  testing::TempDir dir;
  const std::string payload(100, 'x');
  const std::uint64_t record = kRecordHeaderSize + payload.size();
  auto spool = OpenOrDie(dir.path(), {.max_bytes = 4 * record, .segment_bytes = record});
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(spool->Append(RecordKind::kTelemetry, payload));
  ASSERT_EQ(spool->PendingDropped(), 2u);

  const auto heartbeat = spool->Append(RecordKind::kHeartbeat, payload, spool->PendingDropped());

  // Room for the heartbeat cost one more record, which the heartbeat does not report.
  ASSERT_TRUE(heartbeat);
  EXPECT_EQ(spool->stats().dropped_total, 3u);
  EXPECT_EQ(spool->PendingDropped(), 1u);

  for (int i = 0; i < 4; ++i) ASSERT_TRUE(spool->Append(RecordKind::kTelemetry, payload));

  // Three telemetry records and the heartbeat went; the 2 it was reporting come back.
  EXPECT_EQ(spool->stats().dropped_total, 7u);
  EXPECT_EQ(spool->PendingDropped(), 1u + 3u + 1u + 2u);
}

TEST(Spool, RejectCountsAndReturnsTheCarriedCount) {
  testing::TempDir dir;
  const std::string payload(100, 'x');
  const std::uint64_t record = kRecordHeaderSize + payload.size();
  auto spool = OpenOrDie(dir.path(), {.max_bytes = 2 * record, .segment_bytes = record});
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(spool->Append(RecordKind::kTelemetry, payload));
  ASSERT_EQ(spool->PendingDropped(), 1u);
  Drain(*spool);
  const auto heartbeat = spool->Append(RecordKind::kHeartbeat, "hb", spool->PendingDropped());
  ASSERT_EQ(spool->PendingDropped(), 0u);

  ASSERT_TRUE(spool->Reject(*heartbeat));

  EXPECT_EQ(spool->stats().rejected_total, 1u);
  EXPECT_EQ(spool->PendingDropped(), 1u);
  EXPECT_EQ(spool->stats().records, 0u);
}

TEST(Spool, CountersSurviveRestarts) {
  testing::TempDir dir;
  {
    auto spool = OpenOrDie(dir.path(), {.max_bytes = 300, .segment_bytes = 100});
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(spool->Append(RecordKind::kTelemetry, "0123456789"));
    const auto front = spool->Front().value();
    ASSERT_TRUE(spool->Reject(front->seq));
  }
  SpoolStats before;
  {
    auto spool = OpenOrDie(dir.path(), {.max_bytes = 300, .segment_bytes = 100});
    before = spool->stats();
  }

  auto spool = OpenOrDie(dir.path(), {.max_bytes = 300, .segment_bytes = 100});

  EXPECT_GT(before.dropped_total, 0u);
  EXPECT_EQ(spool->stats().dropped_total, before.dropped_total);
  EXPECT_EQ(spool->stats().dropped_pending, before.dropped_pending);
  EXPECT_EQ(spool->stats().rejected_total, 1u);
  EXPECT_EQ(spool->stats().records, before.records);
}

TEST(Spool, DropsARecordThatCanNeverFit) {
  testing::TempDir dir;
  auto spool = OpenOrDie(dir.path(), {.max_bytes = 100});

  const auto seq = spool->Append(RecordKind::kTelemetry, std::string(200, 'x'));

  ASSERT_FALSE(seq);
  EXPECT_EQ(seq.error().code, ErrorCode::kResourceExhausted);
  EXPECT_EQ(spool->stats().dropped_total, 1u);
  EXPECT_EQ(spool->PendingDropped(), 1u);
}

TEST(Spool, IsLockedAgainstASecondAgent) {
  testing::TempDir dir;
  auto first = OpenOrDie(dir.path());

  const auto second = Spool::Open(dir.path());

  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kLocked);
}

TEST(Spool, AcknowledgesOnlyTheOldest) {
  testing::TempDir dir;
  auto spool = OpenOrDie(dir.path());
  const auto one = spool->Append(RecordKind::kTelemetry, "one").value();
  const auto two = spool->Append(RecordKind::kTelemetry, "two").value();

  EXPECT_EQ(spool->Acknowledge(two).error().code, ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(spool->Acknowledge(one));
  EXPECT_TRUE(spool->Acknowledge(one));  // Already gone: a no-op.
  EXPECT_EQ(FrontPayload(*spool), "two");
}

TEST(Spool, ResendsRatherThanLosesWhenTheStateIsUnreadable) {
  testing::TempDir dir;
  {
    auto spool = OpenOrDie(dir.path());
    const auto one = spool->Append(RecordKind::kTelemetry, "one").value();
    ASSERT_TRUE(spool->Append(RecordKind::kTelemetry, "two"));
    ASSERT_TRUE(spool->Acknowledge(one));
  }
  std::ofstream(dir / "spool.state") << "garbage";

  auto spool = OpenOrDie(dir.path());

  EXPECT_TRUE(spool->open_report().state_reset);
  EXPECT_EQ(Drain(*spool), (std::vector<std::string>{"one", "two"}));
}

TEST(Spool, AStaleSegmentLeftByACrashIsNotSentAgain) {
  testing::TempDir dir;
  const SpoolOptions options{.max_bytes = 200, .segment_bytes = 60};
  fs::path saved;
  std::string saved_bytes;
  {
    auto spool = OpenOrDie(dir.path(), options);
    ASSERT_TRUE(spool->Append(RecordKind::kTelemetry, std::string(40, 'a')));
    saved = Segments(dir.path()).front();
    saved_bytes = testing::ReadFileOrEmpty(saved);
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(spool->Append(RecordKind::kTelemetry, "b"));
    ASSERT_TRUE(spool->Append(RecordKind::kTelemetry, std::string(60, 'c')));
    ASSERT_FALSE(fs::exists(saved));  // Dropped to make room.
  }
  std::ofstream(saved, std::ios::binary) << saved_bytes;  // As if the unlink never reached disk.

  auto spool = OpenOrDie(dir.path(), options);

  const auto left = Drain(*spool);
  ASSERT_FALSE(left.empty());
  EXPECT_NE(left.front(), std::string(40, 'a'));
  EXPECT_FALSE(fs::exists(saved));
}

TEST(Spool, DeletesSegmentsOnceAcknowledged) {
  testing::TempDir dir;
  auto spool = OpenOrDie(dir.path(), {.max_bytes = 1 << 20, .segment_bytes = 4096, .sync = false});
  for (int i = 0; i < 100; ++i)
    ASSERT_TRUE(spool->Append(RecordKind::kTelemetry, std::string(200, 'x')));
  ASSERT_GT(Segments(dir.path()).size(), 3u);

  Drain(*spool);

  EXPECT_LE(Segments(dir.path()).size(), 1u);
  EXPECT_LT(spool->stats().bytes, 4096u + 228u);
}

TEST(Spool, DropsARecordCorruptedOnDiskAfterOpening) {
  testing::TempDir dir;
  auto spool = OpenOrDie(dir.path());
  ASSERT_TRUE(spool->Append(RecordKind::kTelemetry, "one"));
  ASSERT_TRUE(spool->Append(RecordKind::kTelemetry, "two"));
  {
    std::fstream f(Segments(dir.path()).front(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(kRecordHeaderSize);
    f << "ONE";
  }

  EXPECT_EQ(FrontPayload(*spool), "two");
  EXPECT_EQ(spool->stats().dropped_total, 1u);
}

TEST(InspectSpool, AgreesWithTheOpenSpool) {
  testing::TempDir dir;
  auto spool = OpenOrDie(dir.path(), {.max_bytes = 1000, .segment_bytes = 200});
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(spool->Append(RecordKind::kTelemetry, "0123456789"));
  ASSERT_TRUE(spool->Acknowledge(spool->Front().value()->seq));

  const auto inspected = InspectSpool(dir.path());

  ASSERT_TRUE(inspected) << inspected.error().message;
  const auto stats = spool->stats();
  EXPECT_EQ(inspected->records, stats.records);
  EXPECT_EQ(inspected->bytes, stats.bytes);
  EXPECT_EQ(inspected->dropped_total, stats.dropped_total);
  EXPECT_EQ(InspectSpool(dir / "none").error().code, ErrorCode::kNotFound);
}

// A random walk of appends, acknowledgements, restarts and torn appends, checked against a
// plain queue: nothing acknowledged comes back, nothing unacknowledged is lost, order holds.
TEST(Spool, MatchesAModelQueueThroughRestartsAndTornTails) {
  testing::TempDir dir;
  const SpoolOptions options{.max_bytes = 1 << 22, .segment_bytes = 1024, .sync = false};
  auto spool = OpenOrDie(dir.path(), options);
  std::deque<std::string> model;
  std::mt19937 rng(1234);

  for (int step = 0; step < 1500; ++step) {
    const auto op = rng() % 10;
    if (op < 5) {
      const auto payload = "r" + std::to_string(step) + std::string(rng() % 300, '.');
      ASSERT_TRUE(spool->Append(static_cast<RecordKind>(1 + rng() % 3), payload));
      model.push_back(payload);
    } else if (op < 8) {
      auto front = spool->Front();
      ASSERT_TRUE(front);
      ASSERT_EQ(front->has_value(), !model.empty());
      if (model.empty()) continue;
      ASSERT_EQ((*front)->payload, model.front()) << "step " << step;
      ASSERT_TRUE(spool->Acknowledge((*front)->seq));
      model.pop_front();
    } else if (op == 8) {
      spool.reset();
      spool = OpenOrDie(dir.path(), options);
      ASSERT_EQ(spool->stats().records, model.size()) << "step " << step;
    } else {
      // A crash in the middle of an append: part of a record at the end, then a restart.
      spool.reset();
      const auto segments = Segments(dir.path());
      if (!segments.empty()) {
        const auto torn = EncodeRecord(1u << 30, RecordKind::kTelemetry, 0, "torn!");
        std::ofstream(segments.back(), std::ios::app) << torn.substr(0, 1 + rng() % 30);
      }
      spool = OpenOrDie(dir.path(), options);
      ASSERT_EQ(spool->stats().records, model.size()) << "step " << step;
    }
  }
  EXPECT_EQ(Drain(*spool), std::vector<std::string>(model.begin(), model.end()));
  EXPECT_EQ(spool->stats().dropped_total, 0u);
}

}  // namespace
}  // namespace vigil::agent
