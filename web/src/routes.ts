// Hash routes (#/login, #/account, ...): the server serves one index.html and needs no fallback
// routes. Pure: unit-tested in test/routes.test.ts.

export type AuthNextStage = 'password_change' | 'mfa_enrolment' | 'mfa' | 'emergency_code' | 'done';

/** Pages before sign-in is complete; the auth stage decides which one shows. */
export type AuthRoute = 'login' | 'password' | 'mfa-enrol' | 'mfa';
/** Pages of the application shell. */
export type ShellRoute = 'account' | 'users' | 'tokens';
export type Route = AuthRoute | ShellRoute;

export const AUTH_ROUTES: readonly AuthRoute[] = ['login', 'password', 'mfa-enrol', 'mfa'];
export const SHELL_ROUTES: readonly ShellRoute[] = ['account', 'users', 'tokens'];
export const DEFAULT_SHELL_ROUTE: ShellRoute = 'account';

/** "#/users" -> "users"; unknown or empty -> null. Query strings after "?" are ignored. */
export function parseHash(hash: string): Route | null {
  const path = hash.replace(/^#\/?/, '').split('?')[0]!.replace(/\/+$/, '');
  const all: readonly string[] = [...AUTH_ROUTES, ...SHELL_ROUTES];
  return all.includes(path) ? (path as Route) : null;
}

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
  if (permissions.includes('tokens.own') || permissions.includes('tokens.manage')) {
    items.push({ route: 'tokens', label: 'API tokens' });
  }
  return items;
}

/** Which shell page to show for a requested hash route, given the permissions. */
export function resolveShellRoute(requested: Route | null, permissions: readonly string[]): ShellRoute {
  const allowed = navItems(permissions).map((i) => i.route);
  if (requested !== null && (allowed as readonly string[]).includes(requested)) return requested as ShellRoute;
  return DEFAULT_SHELL_ROUTE;
}
