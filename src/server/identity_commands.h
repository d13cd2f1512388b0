#pragma once

// The operator commands for accounts and API tokens: user.add, user.add_emergency,
// user.emergency_code, user.list, user.disable, user.enable, user.unlock, user.set_role,
// user.reset_mfa, user.reset_password, user.review_emergency, user.mfa_enrol, user.mfa_confirm,
// token.create, token.list, token.revoke, credentials.report (arguments: "name", "role", "user",
// "seq", "notes", "scopes" comma-separated, "days", "id", "code"). Part of RunOperatorCommand.

#include <optional>

#include "server/operator_commands.h"

namespace vigil::server {

// nullopt when `request` is not one of these commands.
std::optional<Outcome> RunIdentityCommand(Runtime& runtime, const CommandRequest& request,
                                          const LineSink& out, const LineSink& err);

}  // namespace vigil::server
