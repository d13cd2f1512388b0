#include "http/identity_routes.h"

#include <charconv>
#include <functional>
#include <map>
#include <memory>
#include <utility>

#include "core/time_format.h"
#include "http/auth.h"
#include "http/json_body.h"
#include "http/query.h"
#include "server/audit_service.h"
#include "server/runtime.h"

namespace vigil::http {
namespace {

using identity::Permission;
using nlohmann::json;
using server::AuthOutcome;

json TimeOrNull(std::int64_t unix_seconds) {
  if (unix_seconds == 0) return nullptr;
  return FormatRfc3339(unix_seconds * 1'000'000'000, 0);
}

std::string TimeText(TimePoint t) { return FormatRfc3339(ToUnixNanos(t), 0); }

json UserJson(const store::UserRecord& u, std::int64_t now) {
  return {{"id", u.id},
          {"username", u.username},
          {"role", u.role},
          {"disabled", u.disabled},
          {"emergency", u.emergency},
          {"mfa_enrolled", u.mfa_enrolled},
          {"must_change_password", u.must_change_password},
          {"failed_logins", u.failed_logins},
          {"locked_until", u.locked_until_unix > now ? TimeOrNull(u.locked_until_unix) : nullptr},
          {"last_login_at", TimeOrNull(u.last_login_unix)},
          {"created_at", TimeOrNull(u.created_unix)}};
}

json TokenJson(const store::TokenRecord& t, const std::string& username) {
  return {{"id", t.id},
          {"name", t.name},
          {"user_id", t.user_id},
          {"username", username},
          {"scopes", t.scopes},
          {"created_at", TimeOrNull(t.created_unix)},
          {"expires_at", TimeOrNull(t.expires_unix)},
          {"last_used_at", TimeOrNull(t.last_used_unix)},
          {"revoked_at", TimeOrNull(t.revoked_unix)}};
}

json SessionJson(const identity::SessionInfo& s, const Clock& clock) {
  return {{"stage", s.step == identity::SignInStep::kDone ? "authenticated" : "pending"},
          {"next", identity::StepName(s.step)},
          {"idle_expires_at", TimeText(s.idle_expires)},
          {"absolute_expires_at", TimeText(s.absolute_expires)},
          {"now", TimeText(clock.Now())},
          {"csrf_token", s.csrf_token}};
}

// The answer for a refused or accepted sign-in step.
Response OutcomeResponse(const AuthOutcome& outcome, json ok_body) {
  switch (outcome.kind) {
    case AuthOutcome::Kind::kOk: {
      ok_body["next"] = identity::StepName(outcome.next);
      if (!outcome.csrf_token.empty()) ok_body["csrf_token"] = outcome.csrf_token;
      if (!outcome.recovery_codes.empty()) ok_body["recovery_codes"] = outcome.recovery_codes;
      Response response = Json(200, ok_body);
      if (!outcome.cookie.empty()) {
        response.headers.emplace_back("Set-Cookie", SetSessionCookie(outcome.cookie));
      }
      return response;
    }
    case AuthOutcome::Kind::kInvalid:
      return JsonError(401, "invalid_credentials", outcome.message);
    case AuthOutcome::Kind::kLocked:
    case AuthOutcome::Kind::kRateLimited: {
      Response response =
          JsonError(429, outcome.kind == AuthOutcome::Kind::kLocked ? "locked" : "rate_limited",
                    outcome.message);
      response.headers.emplace_back("Retry-After", std::to_string(outcome.retry_after_seconds));
      return response;
    }
  }
  return JsonError(500, "internal", "internal server error");
}

class Routes {
 public:
  Routes(Router& router, server::Runtime& runtime, WorkerPool& pool)
      : router_(router), rt_(runtime), id_(runtime.identity()), pool_(pool) {}

  void AddAll() {
    AddSignIn();
    AddSelf();
    AddUsers();
    AddTokens();
    AddAudit();
  }

 private:
  using Sync = std::function<Response(const Request&)>;

  void Slow(std::string method, std::string path, Access access, Sync work) {
    router_.AddAsync(std::move(method), std::move(path), access,
                     [this, work = std::move(work)](Request request, Respond respond) {
                       OnPool(pool_, std::move(request), std::move(respond), work,
                              "the server is busy with other sign-ins; try again");
                     });
  }

  std::int64_t Now() const { return rt_.clock().NowUnixSeconds(); }

  void AddSignIn() {
    Slow("POST", "/api/v1/auth/login", Access::Public(), [this](const Request& request) {
      auto body = ParseObject(request);
      if (!body) return ErrorResponse(body.error());
      auto username = StringField(*body, "username", 256);
      auto password = StringField(*body, "password", 4096);
      if (!username) return ErrorResponse(username.error());
      if (!password) return ErrorResponse(password.error());
      return OutcomeResponse(id_.Login(*username, *password, ClientOf(request)), json::object());
    });
    router_.Add("GET", "/api/v1/auth/session", Access::Public(), [this](const Request& request) {
      // Never extends the session: this is the dashboard's expiry check.
      auto session = id_.FindSession(SessionCookie(request), /*person=*/false);
      if (!session) {
        const bool expired = session.error().message == "session expired";
        return JsonError(401, expired ? "session_expired" : "unauthenticated",
                         session.error().message);
      }
      return Json(200, SessionJson(*session, rt_.clock()));
    });
    Slow("POST", "/api/v1/auth/password", Access::SignIn(), [this](const Request& request) {
      auto body = ParseObject(request);
      if (!body) return ErrorResponse(body.error());
      auto password = StringField(*body, "new_password", 4096);
      if (!password) return ErrorResponse(password.error());
      auto outcome =
          id_.ChangeInitialPassword(request.principal->session_id, *password, ClientOf(request));
      if (!outcome) {
        if (outcome.error().code == ErrorCode::kInvalidArgument) {
          return JsonError(400, "weak_password", outcome.error().message);
        }
        return ErrorResponse(outcome.error());
      }
      return OutcomeResponse(*outcome, json::object());
    });
    router_.Add("POST", "/api/v1/auth/mfa/enrol", Access::SignIn(), [this](const Request& request) {
      auto enrolment = id_.BeginEnrolment(request.principal->session_id);
      if (!enrolment) return ErrorResponse(enrolment.error());
      return Json(200, {{"secret", enrolment->secret_base32},
                        {"otpauth_uri", enrolment->otpauth_uri},
                        {"qr_svg", enrolment->qr_svg}});
    });
    router_.Add("POST", "/api/v1/auth/mfa/enrol/confirm", Access::SignIn(),
                [this](const Request& request) {
                  auto body = ParseObject(request);
                  if (!body) return ErrorResponse(body.error());
                  auto code = StringField(*body, "code", 32);
                  if (!code) return ErrorResponse(code.error());
                  AuthOutcome outcome =
                      id_.ConfirmEnrolment(request.principal->session_id, *code, ClientOf(request));
                  if (outcome.kind == AuthOutcome::Kind::kInvalid) {
                    return JsonError(401, "invalid_code", outcome.message);
                  }
                  return OutcomeResponse(outcome, json::object());
                });
    Slow("POST", "/api/v1/auth/mfa", Access::SignIn(), [this](const Request& request) {
      auto body = ParseObject(request);
      if (!body) return ErrorResponse(body.error());
      using Kind = server::IdentityService::FactorKind;
      Kind kind = Kind::kTotp;
      std::string code;
      for (const auto& [field, which] :
           {std::pair{"code", Kind::kTotp}, std::pair{"recovery_code", Kind::kRecoveryCode},
            std::pair{"emergency_code", Kind::kEmergencyCode}}) {
        auto value = OptionalString(*body, field, 128);
        if (!value) return ErrorResponse(value.error());
        if (!value->empty()) {
          kind = which;
          code = std::move(*value);
          break;
        }
      }
      if (code.empty()) {
        return JsonError(400, "invalid_argument",
                         "send one of 'code', 'recovery_code' or 'emergency_code'");
      }
      AuthOutcome outcome =
          id_.SecondFactor(request.principal->session_id, kind, code, ClientOf(request));
      if (outcome.kind == AuthOutcome::Kind::kInvalid) {
        return JsonError(401, "invalid_code", outcome.message);
      }
      return OutcomeResponse(outcome, json::object());
    });
  }

  void AddSelf() {
    const Access self = Access::Needs(Permission::kSelf);
    const Access own_session = Access::NeedsSession(Permission::kSelf);
    router_.Add("POST", "/api/v1/auth/logout", own_session, [this](const Request& request) {
      if (auto st = id_.Logout(*request.principal, ClientOf(request)); !st) {
        return ErrorResponse(st.error());
      }
      Response response{.status = 204, .content_type = {}, .body = {}};
      response.headers.emplace_back("Set-Cookie", ClearSessionCookie());
      return response;
    });
    router_.Add("POST", "/api/v1/auth/logout-all", own_session, [this](const Request& request) {
      if (auto st = id_.LogoutEverywhere(*request.principal, ClientOf(request)); !st) {
        return ErrorResponse(st.error());
      }
      Response response{.status = 204, .content_type = {}, .body = {}};
      response.headers.emplace_back("Set-Cookie", ClearSessionCookie());
      return response;
    });
    router_.Add("POST", "/api/v1/auth/keepalive", own_session, [this](const Request& request) {
      auto session = id_.FindSession(SessionCookie(request), /*person=*/false);
      if (!session) return JsonError(400, "invalid_argument", "keepalive needs a session cookie");
      return Json(200, SessionJson(*session, rt_.clock()));
    });
    // The cheapest authenticated answer: for scripts and probes checking their credentials.
    router_.Add("GET", "/api/v1/auth/check", self,
                [](const Request&) { return JsonResponse(200, R"({"status":"ok"})"); });
    router_.Add("GET", "/api/v1/me", self, [this](const Request& request) {
      const identity::Principal& who = *request.principal;
      auto user = id_.GetUser(who.user_id);
      if (!user) return ErrorResponse(user.error());
      json permissions = json::array();
      for (Permission p : who.Permissions()) permissions.push_back(identity::PermissionName(p));
      json body = {{"id", user->id},
                   {"username", user->username},
                   {"role", user->role},
                   {"permissions", permissions},
                   {"emergency", user->emergency},
                   {"mfa_enrolled", user->mfa_enrolled},
                   {"via_token", who.via_token()}};
      if (!who.via_token()) {
        if (auto session = id_.FindSession(SessionCookie(request), false)) {
          body["csrf_token"] = session->csrf_token;
        }
      }
      return Json(200, body);
    });
    Slow("POST", "/api/v1/me/password", own_session, [this](const Request& request) {
      auto body = ParseObject(request);
      if (!body) return ErrorResponse(body.error());
      auto current = StringField(*body, "current_password", 4096);
      auto next = StringField(*body, "new_password", 4096);
      if (!current) return ErrorResponse(current.error());
      if (!next) return ErrorResponse(next.error());
      auto st = id_.ChangePassword(*request.principal, *current, *next, ClientOf(request));
      if (!st) {
        if (st.error().code == ErrorCode::kInvalidArgument) {
          return JsonError(400, "weak_password", st.error().message);
        }
        if (st.error().code == ErrorCode::kUnauthenticated) {
          return JsonError(401, "invalid_credentials", st.error().message);
        }
        return ErrorResponse(st.error());
      }
      return Response{.status = 204, .content_type = {}, .body = {}};
    });
    router_.Add("POST", "/api/v1/me/recovery-codes", own_session, [this](const Request& request) {
      auto body = ParseObject(request);
      if (!body) return ErrorResponse(body.error());
      auto code = StringField(*body, "code", 32);
      if (!code) return ErrorResponse(code.error());
      auto codes = id_.RegenerateRecoveryCodes(*request.principal, *code);
      if (!codes) {
        if (codes.error().code == ErrorCode::kUnauthenticated) {
          return JsonError(401, "invalid_code", codes.error().message);
        }
        return ErrorResponse(codes.error());
      }
      return Json(200, {{"recovery_codes", *codes}});
    });
    router_.Add("GET", "/api/v1/me/sessions", own_session, [this](const Request& request) {
      json list = json::array();
      for (const auto& s : id_.Sessions(request.principal->user_id)) {
        list.push_back({{"id", s.id},
                        {"created_at", TimeText(s.created)},
                        {"last_seen_at", TimeText(s.last_active)},
                        {"remote_address", s.remote_address},
                        {"user_agent", s.user_agent},
                        {"current", s.id == request.principal->session_id}});
      }
      return Json(200, {{"sessions", list}});
    });
    router_.Add("DELETE", "/api/v1/me/sessions/{id}", own_session, [this](const Request& request) {
      if (auto st = id_.EndSession(*request.principal, request.Param("id")); !st) {
        return ErrorResponse(st.error());
      }
      return Response{.status = 204, .content_type = {}, .body = {}};
    });
  }

  void AddUsers() {
    const Access manage = Access::Needs(Permission::kUsersManage);
    router_.Add("GET", "/api/v1/users", Access::Needs(Permission::kUsersRead),
                [this](const Request&) {
                  auto users = id_.ListUsers();
                  if (!users) return ErrorResponse(users.error());
                  json list = json::array();
                  for (const auto& u : *users) list.push_back(UserJson(u, Now()));
                  return Json(200, {{"users", list}});
                });
    Slow("POST", "/api/v1/users", manage, [this](const Request& request) {
      auto body = ParseObject(request);
      if (!body) return ErrorResponse(body.error());
      auto username = StringField(*body, "username", 64);
      auto role = StringField(*body, "role", 64);
      if (!username) return ErrorResponse(username.error());
      if (!role) return ErrorResponse(role.error());
      auto issued =
          id_.CreateUser(server::IdentityService::ActorOf(*request.principal), *username, *role);
      if (!issued) return ErrorResponse(issued.error());
      return Json(201, {{"user", UserJson(issued->user, Now())},
                        {"one_time_password", issued->one_time_password}});
    });
    AddUserAction("disable", [this](const audit::Actor& actor, std::string_view id, const json&) {
      return id_.SetDisabled(actor, id, true);
    });
    AddUserAction("enable", [this](const audit::Actor& actor, std::string_view id, const json&) {
      return id_.SetDisabled(actor, id, false);
    });
    AddUserAction("unlock", [this](const audit::Actor& actor, std::string_view id, const json&) {
      return id_.Unlock(actor, id);
    });
    AddUserAction("reset-mfa", [this](const audit::Actor& actor, std::string_view id, const json&) {
      return id_.ResetMfa(actor, id);
    });
    AddUserAction("role",
                  [this](const audit::Actor& actor, std::string_view id,
                         const json& body) -> Result<store::UserRecord> {
                    auto role = StringField(body, "role", 64);
                    if (!role) return tl::unexpected(role.error());
                    return id_.SetRole(actor, id, *role);
                  });
    Slow("POST", "/api/v1/users/{id}/reset-password", manage, [this](const Request& request) {
      auto issued = id_.ResetPassword(server::IdentityService::ActorOf(*request.principal),
                                      request.Param("id"));
      if (!issued) return ErrorResponse(issued.error());
      return Json(200, {{"user", UserJson(issued->user, Now())},
                        {"one_time_password", issued->one_time_password}});
    });
    router_.Add("GET", "/api/v1/credentials/report", Access::Needs(Permission::kCredentialsReport),
                [this](const Request&) {
                  auto report = id_.Report();
                  if (!report) return ErrorResponse(report.error());
                  json items = json::array();
                  for (const auto& item : report->items) {
                    items.push_back({{"kind", item.kind},
                                     {"id", item.id},
                                     {"name", item.name},
                                     {"owner", item.owner},
                                     {"reason", item.reason},
                                     {"expires_at", TimeOrNull(item.expires_unix)},
                                     {"last_used_at", TimeOrNull(item.last_used_unix)}});
                  }
                  return Json(200, {{"items", items}});
                });
    router_.Add("POST", "/api/v1/emergency/reviews",
                Access::NeedsSession(Permission::kEmergencyReview), [this](const Request& request) {
                  auto body = ParseObject(request);
                  if (!body) return ErrorResponse(body.error());
                  auto seq = IntField(*body, "audit_seq", 0);
                  auto notes = StringField(*body, "notes", 4000);
                  if (!seq) return ErrorResponse(seq.error());
                  if (!notes) return ErrorResponse(notes.error());
                  if (auto st = id_.ReviewEmergencyUse(
                          server::IdentityService::ActorOf(*request.principal), *seq, *notes);
                      !st) {
                    return ErrorResponse(st.error());
                  }
                  return Response{.status = 204, .content_type = {}, .body = {}};
                });
  }

  using UserAction =
      std::function<Result<store::UserRecord>(const audit::Actor&, std::string_view, const json&)>;
  void AddUserAction(const std::string& action, UserAction run) {
    router_.Add("POST", "/api/v1/users/{id}/" + action, Access::Needs(Permission::kUsersManage),
                [this, run = std::move(run)](const Request& request) {
                  json body = json::object();
                  if (!request.body.empty()) {
                    auto parsed = ParseObject(request);
                    if (!parsed) return ErrorResponse(parsed.error());
                    body = std::move(*parsed);
                  }
                  auto user = run(server::IdentityService::ActorOf(*request.principal),
                                  request.Param("id"), body);
                  if (!user) return ErrorResponse(user.error());
                  return Json(200, {{"user", UserJson(*user, Now())}});
                });
  }

  void AddTokens() {
    const Access own = Access::Needs(Permission::kTokensOwn);
    router_.Add("GET", "/api/v1/tokens", own, [this](const Request& request) {
      std::int64_t all_flag = 0;
      const bool all = ReadQueryInt(request.query, "all", all_flag) && all_flag == 1 &&
                       request.principal->Has(Permission::kTokensManage);
      auto tokens = id_.ListTokens(*request.principal, all);
      auto users = id_.ListUsers();
      if (!tokens) return ErrorResponse(tokens.error());
      if (!users) return ErrorResponse(users.error());
      std::map<std::string, std::string> names;
      for (const auto& u : *users) names[u.id] = u.username;
      json list = json::array();
      for (const auto& t : *tokens) list.push_back(TokenJson(t, names[t.user_id]));
      return Json(200, {{"tokens", list}});
    });
    const Access own_session = Access::NeedsSession(Permission::kTokensOwn);
    router_.Add("POST", "/api/v1/tokens", own_session, [this](const Request& request) {
      auto body = ParseObject(request);
      if (!body) return ErrorResponse(body.error());
      auto name = StringField(*body, "name", 64);
      auto scopes = StringList(*body, "scopes");
      auto days = IntField(*body, "expires_in_days", 0);
      if (!name) return ErrorResponse(name.error());
      if (!scopes) return ErrorResponse(scopes.error());
      if (!days) return ErrorResponse(days.error());
      auto issued = id_.CreateToken(*request.principal, *name, *scopes, *days);
      if (!issued) return ErrorResponse(issued.error());
      return Json(201, {{"token", TokenJson(issued->token, request.principal->username)},
                        {"secret", issued->secret}});
    });
    // Only one's own tokens: rotating someone else's would hand their credential to the caller.
    router_.Add("POST", "/api/v1/tokens/{id}/rotate", own_session, [this](const Request& request) {
      auto issued = id_.RotateToken(*request.principal, request.Param("id"), /*manage=*/false);
      if (!issued) return ErrorResponse(issued.error());
      return Json(200, {{"token", TokenJson(issued->token, request.principal->username)},
                        {"secret", issued->secret}});
    });
    router_.Add("DELETE", "/api/v1/tokens/{id}", own, [this](const Request& request) {
      if (auto st = id_.RevokeToken(*request.principal, request.Param("id"),
                                    request.principal->Has(Permission::kTokensManage));
          !st) {
        return ErrorResponse(st.error());
      }
      return Response{.status = 204, .content_type = {}, .body = {}};
    });
  }

  void AddAudit() {
    router_.Add("GET", "/api/v1/audit/events", Access::Needs(Permission::kAuditRead),
                [this](const Request& request) {
                  std::int64_t from = 1;
                  std::int64_t limit = 100;
                  if (!ReadQueryInt(request.query, "from", from) ||
                      !ReadQueryInt(request.query, "limit", limit) || limit < 1 || limit > 1000) {
                    return JsonError(400, "invalid_argument",
                                     "from and limit must be integers (limit 1 to 1000)");
                  }
                  auto lines = server::AuditService(rt_).Page(from, limit);
                  if (!lines) return ErrorResponse(lines.error());
                  std::string body = "{\"events\":[";
                  for (std::size_t i = 0; i < lines->size(); ++i) {
                    if (i > 0) body += ',';
                    body += (*lines)[i];
                  }
                  body += "]}";
                  return JsonResponse(200, std::move(body));
                });
    Slow("GET", "/api/v1/audit/verify", Access::Needs(Permission::kAuditRead),
         [this](const Request&) {
           auto report = server::AuditService(rt_).Verify();
           if (!report) return ErrorResponse(report.error());
           json body = {{"ok", report->ok},
                        {"entries_checked", report->entries_checked},
                        {"last_seq", report->last_seq},
                        {"checkpoints_checked", report->checkpoints_checked},
                        {"problem", report->problem}};
           if (report->broken_seq) body["broken_seq"] = *report->broken_seq;
           return Json(200, body);
         });
  }

  Router& router_;
  server::Runtime& rt_;
  server::IdentityService& id_;
  WorkerPool& pool_;
};

}  // namespace

void AddIdentityRoutes(Router& router, server::Runtime& runtime, WorkerPool& pool) {
  // Handlers refer to the Routes object; the router keeps it alive as long as they are.
  auto routes = std::make_shared<Routes>(router, runtime, pool);
  routes->AddAll();
  router.KeepAlive(routes);
  InstallAuthGuard(router, runtime.identity());
}

}  // namespace vigil::http
