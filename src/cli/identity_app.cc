#include "cli/identity_app.h"

#include <CLI/CLI.hpp>

#include "cli/app.h"
#include "cli/commands.h"

namespace vigil::cli {
void AddIdentityCommands(CLI::App& app, CommonOptions& options, IdentityArgs& a, int& code) {
  auto* user = app.add_subcommand("user", "operator accounts");
  user->require_subcommand(1);
  auto* add = OperatorCommand(user, "add", "create an account; prints its one-time password",
                              "user.add", options, code, {{"name", &a.name}, {"role", &a.role}});
  add->add_option("NAME", a.name, "user name")->required();
  add->add_option("--role", a.role,
                  "admin, security_analyst, clinical_engineer, network_engineer or auditor")
      ->required();
  OperatorCommand(user, "list", "list accounts and their state", "user.list", options, code, {});
  for (const auto& [sub, name, help] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"disable", "user.disable", "disable an account and end its sessions"},
           {"enable", "user.enable", "enable a disabled account"},
           {"unlock", "user.unlock", "clear a lockout after failed sign-ins"},
           {"reset-mfa", "user.reset_mfa", "remove a user's authenticator (audited, high)"},
           {"reset-password", "user.reset_password", "issue a new one-time password"},
           {"emergency-code", "user.emergency_code",
            "issue a new code for the break-glass account"},
       }) {
    auto* cmd = OperatorCommand(user, sub, help, name, options, code, {{"user", &a.user}});
    cmd->add_option("NAME", a.user, "user name or id")->required();
  }
  auto* role = OperatorCommand(user, "set-role", "change a user's role", "user.set_role", options,
                               code, {{"user", &a.user}, {"role", &a.role}});
  role->add_option("NAME", a.user, "user name or id")->required();
  role->add_option("ROLE", a.role, "the new role")->required();
  auto* glass =
      OperatorCommand(user, "add-emergency",
                      "create the break-glass account (password + single-use emergency code)",
                      "user.add_emergency", options, code, {{"name", &a.name}});
  glass->add_option("NAME", a.name, "user name, e.g. emergency")->required();
  auto* review = OperatorCommand(
      user, "review-emergency",
      "record the review of a break-glass sign-in (its audit entry number)",
      "user.review_emergency", options, code, {{"seq", &a.seq}, {"notes", &a.notes}});
  review->add_option("SEQ", a.seq, "audit entry number of auth.emergency.used")->required();
  review->add_option("--notes", a.notes, "who used it, why, and what was done")->required();

  auto* enrol = OperatorCommand(user, "mfa-enrol",
                                "set up an authenticator at the console: prints a QR code to scan",
                                "user.mfa_enrol", options, code, {{"user", &a.user}});
  enrol->add_option("NAME", a.user, "user name or id")->required();
  auto* confirm =
      OperatorCommand(user, "mfa-confirm", "finish mfa-enrol with a code from the app",
                      "user.mfa_confirm", options, code, {{"user", &a.user}, {"code", &a.id}});
  confirm->add_option("NAME", a.user, "user name or id")->required();
  confirm->add_option("CODE", a.id, "the 6-digit code the app shows")->required();

  auto* token = app.add_subcommand("token", "API tokens for scripts and SIEM integrations");
  token->require_subcommand(1);
  auto* create = OperatorCommand(
      token, "create", "create a token; prints its secret once", "token.create", options, code,
      {{"user", &a.user}, {"name", &a.name}, {"scopes", &a.scopes}, {"days", &a.days}});
  create->add_option("--user", a.user, "the owner (the token never exceeds their role)")
      ->required();
  create->add_option("--name", a.name, "a label, e.g. siem-export")->required();
  create->add_option("--scope", a.scopes, "permissions, comma-separated (e.g. audit.read)")
      ->required();
  create->add_option("--expires", a.days, "days until it expires (default 90)");
  auto* list = OperatorCommand(token, "list", "list tokens", "token.list", options, code,
                               {{"user", &a.user}});
  list->add_option("--user", a.user, "only this user's tokens");
  auto* revoke = OperatorCommand(token, "revoke", "revoke a token at once", "token.revoke", options,
                                 code, {{"id", &a.id}});
  revoke->add_option("ID", a.id, "token id")->required();

  auto* credentials = app.add_subcommand("credentials", "credential hygiene");
  credentials->require_subcommand(1);
  OperatorCommand(credentials, "report", "credentials expiring soon or unused for 90 days",
                  "credentials.report", options, code, {});
}

}  // namespace vigil::cli
