#pragma once

// Router: maps (method, path pattern) to a handler and says who may call it.
//
// Patterns are exact paths ("/api/v1/me") or have whole segments as parameters
// ("/api/v1/users/{id}/disable"; a parameter matches one non-empty segment and is read with
// Request::Param). Unknown path -> 404, known path with another method -> 405 with an Allow
// header, a handler that throws -> 500 (logged); all three answer with a JsonError body. HEAD is
// served by the GET handler (the server sends no body).
//
// Deny by default: every route declares its Access (public, sign-in in progress, or one
// permission). Before a handler runs, the guard (SetGuard; http/auth.h provides Vigil's) checks
// the Access and fills Request::principal, or answers for it (401, 403...). Without a guard,
// only public routes answer; the rest get 401. routes() lists every route with its Access, so a
// test can check each against the permission table.
//
// Handlers are synchronous (fast work on the network thread) or asynchronous (slow work handed
// to a worker pool, answered later through Respond from any thread, exactly once).
//
// Thread safety: Add, AddAsync and SetGuard before the router is handed to a Server; afterwards
// Dispatch and routes are const and safe to call from many threads (as safe as the handlers).

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"
#include "identity/permissions.h"

namespace vigil::http {

struct Access {
  enum class Kind {
    kPublic,      // Anyone (health check, version, login, static assets).
    kSignIn,      // A session that is part-way through signing in (password change, MFA).
    kPermission,  // A fully signed-in session or API token holding `permission`.
    kDevice,      // A device with a verified certificate from Vigil's CA (the gateway only).
    kSensor,      // One of Vigil's sensors, by its certificate from the same CA (the gateway only).
  };
  Kind kind = Kind::kPermission;
  identity::Permission permission = identity::Permission::kSelf;
  // Only for a person's signed-in session, never an API token: changing one's own credentials,
  // ending sessions, minting tokens (so a token cannot renew or multiply itself).
  bool session_only = false;

  static Access Public() { return {.kind = Kind::kPublic}; }
  static Access SignIn() { return {.kind = Kind::kSignIn}; }
  static Access Device() { return {.kind = Kind::kDevice}; }
  static Access Sensor() { return {.kind = Kind::kSensor}; }
  static Access Needs(identity::Permission permission) {
    return {.kind = Kind::kPermission, .permission = permission};
  }
  static Access NeedsSession(identity::Permission permission) {
    return {.kind = Kind::kPermission, .permission = permission, .session_only = true};
  }
  // "public", "sign-in", "device", "sensor", the permission's name ("users.manage"), or it followed
  // by " (session)" for session-only routes.
  std::string Name() const;
  friend bool operator==(const Access&, const Access&) = default;
};

using Handler = std::function<Response(const Request&)>;
// Called exactly once with the answer, from any thread.
using Respond = std::function<void(Response)>;
using AsyncHandler = std::function<void(Request, Respond)>;
// Checks `access` for `request`: fills request.principal and returns nullopt to let the handler
// run, or returns the refusal to send instead.
using Guard = std::function<std::optional<Response>(Request& request, const Access& access)>;

class Router {
 public:
  struct Route {
    std::string method;
    std::string path;  // The pattern as registered.
    Access access;
    bool async = false;
    friend bool operator==(const Route&, const Route&) = default;
  };

  // Registers a handler for `method` (e.g. "GET") and `pattern`. Registering the same pair
  // twice, an empty method, a pattern not starting with '/', or a malformed parameter is a
  // programming error (VIGIL_CHECK).
  void Add(std::string method, std::string pattern, Access access, Handler handler);
  void AddAsync(std::string method, std::string pattern, Access access, AsyncHandler handler);
  void SetGuard(Guard guard);
  // Keeps `object` alive as long as the router (state that handlers refer to).
  void KeepAlive(std::shared_ptr<const void> object) { kept_.push_back(std::move(object)); }

  // Resolves the route, runs the guard, then the handler. Returns the answer for synchronous
  // routes and refusals; returns nullopt when an asynchronous handler took the request, and
  // then `respond` gets the answer later. Never throws.
  std::optional<Response> Dispatch(Request& request, const Respond& respond) const;

  // Dispatch, waiting for an asynchronous answer (tests and tools; never on a network thread).
  Response DispatchAndWait(Request request) const;

  // All routes, sorted by pattern then method.
  std::vector<Route> routes() const;

 private:
  struct Entry {
    Access access;
    Handler handler;
    AsyncHandler async_handler;
  };
  using Methods = std::map<std::string, Entry, std::less<>>;
  struct Pattern {
    std::string text;
    std::vector<std::string> segments;  // "{id}" marks a parameter.
    Methods methods;
  };

  void AddEntry(std::string method, std::string pattern, Entry entry);
  // The methods registered for `path`, with parameters stored into `request`; nullptr if none.
  const Methods* Find(std::string_view path, Request& request) const;

  std::map<std::string, Methods, std::less<>> exact_;
  std::vector<Pattern> patterns_;
  Guard guard_;
  std::vector<std::shared_ptr<const void>> kept_;
};

}  // namespace vigil::http
