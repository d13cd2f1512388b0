#pragma once

// StopSignal: how the agent's loop is told to stop (SIGINT/SIGTERM, seen by the app's signal
// thread) and how it sleeps until its next task without missing that. Thread-safe.

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace vigil::agent {

class StopSignal {
 public:
  void Stop() {
    {
      std::lock_guard lock(mu_);
      stopped_ = true;
    }
    cv_.notify_all();
  }

  bool stopped() const {
    std::lock_guard lock(mu_);
    return stopped_;
  }

  // Sleeps for `duration` or until Stop(); true if stopped.
  bool WaitFor(std::chrono::milliseconds duration) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, duration, [this] { return stopped_; });
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopped_ = false;
};

}  // namespace vigil::agent
