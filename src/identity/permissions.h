#pragma once

// Roles and permissions: who may do what. Every API route names one Permission (or none, for
// the few public routes); a role is a fixed set of permissions; anything not granted is denied.
// The table is documented in docs/permissions.md and a test checks the two agree.
//
// Thread safety: pure functions over constant tables. Errors: none; unknown names parse to
// std::nullopt.

#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace vigil::identity {

enum class Role { kAdmin, kSecurityAnalyst, kClinicalEngineer, kNetworkEngineer, kAuditor };

enum class Permission {
  kSelf,               // One's own account: profile, password, MFA, sessions, recovery codes.
  kUsersRead,          // List accounts and their state (access reviews).
  kUsersManage,        // Create, disable, set role, reset password or MFA.
  kTokensOwn,          // Create, list, rotate and revoke one's own API tokens.
  kTokensManage,       // List and revoke every account's API tokens.
  kAuditRead,          // Read and verify the audit log.
  kCredentialsReport,  // Credentials nearing expiry or unused.
  kEmergencyReview,    // Record the review after a break-glass login.
  kDevicesRead,        // Device records, certificates, heartbeats, telemetry and events.
  kDevicesManage,      // Create device records and enrolment tokens.
  kDevicesRevoke,      // Revoke a device's certificates (a stolen or retired device).
  kInventoryRead,      // Devices the passive sensor observed, their flows, peers and findings.
};

std::span<const Role> AllRoles();
std::span<const Permission> AllPermissions();

std::string_view RoleName(Role role);  // "security_analyst"
std::optional<Role> ParseRole(std::string_view name);
std::string_view PermissionName(Permission permission);  // "users.manage"
std::optional<Permission> ParsePermission(std::string_view name);

bool RoleHas(Role role, Permission permission);
std::vector<Permission> RolePermissions(Role role);  // In AllPermissions() order.

}  // namespace vigil::identity
