#pragma once

// Vigil's authentication and authorisation for HTTP: the router guard that turns a session
// cookie or an API token into a Principal and checks the route's Access, and the cookie rules.
//
// Sessions: cookie `__Host-vigil` (Secure, HttpOnly, SameSite=Strict, Path=/). A request counts
// as the person's own activity (and extends the idle timeout) unless it carries
// `X-Vigil-Background: 1`. Every request that changes state (any method but GET, HEAD, OPTIONS)
// made with the cookie must carry `X-CSRF-Token` equal to the session's token.
// Tokens: `Authorization: Bearer vgl_...`, only for permission routes; no CSRF token needed (no
// ambient credential), scopes narrow the owner's role.
//
// Refusals: 401 unauthenticated / session_expired / sign_in_incomplete, 403 forbidden / csrf,
// 429 rate_limited (bad tokens from one address), each a JsonError.
//
// Thread safety: the guard is safe to call from many threads (IdentityService is).

#include <optional>
#include <string>
#include <string_view>

#include "http/router.h"
#include "server/identity_service.h"

namespace vigil::http {

inline constexpr std::string_view kSessionCookie = "__Host-vigil";

void InstallAuthGuard(Router& router, server::IdentityService& identity);

// The session cookie's value in `request`, or "".
std::string SessionCookie(const Request& request);
// Set-Cookie values that set or clear the session cookie.
std::string SetSessionCookie(std::string_view value);
std::string ClearSessionCookie();
// Whether the request says it was not made by the person (X-Vigil-Background: 1).
bool IsBackground(const Request& request);
server::ClientInfo ClientOf(const Request& request);

}  // namespace vigil::http
