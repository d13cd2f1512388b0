#include "identity/principal.h"

#include <algorithm>

namespace vigil::identity {

bool Principal::Has(Permission permission) const {
  if (!RoleHas(role, permission)) return false;
  if (!via_token()) return true;
  return std::find(token_scopes.begin(), token_scopes.end(), permission) != token_scopes.end();
}

std::vector<Permission> Principal::Permissions() const {
  std::vector<Permission> granted;
  for (Permission permission : AllPermissions()) {
    if (Has(permission)) granted.push_back(permission);
  }
  return granted;
}

}  // namespace vigil::identity
