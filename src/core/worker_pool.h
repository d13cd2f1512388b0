#pragma once

// WorkerPool: a fixed number of threads taking jobs from a bounded queue. It keeps slow, CPU-
// or memory-heavy work (Argon2id password hashing, for one) off the network threads, and its
// bound means a flood of such requests is refused quickly instead of queueing without end.
//
// Thread safety: every member may be called from any thread. Jobs run on the pool's threads,
// one job per thread at a time, in submission order per thread.
//
// Life cycle: Shutdown (or the destructor) stops taking jobs, lets running jobs finish, joins
// the threads and destroys queued jobs without running them (a job must therefore answer its
// caller from its destructor path if the caller waits: see http::Router's Respond).

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace vigil {

class WorkerPool {
 public:
  // `threads` >= 1; `max_queued` is the number of jobs that may wait beyond the running ones.
  WorkerPool(std::size_t threads, std::size_t max_queued);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `job`; false (and `job` destroyed) when the queue is full or the pool shut down.
  bool TrySubmit(std::function<void()> job);

  void Shutdown();

  std::size_t queued() const;
  std::size_t threads() const { return threads_.size(); }

 private:
  void Work();

  const std::size_t max_queued_;
  mutable std::mutex mu_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace vigil
