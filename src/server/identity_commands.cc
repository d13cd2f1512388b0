// Operator commands for accounts and API tokens (`vigil user ...`, `vigil token ...`), run by
// RunOperatorCommand either in the CLI's own process or in the server over the control socket.

#include "server/identity_commands.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <sstream>

#include "identity/credentials.h"
#include "server/identity_text.h"

namespace vigil::server {
namespace {

Outcome Usage(const LineSink& err, const std::string& message) {
  err(message);
  return Outcome::kUsage;
}

std::string Pad(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

std::string Date(std::int64_t unix_seconds) {
  const std::string full = FormatUnix(unix_seconds);
  return full.empty() ? "-" : full.substr(0, 16);
}

std::string State(const store::UserRecord& u, std::int64_t now) {
  std::string state = u.disabled ? "disabled" : "active";
  if (u.locked_until_unix > now) state += ",locked";
  if (u.must_change_password) state += ",new-password";
  if (!u.mfa_enrolled && !u.emergency) state += ",no-mfa";
  if (u.emergency) state += ",emergency";
  return state;
}

void PrintUser(const store::UserRecord& u, const LineSink& out) {
  out("user " + u.username + " (" + u.role + ", id " + u.id + ")");
}

Outcome Add(Runtime& rt, const CommandRequest& r, const LineSink& out, const LineSink& err) {
  auto issued = rt.identity().CreateUser(r.actor, Arg(r, "name"), Arg(r, "role"));
  if (!issued) return Fail(err, issued.error());
  PrintUser(issued->user, out);
  out("one-time password: " + issued->one_time_password);
  out("It is shown only now. At first sign-in the user chooses a new password and sets up MFA.");
  return Outcome::kOk;
}

Outcome AddEmergency(Runtime& rt, const CommandRequest& r, const LineSink& out,
                     const LineSink& err) {
  auto issued = rt.identity().CreateEmergencyUser(r.actor, Arg(r, "name"));
  if (!issued) return Fail(err, issued.error());
  PrintUser(issued->user, out);
  out("one-time password: " + issued->one_time_password);
  out("emergency code:    " + issued->emergency_code);
  out("Print both, seal them in an envelope and keep it in the hospital's safe. The emergency "
      "code replaces MFA for this account, works once, and every use is a high-severity audit "
      "event that needs a review (vigil user review-emergency SEQ --notes ...).");
  return Outcome::kOk;
}

Outcome EmergencyCode(Runtime& rt, const CommandRequest& r, const LineSink& out,
                      const LineSink& err) {
  auto issued = rt.identity().ReissueEmergencyCode(r.actor, Arg(r, "user"));
  if (!issued) return Fail(err, issued.error());
  out("emergency code for " + issued->user.username + ": " + issued->emergency_code);
  out("The previous code no longer works. Seal this one in a new envelope.");
  return Outcome::kOk;
}

Outcome List(Runtime& rt, const LineSink& out, const LineSink& err) {
  auto users = rt.identity().ListUsers();
  if (!users) return Fail(err, users.error());
  const std::int64_t now = rt.clock().NowUnixSeconds();
  out(Pad("NAME", 20) + Pad("ROLE", 19) + Pad("STATE", 34) + "LAST SIGN-IN");
  for (const auto& u : *users) {
    out(Pad(u.username, 20) + Pad(u.role, 19) + Pad(State(u, now), 34) + Date(u.last_login_unix));
  }
  return Outcome::kOk;
}

Outcome Change(const Result<store::UserRecord>& user, const std::string& what, const LineSink& out,
               const LineSink& err) {
  if (!user) return Fail(err, user.error());
  out(what + ": " + user->username + " (" + user->role + ")");
  return Outcome::kOk;
}

Outcome ResetPassword(Runtime& rt, const CommandRequest& r, const LineSink& out,
                      const LineSink& err) {
  auto issued = rt.identity().ResetPassword(r.actor, Arg(r, "user"));
  if (!issued) return Fail(err, issued.error());
  out("password reset for " + issued->user.username + "; their sessions ended.");
  out("one-time password: " + issued->one_time_password);
  return Outcome::kOk;
}

Outcome MfaEnrol(Runtime& rt, const CommandRequest& r, const LineSink& out, const LineSink& err) {
  auto enrolment = rt.identity().BeginConsoleEnrolment(r.actor, Arg(r, "user"));
  if (!enrolment) return Fail(err, enrolment.error());
  out("Scan this with the authenticator app of the person who owns the account:");
  std::stringstream lines(enrolment->qr_terminal);
  for (std::string line; std::getline(lines, line);) out(line);
  out("or type the key: " + enrolment->secret_base32);
  out("Then confirm with a code from the app: vigil user mfa-confirm " + Arg(r, "user") + " CODE");
  return Outcome::kOk;
}

Outcome MfaConfirm(Runtime& rt, const CommandRequest& r, const LineSink& out, const LineSink& err) {
  auto codes = rt.identity().ConfirmConsoleEnrolment(r.actor, Arg(r, "user"), Arg(r, "code"));
  if (!codes) return Fail(err, codes.error());
  out("MFA enrolled. Recovery codes (each works once; store them safely, they are shown only "
      "now):");
  for (const std::string& code : *codes) out("  " + code);
  return Outcome::kOk;
}

Outcome Review(Runtime& rt, const CommandRequest& r, const LineSink& out, const LineSink& err) {
  std::int64_t seq = 0;
  const std::string text = Arg(r, "seq");
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seq);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Usage(err, "SEQ must be the audit entry number of the emergency sign-in");
  }
  if (auto st = rt.identity().ReviewEmergencyUse(r.actor, seq, Arg(r, "notes")); !st) {
    return Fail(err, st.error());
  }
  out("review of audit entry " + text + " recorded");
  return Outcome::kOk;
}

// The principal a CLI token command acts for: the named user, as if signed in.
Result<identity::Principal> AsUser(Runtime& rt, const std::string& user_ref) {
  auto users = rt.identity().ListUsers();
  if (!users) return tl::unexpected(users.error());
  const std::string name = identity::NormalizeUsername(user_ref);
  for (const auto& u : *users) {
    if (u.id == user_ref || u.username == name) {
      return identity::Principal{
          .user_id = u.id,
          .username = u.username,
          .role = identity::ParseRole(u.role).value_or(identity::Role::kAuditor),
          .emergency = u.emergency};
    }
  }
  return MakeError(ErrorCode::kNotFound, "no user '" + Printable(user_ref) + "'");
}

std::vector<std::string> SplitScopes(const std::string& text) {
  std::vector<std::string> scopes;
  std::stringstream in(text);
  for (std::string scope; std::getline(in, scope, ',');) {
    if (!scope.empty()) scopes.push_back(scope);
  }
  return scopes;
}

Outcome TokenCreate(Runtime& rt, const CommandRequest& r, const LineSink& out,
                    const LineSink& err) {
  auto who = AsUser(rt, Arg(r, "user"));
  if (!who) return Fail(err, who.error());
  std::int64_t days = 0;
  if (const std::string text = Arg(r, "days"); !text.empty()) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), days);
    if (ec != std::errc() || end != text.data() + text.size()) {
      return Usage(err, "--expires takes a number of days");
    }
  }
  auto issued =
      rt.identity().CreateToken(*who, Arg(r, "name"), SplitScopes(Arg(r, "scopes")), days);
  if (!issued) return Fail(err, issued.error());
  out("token " + issued->token.id + " for " + who->username + ", expires " +
      Date(issued->token.expires_unix));
  out("secret: " + issued->secret);
  out("It is shown only now. Send it as 'Authorization: Bearer <secret>'.");
  return Outcome::kOk;
}

Outcome TokenList(Runtime& rt, const CommandRequest& r, const LineSink& out, const LineSink& err) {
  identity::Principal anyone{.role = identity::Role::kAdmin};
  const std::string user = Arg(r, "user");
  if (!user.empty()) {
    auto who = AsUser(rt, user);
    if (!who) return Fail(err, who.error());
    anyone = *who;
  }
  auto tokens = rt.identity().ListTokens(anyone, user.empty());
  auto users = rt.identity().ListUsers();
  if (!tokens) return Fail(err, tokens.error());
  if (!users) return Fail(err, users.error());
  out(Pad("ID", 34) + Pad("OWNER", 16) + Pad("NAME", 20) + Pad("EXPIRES", 18) +
      Pad("LAST USED", 18) + "SCOPES");
  for (const auto& t : *tokens) {
    std::string owner = t.user_id;
    for (const auto& u : *users) {
      if (u.id == t.user_id) owner = u.username;
    }
    std::string scopes;
    for (const auto& s : t.scopes) scopes += (scopes.empty() ? "" : ",") + s;
    out(Pad(t.id, 34) + Pad(owner, 16) + Pad(t.name, 20) +
        Pad(t.revoked_unix != 0 ? "revoked" : Date(t.expires_unix), 18) +
        Pad(Date(t.last_used_unix), 18) + scopes);
  }
  return Outcome::kOk;
}

Outcome TokenRevoke(Runtime& rt, const CommandRequest& r, const LineSink& out,
                    const LineSink& err) {
  const identity::Principal admin{.role = identity::Role::kAdmin};
  if (auto st = rt.identity().RevokeToken(admin, Arg(r, "id"), /*manage=*/true); !st) {
    return Fail(err, st.error());
  }
  out("token " + Arg(r, "id") + " revoked");
  return Outcome::kOk;
}

Outcome Report(Runtime& rt, const LineSink& out, const LineSink& err) {
  auto report = rt.identity().Report();
  if (!report) return Fail(err, report.error());
  if (report->items.empty()) {
    out("no credentials expiring within 14 days or unused for 90 days");
    return Outcome::kOk;
  }
  out(Pad("KIND", 9) + Pad("NAME", 22) + Pad("OWNER", 16) + "REASON");
  for (const auto& item : report->items) {
    out(Pad(item.kind, 9) + Pad(item.name, 22) + Pad(item.owner, 16) + item.reason);
  }
  return Outcome::kOk;
}

}  // namespace

std::optional<Outcome> RunIdentityCommand(Runtime& rt, const CommandRequest& r, const LineSink& out,
                                          const LineSink& err) {
  const std::string& n = r.name;
  IdentityService& id = rt.identity();
  if (n == "user.add") return Add(rt, r, out, err);
  if (n == "user.add_emergency") return AddEmergency(rt, r, out, err);
  if (n == "user.emergency_code") return EmergencyCode(rt, r, out, err);
  if (n == "user.list") return List(rt, out, err);
  if (n == "user.disable")
    return Change(id.SetDisabled(r.actor, Arg(r, "user"), true), "disabled", out, err);
  if (n == "user.enable")
    return Change(id.SetDisabled(r.actor, Arg(r, "user"), false), "enabled", out, err);
  if (n == "user.unlock") return Change(id.Unlock(r.actor, Arg(r, "user")), "unlocked", out, err);
  if (n == "user.set_role") {
    return Change(id.SetRole(r.actor, Arg(r, "user"), Arg(r, "role")), "role set", out, err);
  }
  if (n == "user.reset_mfa") {
    return Change(id.ResetMfa(r.actor, Arg(r, "user")),
                  "MFA reset (high-severity audit event); they enrol again at next sign-in", out,
                  err);
  }
  if (n == "user.reset_password") return ResetPassword(rt, r, out, err);
  if (n == "user.review_emergency") return Review(rt, r, out, err);
  if (n == "user.mfa_enrol") return MfaEnrol(rt, r, out, err);
  if (n == "user.mfa_confirm") return MfaConfirm(rt, r, out, err);
  if (n == "token.create") return TokenCreate(rt, r, out, err);
  if (n == "token.list") return TokenList(rt, r, out, err);
  if (n == "token.revoke") return TokenRevoke(rt, r, out, err);
  if (n == "credentials.report") return Report(rt, out, err);
  return std::nullopt;
}

}  // namespace vigil::server
