#pragma once

// RateLimiter: a token bucket per key (a device id, or a client address for anonymous
// enrolment). Each key may make `per_second` requests a second on average, with bursts of
// `burst`. Keys idle long enough to have a full bucket are forgotten, so memory stays bounded
// by the number of keys active in the last few seconds (and by `max_keys`: beyond it, the
// oldest idle keys are dropped first, and a flood of new keys is refused rather than stored).
//
// Time comes from the caller (steady nanoseconds), so tests need no clock.
// Thread safety: every member may be called from any thread.

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace vigil::gateway {

class RateLimiter {
 public:
  RateLimiter(double per_second, double burst, std::size_t max_keys = 100'000);

  struct Decision {
    bool allowed = true;
    std::int64_t retry_after_seconds = 0;  // When refused: when a request would pass.
  };
  Decision Take(std::string_view key, std::int64_t now_nanos);
  std::size_t size() const;

 private:
  struct Bucket {
    double tokens = 0;
    std::int64_t updated_nanos = 0;
  };
  void Sweep(std::int64_t now_nanos);

  const double per_second_;
  const double burst_;
  const std::size_t max_keys_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::int64_t last_sweep_nanos_ = 0;
};

}  // namespace vigil::gateway
