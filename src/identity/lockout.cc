#include "identity/lockout.h"

#include <algorithm>

namespace vigil::identity {

AttemptVerdict CheckAttempt(const LockoutPolicy& policy, std::int64_t failed,
                            std::int64_t not_before_unix, std::int64_t now_unix) {
  if (now_unix >= not_before_unix) return {};
  return {.allowed = false,
          .locked = failed >= policy.lock_after,
          .retry_after_seconds = not_before_unix - now_unix};
}

FailureOutcome RecordFailure(const LockoutPolicy& policy, std::int64_t failed,
                             std::int64_t now_unix) {
  FailureOutcome outcome{.failed = failed + 1, .not_before_unix = now_unix, .locked_now = false};
  if (outcome.failed >= policy.lock_after) {
    outcome.not_before_unix = now_unix + policy.lock_for.count();
    outcome.locked_now = true;
  } else if (outcome.failed >= policy.delay_after && policy.failure_delay.count() > 0) {
    const std::int64_t doublings = std::min<std::int64_t>(outcome.failed - policy.delay_after, 20);
    const std::int64_t delay =
        std::min(policy.failure_delay.count() << doublings, policy.max_delay.count());
    outcome.not_before_unix = now_unix + delay;
  }
  return outcome;
}

AddressLimiter::Verdict AddressLimiter::Attempt(std::string_view address, std::int64_t now_unix) {
  std::lock_guard lock(mu_);
  auto found = windows_.find(std::string(address));
  if (found == windows_.end()) {
    if (windows_.size() >= max_addresses_) {
      // Drop every window that has ended; if none has, the oldest one.
      std::erase_if(windows_,
                    [&](const auto& entry) { return entry.second.start_unix + 60 <= now_unix; });
      if (windows_.size() >= max_addresses_) {
        auto oldest = std::min_element(
            windows_.begin(), windows_.end(),
            [](const auto& a, const auto& b) { return a.second.start_unix < b.second.start_unix; });
        windows_.erase(oldest);
      }
    }
    found = windows_.emplace(std::string(address), Window{.start_unix = now_unix}).first;
  }
  Window& window = found->second;
  if (window.start_unix + 60 <= now_unix) window = Window{.start_unix = now_unix};
  if (window.count >= per_minute_) {
    return {.retry_after_seconds = window.start_unix + 60 - now_unix,
            .first_refusal = window.refused++ == 0};
  }
  ++window.count;
  return {};
}

std::string_view AddressOf(std::string_view remote) {
  if (!remote.empty() && remote.front() == '[') {
    const auto end = remote.find(']');
    return end == std::string_view::npos ? remote : remote.substr(1, end - 1);
  }
  const auto colon = remote.rfind(':');
  return colon == std::string_view::npos ? remote : remote.substr(0, colon);
}

}  // namespace vigil::identity
