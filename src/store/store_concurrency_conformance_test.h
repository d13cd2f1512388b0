#pragma once

// The concurrency every Store implementation shares (writers on many threads, asynchronous
// writes, reads beside a write), as a typed GoogleTest suite beside StoreConformance, with the
// same harness:
//
//   INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, StoreConcurrencyConformance, Harness);

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "store/store.h"
#include "store/store_conformance_test.h"

namespace vigil::store::testing {

template <typename Harness>
class StoreConcurrencyConformance : public ::testing::Test {
 protected:
  Store& store() { return harness_.store(); }

  Harness harness_;
};

TYPED_TEST_SUITE_P(StoreConcurrencyConformance);

TYPED_TEST_P(StoreConcurrencyConformance, ConcurrentWritersAllLand) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 500;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;

  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::int64_t seq = std::int64_t{t} * kPerThread + i + 1;
        if (!AppendRow(this->store(), seq, i % 2 == 0 ? Durability::kNormal : Durability::kFull)) {
          failures.fetch_add(1);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();

  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(AuditCount(this->store()), kThreads * kPerThread);
}

TYPED_TEST_P(StoreConcurrencyConformance, AsyncWritesLandAndEachGetsItsOwnOutcome) {
  constexpr int kWrites = 200;
  constexpr int kFailing = 77;  // This one returns an error; the others must not notice.
  std::mutex mu;
  std::condition_variable cv;
  int answered = 0;
  std::vector<std::optional<Status>> outcomes(kWrites);

  for (int i = 0; i < kWrites; ++i) {
    this->store().WriteAsync(
        [i](Transaction& tx) -> Status {
          VIGIL_RETURN_IF_ERROR(tx.audit().Append(MakeAuditRow(i + 1)));
          if (i == kFailing) return MakeError(ErrorCode::kInvalidArgument, "not this one");
          return OkStatus();
        },
        i % 2 == 0 ? Durability::kFull : Durability::kNormal,
        [&, i](Status status) {
          std::lock_guard lock(mu);
          outcomes[static_cast<std::size_t>(i)] = std::move(status);
          ++answered;
          cv.notify_all();
        });
  }
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return answered == kWrites; }));
  }

  for (int i = 0; i < kWrites; ++i) {
    const auto& outcome = outcomes[static_cast<std::size_t>(i)];
    ASSERT_TRUE(outcome.has_value()) << i;
    if (i == kFailing) {
      ASSERT_FALSE(*outcome);
      EXPECT_EQ(outcome->error().code, ErrorCode::kInvalidArgument);
    } else {
      EXPECT_TRUE(*outcome) << i << ": " << outcome->error().message;
    }
  }
  EXPECT_EQ(AuditCount(this->store()), kWrites - 1);
}

TYPED_TEST_P(StoreConcurrencyConformance, ReadDuringWriteSeesOnlyCommittedData) {
  ASSERT_TRUE(AppendRow(this->store(), 1));
  std::promise<void> appended;
  std::promise<void> read_done;
  auto read_done_future = read_done.get_future();

  std::thread writer([&] {
    const Status status = this->store().Write([&](Transaction& tx) -> Status {
      VIGIL_RETURN_IF_ERROR(tx.audit().Append(MakeAuditRow(2)));
      appended.set_value();
      // Hold the write open until the read has run, with a bound so a broken store fails
      // instead of hanging.
      read_done_future.wait_for(std::chrono::seconds(30));
      return OkStatus();
    });
    EXPECT_TRUE(status) << status.error().message;
  });
  appended.get_future().wait();
  const std::int64_t during = AuditCount(this->store());
  read_done.set_value();
  writer.join();

  EXPECT_EQ(during, 1);
  EXPECT_EQ(AuditCount(this->store()), 2);
}

REGISTER_TYPED_TEST_SUITE_P(StoreConcurrencyConformance, ConcurrentWritersAllLand,
                            AsyncWritesLandAndEachGetsItsOwnOutcome,
                            ReadDuringWriteSeesOnlyCommittedData);

}  // namespace vigil::store::testing
