#include "identity/permissions.h"

#include <array>
#include <cstddef>
#include <utility>

namespace vigil::identity {
namespace {

constexpr std::array kRoles = {Role::kAdmin, Role::kSecurityAnalyst, Role::kClinicalEngineer,
                               Role::kNetworkEngineer, Role::kAuditor};

constexpr std::array kPermissions = {
    Permission::kSelf,
    Permission::kUsersRead,
    Permission::kUsersManage,
    Permission::kTokensOwn,
    Permission::kTokensManage,
    Permission::kAuditRead,
    Permission::kCredentialsReport,
    Permission::kEmergencyReview,
    Permission::kDevicesRead,
    Permission::kDevicesManage,
    Permission::kDevicesRevoke,
    Permission::kInventoryRead,
};

constexpr std::array<std::pair<Role, std::string_view>, 5> kRoleNames = {{
    {Role::kAdmin, "admin"},
    {Role::kSecurityAnalyst, "security_analyst"},
    {Role::kClinicalEngineer, "clinical_engineer"},
    {Role::kNetworkEngineer, "network_engineer"},
    {Role::kAuditor, "auditor"},
}};

constexpr std::array<std::pair<Permission, std::string_view>, 12> kPermissionNames = {{
    {Permission::kSelf, "self"},
    {Permission::kUsersRead, "users.read"},
    {Permission::kUsersManage, "users.manage"},
    {Permission::kTokensOwn, "tokens.own"},
    {Permission::kTokensManage, "tokens.manage"},
    {Permission::kAuditRead, "audit.read"},
    {Permission::kCredentialsReport, "credentials.report"},
    {Permission::kEmergencyReview, "emergency.review"},
    {Permission::kDevicesRead, "devices.read"},
    {Permission::kDevicesManage, "devices.manage"},
    {Permission::kDevicesRevoke, "devices.revoke"},
    {Permission::kInventoryRead, "inventory.read"},
}};

static_assert(kRoleNames.size() == kRoles.size());
static_assert(kPermissionNames.size() == kPermissions.size());

}  // namespace

std::span<const Role> AllRoles() { return kRoles; }
std::span<const Permission> AllPermissions() { return kPermissions; }

std::string_view RoleName(Role role) {
  for (const auto& [value, name] : kRoleNames) {
    if (value == role) return name;
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (const auto& [value, role_name] : kRoleNames) {
    if (role_name == name) return value;
  }
  return std::nullopt;
}

std::string_view PermissionName(Permission permission) {
  for (const auto& [value, name] : kPermissionNames) {
    if (value == permission) return name;
  }
  return "unknown";
}

std::optional<Permission> ParsePermission(std::string_view name) {
  for (const auto& [value, permission_name] : kPermissionNames) {
    if (permission_name == name) return value;
  }
  return std::nullopt;
}

bool RoleHas(Role role, Permission permission) {
  switch (permission) {
    case Permission::kSelf:
    case Permission::kTokensOwn:
    case Permission::kDevicesRead:
    // Whoever may see the registered devices may see what the sensor observed.
    case Permission::kInventoryRead:
      return true;
    // Device lifecycle is the clinical (biomedical) engineers' work.
    case Permission::kDevicesManage:
      return role == Role::kAdmin || role == Role::kClinicalEngineer;
    // Shutting a stolen device out is incident response as well as lifecycle.
    case Permission::kDevicesRevoke:
      return role == Role::kAdmin || role == Role::kSecurityAnalyst ||
             role == Role::kClinicalEngineer;
    case Permission::kUsersRead:
    case Permission::kAuditRead:
    case Permission::kCredentialsReport:
      return role == Role::kAdmin || role == Role::kAuditor;
    case Permission::kUsersManage:
    case Permission::kTokensManage:
    case Permission::kEmergencyReview:
      return role == Role::kAdmin;
  }
  return false;
}

std::vector<Permission> RolePermissions(Role role) {
  std::vector<Permission> granted;
  for (Permission permission : kPermissions) {
    if (RoleHas(role, permission)) granted.push_back(permission);
  }
  return granted;
}

}  // namespace vigil::identity
