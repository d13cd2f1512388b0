#pragma once

// Exponential backoff with full jitter (the AWS Architecture Blog's "Exponential Backoff and
// Jitter", 2015): after the n-th consecutive failure the next attempt waits a uniformly random
// time in [0, min(cap, base * 2^n)). Spreading retries at random keeps a fleet of agents that
// lost the gateway at the same moment from returning in lock step.
//
// The random source is injected (tests pass a fixed one). Thread safety: none; one owner.

#include <chrono>
#include <functional>

namespace vigil::agent {

struct BackoffOptions {
  std::chrono::milliseconds base{1000};
  std::chrono::milliseconds cap{5 * 60 * 1000};
};

class Backoff {
 public:
  // `uniform01` returns values in [0, 1).
  Backoff(BackoffOptions options, std::function<double()> uniform01);

  // The delay before the next attempt after one more failure.
  std::chrono::milliseconds Failure();
  // A success: the next failure starts again from `base`.
  void Reset() { failures_ = 0; }
  int failures() const { return failures_; }

 private:
  BackoffOptions options_;
  std::function<double()> uniform01_;
  int failures_ = 0;
};

}  // namespace vigil::agent
