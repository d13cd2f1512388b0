#include "identity/sessions.h"

#include <algorithm>
#include <utility>

#include "core/hex.h"
#include "crypto/hash.h"
#include "crypto/random.h"

namespace vigil::identity {
namespace {

std::string HashKey(std::string_view cookie) {
  const crypto::Sha256Digest digest = crypto::Sha256(cookie);
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

Result<std::string> RandomHex(std::size_t bytes) {
  auto random = crypto::RandomBytes(bytes);
  if (!random) return tl::unexpected(std::move(random).error());
  return HexEncode(*random);
}

Error NoSession() { return Error{ErrorCode::kUnauthenticated, "no session"}; }

}  // namespace

Result<SessionTable::Opened> SessionTable::Create(std::string user_id, SignInStep step,
                                                  std::string remote_address,
                                                  std::string user_agent) {
  auto cookie = RandomHex(32);
  auto id = RandomHex(16);
  auto csrf = RandomHex(32);
  if (!cookie || !id || !csrf) return MakeError(ErrorCode::kInternal, "session: no randomness");
  const TimePoint now = clock_.Now();
  const auto window = step == SignInStep::kDone ? limits_.idle : limits_.sign_in;
  const auto lifetime = step == SignInStep::kDone ? limits_.absolute : limits_.sign_in;
  SessionInfo info{.id = std::move(*id),
                   .user_id = std::move(user_id),
                   .step = step,
                   .csrf_token = std::move(*csrf),
                   .created = now,
                   .last_active = now,
                   .idle_expires = now + window,
                   .absolute_expires = now + lifetime,
                   .remote_address = std::move(remote_address),
                   .user_agent = user_agent.substr(0, 256)};
  std::lock_guard lock(mu_);
  EvictOldest(info.user_id);
  if (by_hash_.size() >= limits_.max_total) {
    std::erase_if(by_hash_, [&](const auto& entry) { return Expired(entry.second.info, now); });
    if (by_hash_.size() >= limits_.max_total) {
      return MakeError(ErrorCode::kResourceExhausted, "session: too many open sessions");
    }
  }
  Opened opened{.cookie = std::move(*cookie), .info = info};
  by_hash_.emplace(HashKey(opened.cookie), Entry{.info = std::move(info), .pending_key = {}});
  return opened;
}

bool SessionTable::Expired(const SessionInfo& info, TimePoint now) const {
  return now >= info.idle_expires || now >= info.absolute_expires;
}

Result<SessionInfo> SessionTable::Find(std::string_view cookie, bool person) {
  if (cookie.empty()) return tl::unexpected(NoSession());
  const TimePoint now = clock_.Now();
  const std::string key = HashKey(cookie);
  std::lock_guard lock(mu_);
  const auto found = by_hash_.find(key);
  if (found == by_hash_.end()) {
    if (expired_.contains(key)) return MakeError(ErrorCode::kUnauthenticated, "session expired");
    return tl::unexpected(NoSession());
  }
  SessionInfo& info = found->second.info;
  // Left for Sweep to remove (and report).
  if (Expired(info, now)) return MakeError(ErrorCode::kUnauthenticated, "session expired");
  if (person && info.step == SignInStep::kDone) {
    info.last_active = now;
    info.idle_expires = std::min(now + limits_.idle, info.absolute_expires);
  }
  // Every request comes here: copy what a request needs, not the address and browser.
  return SessionInfo{.id = info.id,
                     .user_id = info.user_id,
                     .step = info.step,
                     .csrf_token = info.csrf_token,
                     .created = info.created,
                     .last_active = info.last_active,
                     .idle_expires = info.idle_expires,
                     .absolute_expires = info.absolute_expires,
                     .remote_address = {},
                     .user_agent = {}};
}

SessionTable::Entry* SessionTable::FindById(std::string_view id) {
  for (auto& [hash, entry] : by_hash_) {
    if (entry.info.id == id) return &entry;
  }
  return nullptr;
}

Result<std::optional<std::string>> SessionTable::Advance(std::string_view id, SignInStep step) {
  const TimePoint now = clock_.Now();
  std::lock_guard lock(mu_);
  for (auto it = by_hash_.begin(); it != by_hash_.end(); ++it) {
    if (it->second.info.id != id) continue;
    Entry entry = std::move(it->second);
    entry.info.step = step;
    if (step != SignInStep::kDone) {
      it->second = std::move(entry);
      return std::optional<std::string>();
    }
    auto cookie = RandomHex(32);
    auto csrf = RandomHex(32);
    if (!cookie || !csrf) return MakeError(ErrorCode::kInternal, "session: no randomness");
    by_hash_.erase(it);
    entry.info.csrf_token = std::move(*csrf);
    entry.pending_key.reset();
    entry.info.last_active = now;
    entry.info.idle_expires = now + limits_.idle;
    entry.info.absolute_expires = entry.info.created + limits_.absolute;
    by_hash_.emplace(HashKey(*cookie), std::move(entry));
    return std::optional<std::string>(std::move(*cookie));
  }
  return MakeError(ErrorCode::kNotFound, "session " + std::string(id) + " not found");
}

Status SessionTable::SetPendingKey(std::string_view id, crypto::SecretBytes key) {
  std::lock_guard lock(mu_);
  Entry* entry = FindById(id);
  if (entry == nullptr) return MakeError(ErrorCode::kNotFound, "session not found");
  entry->pending_key = std::move(key);
  return OkStatus();
}

Result<crypto::SecretBytes> SessionTable::PendingKey(std::string_view id) const {
  std::lock_guard lock(mu_);
  for (const auto& [hash, entry] : by_hash_) {
    if (entry.info.id != id) continue;
    if (!entry.pending_key) break;
    return crypto::SecretBytes(entry.pending_key->span());
  }
  return MakeError(ErrorCode::kFailedPrecondition, "no MFA enrolment in progress; start it again");
}

std::optional<SessionInfo> SessionTable::Get(std::string_view id) const {
  std::lock_guard lock(mu_);
  for (const auto& [hash, entry] : by_hash_) {
    if (entry.info.id == id) return entry.info;
  }
  return std::nullopt;
}

bool SessionTable::Remove(std::string_view id) {
  std::lock_guard lock(mu_);
  return std::erase_if(by_hash_, [&](const auto& entry) { return entry.second.info.id == id; }) > 0;
}

std::size_t SessionTable::RemoveUser(std::string_view user_id, std::string_view keep_id) {
  std::lock_guard lock(mu_);
  return std::erase_if(by_hash_, [&](const auto& entry) {
    return entry.second.info.user_id == user_id && entry.second.info.id != keep_id;
  });
}

std::vector<SessionInfo> SessionTable::ForUser(std::string_view user_id) const {
  const TimePoint now = clock_.Now();
  std::vector<SessionInfo> sessions;
  {
    std::lock_guard lock(mu_);
    for (const auto& [hash, entry] : by_hash_) {
      if (entry.info.user_id == user_id && !Expired(entry.info, now)) {
        sessions.push_back(entry.info);
      }
    }
  }
  std::sort(sessions.begin(), sessions.end(),
            [](const SessionInfo& a, const SessionInfo& b) { return a.created < b.created; });
  return sessions;
}

std::size_t SessionTable::size() const {
  std::lock_guard lock(mu_);
  return by_hash_.size();
}

std::vector<SessionInfo> SessionTable::Sweep() {
  constexpr auto kRememberExpired = std::chrono::hours(24);
  const TimePoint now = clock_.Now();
  std::vector<SessionInfo> swept;
  std::lock_guard lock(mu_);
  std::erase_if(expired_,
                [&](const auto& entry) { return entry.second + kRememberExpired <= now; });
  for (auto it = by_hash_.begin(); it != by_hash_.end();) {
    if (!Expired(it->second.info, now)) {
      ++it;
      continue;
    }
    if (expired_.size() >= limits_.max_total) expired_.clear();  // Bounded; a rare, safe loss.
    expired_.emplace(it->first, now);
    swept.push_back(std::move(it->second.info));
    it = by_hash_.erase(it);
  }
  return swept;
}

void SessionTable::EvictOldest(std::string_view user_id) {
  std::size_t count = 0;
  auto oldest = by_hash_.end();
  for (auto it = by_hash_.begin(); it != by_hash_.end(); ++it) {
    if (it->second.info.user_id != user_id) continue;
    ++count;
    if (oldest == by_hash_.end() || it->second.info.created < oldest->second.info.created) {
      oldest = it;
    }
  }
  if (count >= limits_.max_per_user && oldest != by_hash_.end()) by_hash_.erase(oldest);
}

}  // namespace vigil::identity
