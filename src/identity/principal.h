#pragma once

// Principal: who is making a request, once a session cookie or an API token has been checked.
// Route handlers read it to act on the caller's behalf and to write the audit log's actor.
//
// Thread-compatible plain data.

#include <string>
#include <vector>

#include "identity/permissions.h"

namespace vigil::identity {

struct Principal {
  std::string user_id;
  std::string username;
  Role role = Role::kAuditor;
  bool emergency = false;  // Signed in through the break-glass account.
  std::string session_id;  // Set when the request came with a session cookie.
  std::string token_id;    // Set when it came with an API token (then scopes apply).
  std::vector<Permission> token_scopes;

  bool via_token() const { return !token_id.empty(); }
  // The role's permission, narrowed to the token's scopes for token requests.
  bool Has(Permission permission) const;
  std::vector<Permission> Permissions() const;
};

}  // namespace vigil::identity
