#pragma once

// SessionTable: the server-side sessions of people using the dashboard or API with a cookie.
//
// A session is created once a password has been checked, at some SignInStep; it becomes a full
// session only at SignInStep::kDone, and gets a new cookie value then (so a cookie seen before
// the second factor is worth nothing after it). The cookie value is 256 random bits; the table
// keeps only its SHA-256, so a memory dump does not hand out live cookies.
//
// Expiry: a signed-in session ends after `idle` without a request the person made (Find with
// person = true extends it; background polling does not) and after `absolute` in any case; a
// session part-way through signing in ends after `sign_in`. Expired sessions are removed by
// Sweep, which the server calls every few seconds. Sessions live in memory: a restart signs
// everyone out (docs/adr/0006).
//
// Thread safety: every member is thread-safe. Errors: kUnauthenticated ("no session" or
// "session expired") from Find; kNotFound for an unknown session id.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "crypto/secret.h"
#include "identity/sign_in.h"

namespace vigil::identity {

struct SessionLimits {
  std::chrono::seconds idle{900};
  std::chrono::seconds absolute{43200};
  std::chrono::seconds sign_in{300};
  std::size_t max_per_user = 20;  // The oldest session goes when a user opens one more.
  std::size_t max_total = 100000;
};

struct SessionInfo {
  std::string id;  // 32 hex digits; names the session in lists, never authenticates.
  std::string user_id;
  SignInStep step = SignInStep::kMfa;
  std::string csrf_token;  // 64 hex digits, sent back in X-CSRF-Token.
  TimePoint created;
  TimePoint last_active;  // The last request the person made.
  TimePoint idle_expires;
  TimePoint absolute_expires;
  std::string remote_address;
  std::string user_agent;
};

class SessionTable {
 public:
  SessionTable(const Clock& clock, SessionLimits limits) : clock_(clock), limits_(limits) {}

  struct Opened {
    std::string cookie;  // The cookie value: shown to the client once, never stored.
    SessionInfo info;
  };
  Result<Opened> Create(std::string user_id, SignInStep step, std::string remote_address,
                        std::string user_agent);

  // The session for a cookie value; with `person`, the request counts as activity. The answer
  // leaves remote_address and user_agent empty (Get and ForUser carry them).
  Result<SessionInfo> Find(std::string_view cookie, bool person);

  // Moves a session to `step`. Reaching kDone issues a new cookie value (returned) and a new
  // CSRF token, and starts the idle and absolute clocks; earlier steps keep both (nullopt).
  Result<std::optional<std::string>> Advance(std::string_view id, SignInStep step);

  // A TOTP key being enrolled, kept with the session until it is confirmed.
  Status SetPendingKey(std::string_view id, crypto::SecretBytes key);
  Result<crypto::SecretBytes> PendingKey(std::string_view id) const;

  // The session with `id`, expired or not, without touching it.
  std::optional<SessionInfo> Get(std::string_view id) const;
  bool Remove(std::string_view id);
  // Removes the user's sessions except `keep_id`; returns how many went.
  std::size_t RemoveUser(std::string_view user_id, std::string_view keep_id = {});
  std::vector<SessionInfo> ForUser(std::string_view user_id) const;  // Oldest first.
  std::size_t size() const;
  // Removes expired sessions and returns them (for the audit log's record of automatic
  // logoffs). Their cookies keep answering "session expired" rather than "no session" for a
  // day, so a person coming back learns why they must sign in again.
  std::vector<SessionInfo> Sweep();

 private:
  struct Entry {
    SessionInfo info;
    std::optional<crypto::SecretBytes> pending_key;
  };
  bool Expired(const SessionInfo& info, TimePoint now) const;
  void EvictOldest(std::string_view user_id);  // Needs mu_.
  Entry* FindById(std::string_view id);        // Needs mu_.

  const Clock& clock_;
  const SessionLimits limits_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> by_hash_;  // SHA-256 of the cookie (raw bytes) -> entry.
  std::unordered_map<std::string, TimePoint> expired_;  // Swept cookie hashes -> when swept.
};

}  // namespace vigil::identity
