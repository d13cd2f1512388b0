#pragma once

// Lockout: how repeated failures (wrong password or wrong second factor) slow down and then
// stop guessing against one account, and a per-address limit that slows down guessing across
// many accounts from one place.
//
// Per account (the counter lives in the user's record, so it survives restarts): after
// `delay_after` consecutive failures, each further attempt must wait failure_delay * 2^(n -
// delay_after), at most max_delay; at `lock_after` failures the account is locked for
// `lock_for`, and every failure after that locks it again. A success resets the counter.
//
// Thread safety: Lockout functions are pure. AddressLimiter is thread-safe.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace vigil::identity {

struct LockoutPolicy {
  std::int64_t delay_after = 3;
  std::chrono::seconds failure_delay{1};  // 0 turns the progressive delay off.
  std::chrono::seconds max_delay{30};
  std::int64_t lock_after = 5;
  std::chrono::seconds lock_for{900};
};

struct AttemptVerdict {
  bool allowed = true;
  bool locked = false;  // Refused because of a lock (not a short delay).
  std::int64_t retry_after_seconds = 0;
};

// May an attempt be made at `now_unix` on an account with `failed` consecutive failures that
// accepts no attempt before `not_before_unix`?
AttemptVerdict CheckAttempt(const LockoutPolicy& policy, std::int64_t failed,
                            std::int64_t not_before_unix, std::int64_t now_unix);

struct FailureOutcome {
  std::int64_t failed = 0;
  std::int64_t not_before_unix = 0;
  bool locked_now = false;  // This failure locked the account.
};

// The account's state after one more failure at `now_unix`.
FailureOutcome RecordFailure(const LockoutPolicy& policy, std::int64_t failed,
                             std::int64_t now_unix);

// At most `per_minute` attempts per address in any one-minute window (a fixed window per
// address); at most `max_addresses` tracked at once (the oldest windows are dropped first).
class AddressLimiter {
 public:
  AddressLimiter(std::int64_t per_minute, std::size_t max_addresses = 100000)
      : per_minute_(per_minute), max_addresses_(max_addresses) {}

  struct Verdict {
    std::int64_t retry_after_seconds = 0;  // 0: allowed.
    bool first_refusal = false;  // The first refusal in this window (worth one audit entry).
  };
  // Counts an attempt from `address` (an IP, no port).
  Verdict Attempt(std::string_view address, std::int64_t now_unix);

 private:
  struct Window {
    std::int64_t start_unix = 0;
    std::int64_t count = 0;
    std::int64_t refused = 0;
  };
  const std::int64_t per_minute_;
  const std::size_t max_addresses_;
  std::mutex mu_;
  std::unordered_map<std::string, Window> windows_;
};

// The address part of "127.0.0.1:5555" or "[::1]:5555".
std::string_view AddressOf(std::string_view remote);

}  // namespace vigil::identity
