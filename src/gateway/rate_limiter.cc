#include "gateway/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace vigil::gateway {
namespace {
constexpr double kNanosPerSecond = 1e9;
}  // namespace

RateLimiter::RateLimiter(double per_second, double burst, std::size_t max_keys)
    : per_second_(per_second), burst_(std::max(burst, 1.0)), max_keys_(max_keys) {}

RateLimiter::Decision RateLimiter::Take(std::string_view key, std::int64_t now_nanos) {
  std::lock_guard lock(mu_);
  if (now_nanos - last_sweep_nanos_ > static_cast<std::int64_t>(kNanosPerSecond) ||
      buckets_.size() >= max_keys_) {
    Sweep(now_nanos);
  }
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) return {.allowed = false, .retry_after_seconds = 1};
    it = buckets_.emplace(std::string(key), Bucket{.tokens = burst_, .updated_nanos = now_nanos})
             .first;
  }
  Bucket& bucket = it->second;
  const double elapsed =
      static_cast<double>(std::max<std::int64_t>(0, now_nanos - bucket.updated_nanos)) /
      kNanosPerSecond;
  bucket.tokens = std::min(burst_, bucket.tokens + elapsed * per_second_);
  bucket.updated_nanos = now_nanos;
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return {};
  }
  const double wait = (1.0 - bucket.tokens) / per_second_;
  return {
      .allowed = false,
      .retry_after_seconds = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(wait)))};
}

// Forgets buckets that would be full by now: they carry no state a new bucket would not.
void RateLimiter::Sweep(std::int64_t now_nanos) {
  last_sweep_nanos_ = now_nanos;
  const auto full_after = static_cast<std::int64_t>(burst_ / per_second_ * kNanosPerSecond);
  std::erase_if(buckets_, [&](const auto& entry) {
    return now_nanos - entry.second.updated_nanos >= full_after;
  });
}

std::size_t RateLimiter::size() const {
  std::lock_guard lock(mu_);
  return buckets_.size();
}

}  // namespace vigil::gateway
