// Hash routes (#/login, #/account, ...): the server serves one index.html and needs no fallback
// routes. Pure: unit-tested in test/routes.test.ts.

export type AuthNextStage = 'password_change' | 'mfa_enrolment' | 'mfa' | 'emergency_code' | 'done';

/** Pages before sign-in is complete; the auth stage decides which one shows. */
export type AuthRoute = 'login' | 'password' | 'mfa-enrol' | 'mfa';
/** Pages of the application shell; "devices/ID" is one device's page, "inventory/ID" one observed device's. */
export type ShellRoute = 'account' | 'users' | 'tokens' | 'devices' | `devices/${string}` | 'inventory' | `inventory/${string}`;
export type Route = AuthRoute | ShellRoute;
/** Which page component shows a shell route. */
export type ShellPage = 'account' | 'users' | 'tokens' | 'devices' | 'device' | 'inventory' | 'inventory-device' | 'inventory-compare';

export const AUTH_ROUTES: readonly AuthRoute[] = ['login', 'password', 'mfa-enrol', 'mfa'];
export const SHELL_ROUTES: readonly ShellRoute[] = ['account', 'users', 'tokens', 'devices', 'inventory', 'inventory/compare'];
export const DEFAULT_SHELL_ROUTE: ShellRoute = 'account';

const DEVICE_ROUTE = /^devices\/([A-Za-z0-9_-]{1,64})$/;
// Observed device ids: "mac-001b2c3d4e5f", "ip-10.1.2.3", "ip-fe80::1" (percent-encoded in the address).
const INVENTORY_ROUTE = /^inventory\/([A-Za-z0-9_.:%-]{1,128})$/;
const paramRoute = (path: string) => DEVICE_ROUTE.test(path) || (INVENTORY_ROUTE.test(path) && path !== 'inventory/compare');

/** "#/users" -> "users", "#/devices/4f9c" -> "devices/4f9c"; unknown or empty -> null. Query strings after "?" are ignored. */
export function parseHash(hash: string): Route | null {
  const path = hash.replace(/^#\/?/, '').split('?')[0]!.replace(/\/+$/, '');
  const all: readonly string[] = [...AUTH_ROUTES, ...SHELL_ROUTES];
  if (all.includes(path)) return path as Route;
  return paramRoute(path) ? (path as Route) : null;
}

export function isShellRoute(route: Route | null): route is ShellRoute {
  return route !== null && ((SHELL_ROUTES as readonly string[]).includes(route) || paramRoute(route));
}

/** The page and its parameter: "devices/4f9c" -> { page: 'device', param: '4f9c' }; inventory ids are decoded. */
export function shellPage(route: ShellRoute): { page: ShellPage; param: string | null } {
  if (route === 'inventory/compare') return { page: 'inventory-compare', param: null };
  const m = DEVICE_ROUTE.exec(route);
  if (m !== null) return { page: 'device', param: m[1]! };
  const o = INVENTORY_ROUTE.exec(route);
  if (o !== null) {
    let id = o[1]!;
    try {
      id = decodeURIComponent(id);
    } catch {
      // A stray "%": keep the id as written; the server answers 404 for it.
    }
    return { page: 'inventory-device', param: id };
  }
  return { page: route as ShellPage, param: null };
}

/** The navigation entry a route belongs to ("devices/4f9c" -> "devices", "inventory/compare" -> "inventory"). */
export function navRoute(route: ShellRoute): ShellRoute {
  if (DEVICE_ROUTE.test(route)) return 'devices';
  return route.startsWith('inventory/') ? 'inventory' : route;
}

export function deviceRoute(id: string): ShellRoute {
  return ('devices/' + id) as ShellRoute;
}

/** An observed device's page ("ip-fe80::1" is encoded, "mac-001b2c3d4e5f" stays as it is). */
export function inventoryRoute(id: string): ShellRoute {
  return ('inventory/' + encodeURIComponent(id)) as ShellRoute;
}

export const INVENTORY_COMPARE_ROUTE: ShellRoute = 'inventory/compare';

export function hashFor(route: Route): string {
  return '#/' + route;
}

/** The page that the sign-in flow asks for, given the server's "next". */
export function routeForNext(next: AuthNextStage | null | undefined): AuthRoute | null {
  switch (next) {
    case 'password_change':
      return 'password';
    case 'mfa_enrolment':
      return 'mfa-enrol';
    case 'mfa':
    case 'emergency_code':
      return 'mfa';
    default:
      return null;
  }
}

export interface NavItem {
  route: ShellRoute;
  label: string;
}

/** Navigation for a signed-in person: only pages that exist and that the role may open. */
export function navItems(permissions: readonly string[]): NavItem[] {
  const items: NavItem[] = [{ route: 'account', label: 'Account' }];
  if (permissions.includes('users.read')) items.push({ route: 'users', label: 'Users' });
  if (permissions.includes('devices.read')) items.push({ route: 'devices', label: 'Devices' });
  if (permissions.includes('inventory.read')) items.push({ route: 'inventory', label: 'Inventory' });
  if (permissions.includes('tokens.own') || permissions.includes('tokens.manage')) {
    items.push({ route: 'tokens', label: 'API tokens' });
  }
  return items;
}

/** Which shell page to show for a requested hash route, given the permissions. */
export function resolveShellRoute(requested: Route | null, permissions: readonly string[]): ShellRoute {
  if (!isShellRoute(requested)) return DEFAULT_SHELL_ROUTE;
  const allowed = navItems(permissions).map((i) => i.route);
  return allowed.includes(navRoute(requested)) ? requested : DEFAULT_SHELL_ROUTE;
}
