#include "http/auth.h"

#include "crypto/hash.h"

namespace vigil::http {
namespace {

bool ChangesState(std::string_view method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

bool SameSecret(std::string_view a, std::string_view b) {
  return !a.empty() && crypto::ConstantTimeEquals(AsBytes(a), AsBytes(b));
}

std::optional<Response> Unauthenticated(const Error& error) {
  const bool expired = error.message == "session expired";
  return JsonError(401, expired ? "session_expired" : "unauthenticated",
                   expired ? "your session expired; sign in again" : "sign in first");
}

std::optional<Response> ByToken(Request& request, const Access& access,
                                server::IdentityService& identity, std::string_view token) {
  if (access.kind != Access::Kind::kPermission) {
    return JsonError(403, "forbidden", "API tokens cannot be used to sign in");
  }
  if (access.session_only) {
    return JsonError(403, "forbidden",
                     "this needs a person's signed-in session; API tokens cannot do it");
  }
  auto principal = identity.AuthenticateToken(token, ClientOf(request));
  if (!principal) {
    if (principal.error().code == ErrorCode::kResourceExhausted) {
      Response response = JsonError(429, "rate_limited", principal.error().message);
      response.headers.emplace_back("Retry-After", "60");
      return response;
    }
    return JsonError(401, "unauthenticated", "invalid API token: " + principal.error().message);
  }
  if (!principal->Has(access.permission)) {
    return JsonError(403, "forbidden", "this token lacks the permission '" + access.Name() + "'");
  }
  request.principal = std::move(*principal);
  return std::nullopt;
}

}  // namespace

std::string SessionCookie(const Request& request) {
  for (const auto& [name, value] : request.headers) {
    if (name != "cookie") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const std::size_t end = std::min(rest.find(';'), rest.size());
      std::string_view pair = rest.substr(0, end);
      rest.remove_prefix(std::min(end + 1, rest.size()));
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      if (pair.starts_with(kSessionCookie) && pair.size() > kSessionCookie.size() &&
          pair[kSessionCookie.size()] == '=') {
        return std::string(pair.substr(kSessionCookie.size() + 1));
      }
    }
  }
  return {};
}

std::string SetSessionCookie(std::string_view value) {
  return std::string(kSessionCookie) + "=" + std::string(value) +
         "; Path=/; Secure; HttpOnly; SameSite=Strict";
}

std::string ClearSessionCookie() {
  return std::string(kSessionCookie) + "=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0";
}

bool IsBackground(const Request& request) {
  const std::string* value = request.FindHeader("x-vigil-background");
  return value != nullptr && *value == "1";
}

server::ClientInfo ClientOf(const Request& request) {
  const std::string* agent = request.FindHeader("user-agent");
  return {.remote_address = request.remote_address,
          .user_agent = agent == nullptr ? std::string() : agent->substr(0, 256)};
}

void InstallAuthGuard(Router& router, server::IdentityService& identity) {
  router.SetGuard([&identity](Request& request, const Access& access) -> std::optional<Response> {
    if (access.kind == Access::Kind::kDevice || access.kind == Access::Kind::kSensor) {
      // Device routes belong to the gateway's own listener, never to the dashboard's.
      return JsonError(403, "forbidden", "device routes are served by the gateway");
    }
    if (const std::string* auth = request.FindHeader("authorization")) {
      constexpr std::string_view kBearer = "Bearer ";
      if (!auth->starts_with(kBearer)) {
        return JsonError(401, "unauthenticated", "only Bearer tokens are accepted");
      }
      return ByToken(request, access, identity, std::string_view(*auth).substr(kBearer.size()));
    }
    const std::string cookie = SessionCookie(request);
    if (cookie.empty()) return JsonError(401, "unauthenticated", "sign in first");
    auto session = identity.FindSession(cookie, !IsBackground(request));
    if (!session) return Unauthenticated(session.error());
    if (ChangesState(request.method)) {
      const std::string* csrf = request.FindHeader("x-csrf-token");
      if (csrf == nullptr || !SameSecret(*csrf, session->csrf_token)) {
        return JsonError(403, "csrf", "missing or wrong X-CSRF-Token header");
      }
    }
    if (access.kind == Access::Kind::kSignIn) {
      if (session->step == identity::SignInStep::kDone) {
        return JsonError(409, "already_signed_in", "this session is already signed in");
      }
      request.principal =
          identity::Principal{.user_id = session->user_id, .session_id = session->id};
      return std::nullopt;
    }
    if (session->step != identity::SignInStep::kDone) {
      return JsonError(
          401, "sign_in_incomplete",
          "finish signing in first (next: " + std::string(identity::StepName(session->step)) + ")");
    }
    auto principal = identity.PrincipalFor(*session);
    if (!principal) return JsonError(401, "unauthenticated", principal.error().message);
    if (!principal->Has(access.permission)) {
      return JsonError(403, "forbidden",
                       "your role does not have the permission '" + access.Name() + "'");
    }
    request.principal = std::move(*principal);
    return std::nullopt;
  });
}

}  // namespace vigil::http
