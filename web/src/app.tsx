// The application: the sign-in state machine, the hash router and the shell (top bar,
// navigation, who is signed in, sign-out, the session-expiry watch). Pages plug in through
// SHELL_PAGES below and routes.ts.

import type { ComponentChildren, ComponentType } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, errorText, onSessionGone, setCsrfToken, type AuthNext, type Me, type SessionInfo } from './api.ts';
import { Banner } from './components/Banner.tsx';
import { Button } from './components/Button.tsx';
import { AppContext, useApp, type AppActions, type Flash } from './context.ts';
import { roleLabel } from './format.ts';
import { AccountPage } from './pages/account.tsx';
import { DevicePage } from './pages/device.tsx';
import { DevicesPage } from './pages/devices.tsx';
import { InventoryComparePage } from './pages/inventory-compare.tsx';
import { InventoryDevicePage } from './pages/inventory-device.tsx';
import { InventoryPage } from './pages/inventory.tsx';
import { LoginPage } from './pages/login.tsx';
import { MfaChallengePage } from './pages/mfa-challenge.tsx';
import { MfaEnrolPage } from './pages/mfa-enrol.tsx';
import { PasswordChangePage } from './pages/password-change.tsx';
import { TokensPage } from './pages/tokens.tsx';
import { UsersPage } from './pages/users.tsx';
import { hashFor, isShellRoute, navItems, navRoute, parseHash, resolveShellRoute, routeForNext, shellPage, type Route, type ShellPage, type ShellRoute } from './routes.ts';
import { SessionWatch } from './session.tsx';

/** Every shell page gets the person and, for routes like "devices/ID", the parameter. */
export interface ShellPageProps {
  me: Me;
  param: string | null;
}

const SHELL_PAGES: Record<ShellPage, ComponentType<ShellPageProps>> = {
  account: AccountPage,
  users: UsersPage,
  tokens: TokensPage,
  devices: DevicesPage,
  device: DevicePage,
  inventory: InventoryPage,
  'inventory-device': InventoryDevicePage,
  'inventory-compare': InventoryComparePage,
};

export const SESSION_EXPIRED: Flash = { tone: 'warning', text: 'Your session expired. Please sign in again.' };

type Auth =
  | { kind: 'loading' }
  | { kind: 'unavailable'; message: string }
  | { kind: 'anonymous'; flash: Flash | null }
  | { kind: 'pending'; next: AuthNext; session: SessionInfo | null }
  | { kind: 'authenticated'; me: Me; session: SessionInfo | null };

function useHashRoute(): [Route | null, (route: Route, replace?: boolean, query?: string) => void] {
  const [route, setRoute] = useState<Route | null>(() => parseHash(window.location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  const go = useCallback((next: Route, replace = false, query = '') => {
    const hash = hashFor(next) + (query === '' ? '' : '?' + query);
    if (window.location.hash === hash) return;
    if (replace) {
      window.history.replaceState(null, '', hash);
      setRoute(next);
      // The page may already have read the address without its query: tell it (replaceState does not).
      if (query !== '') window.dispatchEvent(new HashChangeEvent('hashchange'));
    } else {
      window.location.hash = hash; // fires hashchange
    }
  }, []);
  return [route, go];
}

export function App() {
  const [auth, setAuth] = useState<Auth>({ kind: 'loading' });
  const [route, go] = useHashRoute();
  // A shell page asked for before sign-in (a bookmark, a link): shown once sign-in completes,
  // with its query (the inventory's filters).
  const wanted = useRef<Route | null>(isShellRoute(route) ? route : null);
  const wantedQuery = useRef(hashQuery());

  const routeRef = useRef(route);
  routeRef.current = route;
  const rememberPage = () => {
    const r = routeRef.current;
    if (isShellRoute(r)) {
      wanted.current = r;
      wantedQuery.current = hashQuery();
    }
  };

  const signedOut = useCallback((flash?: Flash) => {
    setCsrfToken(null);
    if (flash === SESSION_EXPIRED) rememberPage();
    setAuth({ kind: 'anonymous', flash: flash ?? null });
  }, []);

  const loadMe = useCallback(async (session: SessionInfo | null) => {
    const me = await api.me();
    setAuth({ kind: 'authenticated', me, session });
  }, []);

  const start = useCallback(async () => {
    setAuth({ kind: 'loading' });
    try {
      const session = await api.session({ background: true });
      if (session.stage === 'authenticated') await loadMe(session);
      else setAuth({ kind: 'pending', next: session.next ?? 'password_change', session });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setAuth({ kind: 'anonymous', flash: null });
      else setAuth({ kind: 'unavailable', message: errorText(e) });
    }
  }, [loadMe]);

  useEffect(() => {
    void start();
  }, [start]);

  // Any request that finds the session gone sends the person back to the login page.
  useEffect(
    () =>
      onSessionGone((error) => {
        setAuth((current) => {
          if (current.kind === 'anonymous' || current.kind === 'loading') return current;
          setCsrfToken(null);
          if (current.kind === 'authenticated') rememberPage();
          return {
            kind: 'anonymous',
            flash: error.code === 'session_expired' || current.kind === 'authenticated' ? SESSION_EXPIRED : { tone: 'info', text: 'Please sign in again.' },
          };
        });
      }),
    [],
  );

  const advance = useCallback(
    async (next: AuthNext) => {
      if (next === 'done') await loadMe(null);
      else setAuth({ kind: 'pending', next, session: null });
    },
    [loadMe],
  );

  const signOut = useCallback(async () => {
    try {
      await api.logout();
    } catch {
      // Forget the session locally all the same: the person asked to leave.
    }
    signedOut({ tone: 'info', text: 'You have signed out.' });
  }, [signedOut]);

  const refreshMe = useCallback(async () => {
    const me = await api.me();
    setAuth((current) => (current.kind === 'authenticated' ? { ...current, me } : current));
  }, []);

  const me = auth.kind === 'authenticated' ? auth.me : null;
  const actions = useMemo<AppActions>(() => ({ me, advance, signedOut, signOut, refreshMe }), [me, advance, signedOut, signOut, refreshMe]);

  // Keep the address bar in step with what is shown.
  let shown: Route | null = null;
  if (auth.kind === 'anonymous') shown = 'login';
  else if (auth.kind === 'pending') shown = routeForNext(auth.next) ?? 'login';
  else if (auth.kind === 'authenticated') shown = resolveShellRoute(wanted.current ?? route, auth.me.permissions);
  useEffect(() => {
    let query = '';
    if (auth.kind === 'authenticated') {
      if (shown === wanted.current) query = wantedQuery.current;
      wanted.current = null;
      wantedQuery.current = '';
    }
    if (shown !== null && shown !== route) go(shown, true, query);
  }, [auth.kind, shown, route, go]);

  let body;
  if (auth.kind === 'loading') {
    body = (
      <AuthFrame>
        <p class="loading" role="status">Loading…</p>
      </AuthFrame>
    );
  } else if (auth.kind === 'unavailable') {
    body = (
      <AuthFrame>
        <Banner tone="error" title="Vigil is not reachable">
          <p>{auth.message}</p>
        </Banner>
        <Button variant="primary" onClick={() => void start()}>Try again</Button>
      </AuthFrame>
    );
  } else if (auth.kind === 'anonymous') {
    body = (
      <AuthFrame>
        <LoginPage flash={auth.flash} />
      </AuthFrame>
    );
  } else if (auth.kind === 'pending') {
    const expired = () => signedOut(SESSION_EXPIRED);
    let page;
    if (auth.next === 'password_change') page = <PasswordChangePage />;
    else if (auth.next === 'mfa_enrolment') page = <MfaEnrolPage />;
    else page = <MfaChallengePage emergency={auth.next === 'emergency_code'} />;
    body = (
      <AuthFrame>
        <SessionWatch key="pending" initial={auth.session} onExpired={expired} />
        {page}
      </AuthFrame>
    );
  } else {
    const current = shown as ShellRoute;
    const { page, param } = shellPage(current);
    const Page = SHELL_PAGES[page];
    body = (
      <Shell me={auth.me} current={navRoute(current)} session={auth.session}>
        <Page key={current} me={auth.me} param={param} />
      </Shell>
    );
  }

  return <AppContext.Provider value={actions}>{body}</AppContext.Provider>;
}

/** What follows "?" in the address ("#/inventory?type=x" -> "type=x"). */
function hashQuery(): string {
  const i = window.location.hash.indexOf('?');
  return i < 0 ? '' : window.location.hash.slice(i + 1);
}

function AuthFrame({ children }: { children: ComponentChildren }) {
  return (
    <div class="auth-frame">
      <div class="auth-brand">
        <span class="brand-mark" aria-hidden="true" />
        <span class="brand-name">Vigil</span>
      </div>
      <main class="auth-card" id="main">{children}</main>
      <p class="auth-footer">Medical device security · authorised staff only</p>
    </div>
  );
}

function Shell({ me, current, session, children }: { me: Me; current: ShellRoute; session: SessionInfo | null; children: ComponentChildren }) {
  const { signOut, signedOut } = useApp();
  const [signingOut, setSigningOut] = useState(false);
  const items = navItems(me.permissions);
  const skip = (e: Event) => {
    e.preventDefault();
    document.getElementById('main')?.focus();
  };
  return (
    <div class="shell">
      <a class="skip-link" href="#main" onClick={skip}>Skip to main content</a>
      <header class="topbar">
        <div class="topbar-inner">
          <a class="brand" href={hashFor('account')}>
            <span class="brand-mark" aria-hidden="true" />
            <span class="brand-name">Vigil</span>
          </a>
          <nav class="nav" aria-label="Main">
            <ul>
              {items.map((item) => (
                <li key={item.route}>
                  <a href={hashFor(item.route)} aria-current={item.route === current ? 'page' : undefined} class={item.route === current ? 'active' : undefined}>
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div class="who">
            <span class="who-text">
              <span class="sr-only">Signed in as </span>
              <strong class="who-name">{me.username}</strong>
              <span class="who-role">{roleLabel(me.role)}</span>
            </span>
            <Button
              small
              busy={signingOut}
              onClick={async () => {
                setSigningOut(true);
                await signOut();
              }}
            >
              Sign out
            </Button>
          </div>
        </div>
      </header>
      <SessionWatch key="authenticated" initial={session} onExpired={() => signedOut(SESSION_EXPIRED)} />
      {me.emergency ? (
        <Banner tone="warning" class="emergency-banner" title="Emergency access account">
          <p>Everything done with this account is audited and reviewed by the security team. Use it only for the emergency at hand.</p>
        </Banner>
      ) : null}
      <main class="content" id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

