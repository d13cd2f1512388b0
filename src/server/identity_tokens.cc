// IdentityService: API tokens and the credentials report.

#include <algorithm>
#include <set>
#include <utility>

#include "core/id.h"
#include "crypto/hash.h"
#include "identity/credentials.h"
#include "server/identity_service.h"
#include "server/identity_text.h"
#include "server/runtime.h"

namespace vigil::server {
namespace {

constexpr std::int64_t kDay = 86400;
// A token's successful use is audited at most this often (failures always are).
constexpr std::int64_t kAuditUseEvery = 3600;

std::vector<std::uint8_t> TokenHash(std::string_view token) {
  const crypto::Sha256Digest digest = crypto::Sha256(token);
  return {digest.begin(), digest.end()};
}

std::string Key(const std::vector<std::uint8_t>& hash) { return {hash.begin(), hash.end()}; }

}  // namespace

Result<identity::Principal> IdentityService::AuthenticateToken(std::string_view token,
                                                               const ClientInfo& client) {
  const std::int64_t now = rt_.clock().NowUnixSeconds();
  std::string refusal;
  std::optional<identity::Principal> principal;
  std::string audit_use_of;
  std::string owner_name;
  if (!identity::LooksLikeApiToken(token)) {
    refusal = "malformed token";
  } else {
    std::lock_guard lock(cache_mu_);
    const crypto::Sha256Digest digest = crypto::Sha256(token);
    const auto found =
        tokens_.find(std::string(reinterpret_cast<const char*>(digest.data()), digest.size()));
    if (found == tokens_.end()) {
      refusal = "unknown or revoked token";
    } else if (found->second.record.expires_unix <= now) {
      refusal = "expired token";
    } else {
      const store::TokenRecord& record = found->second.record;
      const auto owner = users_.find(record.user_id);
      if (owner == users_.end() || owner->second.disabled) {
        refusal = "the token's owner is disabled";
      } else {
        identity::Principal who{.user_id = record.user_id,
                                .username = owner->second.username,
                                .role = owner->second.role,
                                .emergency = owner->second.emergency,
                                .session_id = {},
                                .token_id = record.id,
                                .token_scopes = {}};
        for (const std::string& scope : record.scopes) {
          if (auto permission = identity::ParsePermission(scope)) {
            who.token_scopes.push_back(*permission);
          }
        }
        principal = std::move(who);
        token_use_[record.id] = now;
        if (now - found->second.last_audited_unix >= kAuditUseEvery) {
          found->second.last_audited_unix = now;
          audit_use_of = record.id;
          owner_name = owner->second.username;
        }
      }
    }
  }
  if (principal) {
    if (!audit_use_of.empty()) {
      const std::string address(identity::AddressOf(client.remote_address));
      (void)AuditAlone(
          {.kind = audit::ActorKind::kUser, .id = owner_name + "/token:" + audit_use_of},
          "auth.token.used", "token:" + audit_use_of,
          {{"address", address}, {"audited_every_seconds", kAuditUseEvery}});
    }
    return *principal;
  }
  // Bad tokens count against the address like failed passwords, so guessing is slow and the
  // audit log is not flooded: past the limit, only the first refusal per minute is recorded.
  const std::string address(identity::AddressOf(client.remote_address));
  const identity::AddressLimiter::Verdict limited = address_limiter_.Attempt(address, now);
  if (limited.retry_after_seconds > 0) {
    if (limited.first_refusal) {
      (void)AuditAlone({.kind = audit::ActorKind::kSystem, .id = "auth"}, "auth.rate_limited",
                       "address:" + address, {{"credential", "token"}});
    }
    return MakeError(ErrorCode::kResourceExhausted,
                     "too many failed attempts from this address; try again in " +
                         std::to_string(limited.retry_after_seconds) + " s");
  }
  (void)AuditAlone({.kind = audit::ActorKind::kSystem, .id = "auth"}, "auth.token.failed",
                   "address:" + address, {{"reason", refusal}});
  return MakeError(ErrorCode::kUnauthenticated, refusal);
}

Result<std::vector<store::TokenRecord>> IdentityService::ListTokens(const identity::Principal& who,
                                                                    bool all) {
  (void)FlushTokenUse();
  std::vector<store::TokenRecord> tokens;
  VIGIL_RETURN_IF_ERROR(rt_.store().Read([&](store::ReadTransaction& tx) -> Status {
    auto list = tx.identity().ListTokens();
    if (!list) return tl::unexpected(std::move(list).error());
    for (auto& token : *list) {
      if (all || token.user_id == who.user_id) tokens.push_back(std::move(token));
    }
    return OkStatus();
  }));
  return tokens;
}

Result<IssuedToken> IdentityService::CreateToken(const identity::Principal& who,
                                                 std::string_view name,
                                                 const std::vector<std::string>& scopes,
                                                 std::int64_t days) {
  if (who.emergency) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "the emergency account cannot create API tokens: its access ends with its "
                     "session");
  }
  if (name.empty() || name.size() > 64) {
    return MakeError(ErrorCode::kInvalidArgument, "a token needs a name of 1 to 64 characters");
  }
  if (days == 0) days = options_.token_default_days;
  if (days < 1 || days > options_.token_max_days) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        "a token expires in 1 to " + std::to_string(options_.token_max_days) + " days");
  }
  if (scopes.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "a token needs at least one scope");
  }
  std::set<std::string> sorted;
  for (const std::string& scope : scopes) {
    const auto permission = identity::ParsePermission(scope);
    if (!permission) {
      return MakeError(ErrorCode::kInvalidArgument, "unknown scope '" + Printable(scope) + "'");
    }
    // A token never holds more than its owner (a token made with a token: no more than that).
    if (!who.Has(*permission)) {
      return MakeError(ErrorCode::kPermissionDenied,
                       "you do not hold '" + scope + "', so a token of yours cannot");
    }
    sorted.insert(scope);
  }
  auto secret = identity::NewApiToken();
  if (!secret) return tl::unexpected(std::move(secret).error());
  const std::int64_t now = rt_.clock().NowUnixSeconds();
  IssuedToken issued{.token = store::TokenRecord{.id = Id::Random().ToString(),
                                                 .user_id = who.user_id,
                                                 .name = Printable(name, 64),
                                                 .token_hash = TokenHash(*secret),
                                                 .scopes = {sorted.begin(), sorted.end()},
                                                 .created_unix = now,
                                                 .expires_unix = now + days * kDay,
                                                 .last_used_unix = 0,
                                                 .revoked_unix = 0},
                     .secret = std::move(*secret)};
  VIGIL_RETURN_IF_ERROR(rt_.store().Write([&](store::Transaction& tx) -> Status {
    VIGIL_RETURN_IF_ERROR(tx.identity().AddToken(issued.token));
    return Audit(tx, ActorOf(who), "token.create", "token:" + issued.token.id,
                 {{"name", issued.token.name},
                  {"scopes", issued.token.scopes},
                  {"expires", FormatUnix(issued.token.expires_unix)}});
  }));
  std::lock_guard lock(cache_mu_);
  tokens_[Key(issued.token.token_hash)] =
      CachedToken{.record = issued.token, .last_audited_unix = 0};
  return issued;
}

namespace {

Result<store::TokenRecord> FindOwnedToken(store::ReadTransaction& tx, std::string_view id,
                                          const identity::Principal& who, bool manage) {
  auto token = tx.identity().GetToken(id);
  if (!token) {
    if (token.error().code == ErrorCode::kNotFound) {
      return MakeError(ErrorCode::kNotFound, "no token '" + Printable(id) + "'");
    }
    return token;
  }
  if (token->user_id != who.user_id && !manage) {
    return MakeError(ErrorCode::kNotFound, "no token '" + Printable(id) + "'");
  }
  return token;
}

}  // namespace

Result<IssuedToken> IdentityService::RotateToken(const identity::Principal& who,
                                                 std::string_view token_id, bool manage) {
  store::TokenRecord old;
  VIGIL_RETURN_IF_ERROR(rt_.store().Read([&](store::ReadTransaction& tx) -> Status {
    auto token = FindOwnedToken(tx, token_id, who, manage);
    if (!token) return tl::unexpected(std::move(token).error());
    old = std::move(*token);
    return OkStatus();
  }));
  if (old.revoked_unix != 0) {
    return MakeError(ErrorCode::kFailedPrecondition, "the token is revoked; create a new one");
  }
  auto secret = identity::NewApiToken();
  if (!secret) return tl::unexpected(std::move(secret).error());
  const std::int64_t now = rt_.clock().NowUnixSeconds();
  const std::int64_t lifetime = std::max<std::int64_t>(old.expires_unix - old.created_unix, kDay);
  store::TokenRecord fresh = old;
  fresh.id = Id::Random().ToString();
  fresh.token_hash = TokenHash(*secret);
  fresh.created_unix = now;
  fresh.expires_unix = now + lifetime;
  fresh.last_used_unix = 0;
  old.revoked_unix = now;
  VIGIL_RETURN_IF_ERROR(rt_.store().Write([&](store::Transaction& tx) -> Status {
    VIGIL_RETURN_IF_ERROR(tx.identity().UpdateToken(old));
    VIGIL_RETURN_IF_ERROR(tx.identity().AddToken(fresh));
    return Audit(tx, ActorOf(who), "token.rotate", "token:" + old.id,
                 {{"new_token", fresh.id}, {"expires", FormatUnix(fresh.expires_unix)}});
  }));
  std::lock_guard lock(cache_mu_);
  tokens_.erase(Key(old.token_hash));
  tokens_[Key(fresh.token_hash)] = CachedToken{.record = fresh, .last_audited_unix = 0};
  return IssuedToken{.token = std::move(fresh), .secret = std::move(*secret)};
}

Status IdentityService::RevokeToken(const identity::Principal& who, std::string_view token_id,
                                    bool manage) {
  store::TokenRecord token;
  VIGIL_RETURN_IF_ERROR(rt_.store().Read([&](store::ReadTransaction& tx) -> Status {
    auto found = FindOwnedToken(tx, token_id, who, manage);
    if (!found) return tl::unexpected(std::move(found).error());
    token = std::move(*found);
    return OkStatus();
  }));
  if (token.revoked_unix != 0) return OkStatus();
  token.revoked_unix = rt_.clock().NowUnixSeconds();
  // Out of the cache first: from here on the token no longer authenticates, even while the
  // store write is in flight.
  {
    std::lock_guard lock(cache_mu_);
    tokens_.erase(Key(token.token_hash));
  }
  return rt_.store().Write([&](store::Transaction& tx) -> Status {
    VIGIL_RETURN_IF_ERROR(tx.identity().UpdateToken(token));
    return Audit(tx, ActorOf(who), "token.revoke", "token:" + token.id, {{"name", token.name}});
  });
}

Status IdentityService::FlushTokenUse() {
  std::unordered_map<std::string, std::int64_t> uses;
  {
    std::lock_guard lock(cache_mu_);
    uses.swap(token_use_);
  }
  if (uses.empty()) return OkStatus();
  return rt_.store().Write(
      [&](store::Transaction& tx) -> Status {
        for (const auto& [id, when] : uses) {
          auto token = tx.identity().GetToken(id);
          if (!token) continue;
          if (token->last_used_unix >= when) continue;
          token->last_used_unix = when;
          VIGIL_RETURN_IF_ERROR(tx.identity().UpdateToken(*token));
        }
        return OkStatus();
      },
      store::Durability::kNormal);
}

Result<CredentialReport> IdentityService::Report(std::int64_t soon_days, std::int64_t unused_days) {
  (void)FlushTokenUse();
  const std::int64_t now = rt_.clock().NowUnixSeconds();
  CredentialReport report;
  std::unordered_map<std::string, std::string> names;
  VIGIL_RETURN_IF_ERROR(rt_.store().Read([&](store::ReadTransaction& tx) -> Status {
    auto users = tx.identity().ListUsers();
    if (!users) return tl::unexpected(std::move(users).error());
    auto tokens = tx.identity().ListTokens();
    if (!tokens) return tl::unexpected(std::move(tokens).error());
    for (const auto& user : *users) {
      names[user.id] = user.username;
      if (user.disabled) continue;
      const std::int64_t last = user.last_login_unix;
      if (last == 0 ? now - user.created_unix >= unused_days * kDay
                    : now - last >= unused_days * kDay) {
        report.items.push_back(
            {.kind = "account",
             .id = user.id,
             .name = user.username,
             .owner = user.username,
             .reason = last == 0 ? "never signed in"
                                 : "unused for " + std::to_string(unused_days) + " days",
             .expires_unix = 0,
             .last_used_unix = last});
      }
    }
    for (const auto& token : *tokens) {
      if (token.revoked_unix != 0) continue;
      std::string reason;
      if (token.expires_unix <= now) {
        reason = "expired";
      } else if (token.expires_unix - now <= soon_days * kDay) {
        reason = "expires within " + std::to_string(soon_days) + " days";
      } else if (token.last_used_unix == 0 ? now - token.created_unix >= unused_days * kDay
                                           : now - token.last_used_unix >= unused_days * kDay) {
        reason = token.last_used_unix == 0 ? "never used"
                                           : "unused for " + std::to_string(unused_days) + " days";
      }
      if (reason.empty()) continue;
      report.items.push_back(
          {.kind = "token",
           .id = token.id,
           .name = token.name,
           .owner = names.contains(token.user_id) ? names[token.user_id] : token.user_id,
           .reason = std::move(reason),
           .expires_unix = token.expires_unix,
           .last_used_unix = token.last_used_unix});
    }
    return OkStatus();
  }));
  return report;
}

}  // namespace vigil::server
