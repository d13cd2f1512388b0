#include "core/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <thread>

namespace vigil {
namespace {

TEST(WorkerPool, RunsJobsOnItsOwnThreads) {
  WorkerPool pool(2, 8);
  std::promise<std::thread::id> ran;
  ASSERT_TRUE(pool.TrySubmit([&] { ran.set_value(std::this_thread::get_id()); }));
  EXPECT_NE(ran.get_future().get(), std::this_thread::get_id());
}

TEST(WorkerPool, RefusesWhenTheQueueIsFull) {
  WorkerPool pool(1, 2);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> started;
  ASSERT_TRUE(pool.TrySubmit([&] {
    started.set_value();
    released.wait();
  }));
  started.get_future().wait();  // The one thread is busy; now only the queue takes jobs.
  std::atomic<int> done{0};
  EXPECT_TRUE(pool.TrySubmit([&] { ++done; }));
  EXPECT_TRUE(pool.TrySubmit([&] { ++done; }));
  EXPECT_FALSE(pool.TrySubmit([&] { ++done; }));
  EXPECT_EQ(pool.queued(), 2U);
  release.set_value();
  pool.Shutdown();
  EXPECT_LE(done.load(), 2);
}

TEST(WorkerPool, ShutdownDropsQueuedJobsAndRefusesNewOnes) {
  WorkerPool pool(1, 4);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> started;
  ASSERT_TRUE(pool.TrySubmit([&] {
    started.set_value();
    released.wait();
  }));
  started.get_future().wait();
  auto token = std::make_shared<int>(7);
  std::weak_ptr<int> watch = token;
  ASSERT_TRUE(pool.TrySubmit([token = std::move(token)] { FAIL() << "a dropped job ran"; }));
  std::thread stopper([&] { pool.Shutdown(); });
  // The queued job is destroyed (not run) while the running one is still busy.
  for (int i = 0; i < 500 && !watch.expired(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  EXPECT_TRUE(watch.expired());
  release.set_value();
  stopper.join();
  EXPECT_FALSE(pool.TrySubmit([] {}));
}

}  // namespace
}  // namespace vigil
