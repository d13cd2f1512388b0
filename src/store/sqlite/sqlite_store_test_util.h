// Helpers shared by the SQLite store's test files.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <future>
#include <memory>
#include <thread>

#include "store/sqlite/sqlite_store.h"
#include "store/store_conformance_test.h"

namespace vigil::store::sqlite::test_util {

inline std::unique_ptr<SqliteStore> OpenOrDie(const std::filesystem::path& path,
                                              Options options = {}) {
  auto store = SqliteStore::Open(path, std::move(options));
  EXPECT_TRUE(store) << store.error().message;
  return store ? std::move(*store) : nullptr;
}

// Waits (bounded) until `done` holds; false on timeout.
template <typename Pred>
bool WaitFor(Pred done, std::chrono::seconds limit = std::chrono::seconds(30)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// Starts a write whose callback appends seq 1 and holds the writer until `queued` other writes
// wait in the queue, so those are certain to share the next batch. Returns the writer's thread.
inline std::thread HoldWriterUntilQueued(SqliteStore& store, std::int64_t queued) {
  std::promise<void> running;
  auto running_future = running.get_future();
  std::thread holder([&store, queued, running = std::move(running)]() mutable {
    const Status status = store.Write([&](Transaction& tx) -> Status {
      VIGIL_RETURN_IF_ERROR(tx.audit().Append(::vigil::store::testing::MakeAuditRow(1)));
      running.set_value();
      EXPECT_TRUE(WaitFor([&] { return store.stats().queued >= queued; }));
      return OkStatus();
    });
    EXPECT_TRUE(status) << status.error().message;
  });
  running_future.wait();
  return holder;
}

}  // namespace vigil::store::sqlite::test_util
