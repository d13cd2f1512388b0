// Typed fetch wrapper for the Vigil REST API (same origin, JSON).
//
// - Cookies: the session cookie `__Host-vigil` is HttpOnly; we never read it, the browser sends
//   it (credentials: 'same-origin').
// - CSRF: every POST/DELETE carries `X-CSRF-Token`, taken from the latest answer that had one
//   (login, /auth/session, /auth/keepalive, /me).
// - Background requests (polling, the expiry check) carry `X-Vigil-Background: 1` so the server
//   does not extend the idle timeout for them.
// - Errors: the server answers `{"error":{"code","message"}}`; anything else (proxy pages,
//   network failures) is mapped to an ApiError with a generic code.

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  /** Seconds from a Retry-After header (429), when the server sent one. */
  readonly retryAfterSeconds: number | null;

  constructor(code: string, message: string, status: number, retryAfterSeconds: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Codes that mean "there is no usable session": the shell goes back to the login page. */
export const SESSION_GONE_CODES: readonly string[] = ['unauthenticated', 'session_expired'];

export function isSessionGone(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status === 401 && SESSION_GONE_CODES.includes(error.code);
}

function defaultCode(status: number): string {
  if (status === 400) return 'bad_request';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'content_too_large';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  return 'http_' + String(status);
}

function defaultMessage(status: number): string {
  if (status === 401) return 'You are not signed in.';
  if (status === 403) return 'Your role does not allow this action.';
  if (status === 404) return 'Not found.';
  if (status === 429) return 'Too many attempts. Please wait and try again.';
  if (status >= 500) return 'The server could not complete the request. Please try again.';
  return 'The request failed (HTTP ' + String(status) + ').';
}

/** Parses a Retry-After header value given in seconds (HTTP dates are ignored). */
export function parseRetryAfter(value: string | null): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  return Number(trimmed);
}

/**
 * Maps an HTTP error answer to an ApiError. Pure: takes the status, the raw body text and the
 * Retry-After header value.
 */
export function errorFromResponse(status: number, bodyText: string, retryAfter: string | null = null): ApiError {
  let code = defaultCode(status);
  let message = defaultMessage(status);
  if (bodyText.length > 0) {
    try {
      const parsed: unknown = JSON.parse(bodyText);
      if (typeof parsed === 'object' && parsed !== null && 'error' in parsed) {
        const inner = (parsed as { error: unknown }).error;
        if (typeof inner === 'object' && inner !== null) {
          const c = (inner as { code?: unknown }).code;
          const m = (inner as { message?: unknown }).message;
          if (typeof c === 'string' && c.length > 0) code = c;
          if (typeof m === 'string' && m.length > 0) message = m;
        }
      }
    } catch {
      // Not JSON (a proxy's HTML page, say): keep the generic code and message.
    }
  }
  return new ApiError(code, message, status, parseRetryAfter(retryAfter));
}

/** A human sentence for an error, suitable for a Banner. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    const m = error.message.trim();
    if (m.length === 0) return defaultMessage(error.status);
    // Server messages are lowercase reasons; present them as sentences.
    const sentence = m.charAt(0).toUpperCase() + m.slice(1);
    return /[.!?]$/.test(sentence) ? sentence : sentence + '.';
  }
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

// ---------------------------------------------------------------------------------------------
// Types of the contract.

export type AuthNext = 'password_change' | 'mfa_enrolment' | 'mfa' | 'emergency_code' | 'done';

export interface LoginAnswer { next: AuthNext; csrf_token: string }
export interface NextAnswer { next: AuthNext }
export interface EnrolAnswer { secret: string; otpauth_uri: string; qr_svg: string }
export interface EnrolConfirmAnswer { next: AuthNext; recovery_codes: string[] }
export interface SessionInfo {
  stage: 'pending' | 'authenticated';
  next?: AuthNext | null;
  idle_expires_at: string;
  absolute_expires_at: string;
  now: string;
  csrf_token: string;
}
export interface Me {
  id: string | number;
  username: string;
  role: string;
  permissions: string[];
  emergency: boolean;
  mfa_enrolled: boolean;
  csrf_token: string;
}
export interface OwnSession {
  id: string;
  created_at: string;
  last_seen_at: string;
  remote_address: string;
  user_agent: string;
  current: boolean;
}
export interface User {
  id: string | number;
  username: string;
  role: string;
  disabled: boolean;
  emergency: boolean;
  mfa_enrolled: boolean;
  must_change_password: boolean;
  locked_until: string | null;
  last_login_at: string | null;
  created_at: string;
}
export interface Token {
  id: string | number;
  name: string;
  user_id: string | number;
  username: string;
  scopes: string[];
  created_at: string;
  expires_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export const ROLES: readonly string[] = [
  'admin',
  'security_analyst',
  'clinical_engineer',
  'network_engineer',
  'auditor',
];

// ---------------------------------------------------------------------------------------------
// Transport.

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null | undefined): void {
  if (typeof token === 'string' && token.length > 0) csrfToken = token;
  else if (token === null) csrfToken = null;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

export interface RequestOptions {
  /** Not initiated by the person (polling, expiry check): does not extend the idle timeout. */
  background?: boolean;
  /** Internal: this is the one retry after a sign-in step replaced the cookie. */
  retried?: boolean;
}

// Signing in replaces the session cookie (and the CSRF token) when it completes. A GET sent
// just before that answer arrives carries the old cookie and gets 401: it is retried once,
// after the sign-in step settles, instead of being taken for a lost session.
const SIGN_IN_STEP = /^\/api\/v1\/auth\/(login|password|mfa)/;
const COOKIE_RACE_MS = 3000;
let signInInFlight: Promise<unknown> | null = null;
let signInSettledAt = 0;

type Listener = (error: ApiError) => void;
const sessionGoneListeners = new Set<Listener>();
type ActivityListener = () => void;
const activityListeners = new Set<ActivityListener>();

/** Called whenever a request answers 401 unauthenticated/session_expired. */
export function onSessionGone(listener: Listener): () => void {
  sessionGoneListeners.add(listener);
  return () => sessionGoneListeners.delete(listener);
}

/** Called after each successful foreground request (it extended the idle timeout). */
export function onActivity(listener: ActivityListener): () => void {
  activityListeners.add(listener);
  return () => activityListeners.delete(listener);
}

export async function request<T>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if ((method === 'POST' || method === 'DELETE') && csrfToken !== null) headers['X-CSRF-Token'] = csrfToken;
  if (options.background === true) headers['X-Vigil-Background'] = '1';

  const isSignInStep = method === 'POST' && SIGN_IN_STEP.test(path);
  const sent = fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    cache: 'no-store',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (isSignInStep) signInInFlight = sent;
  let response: Response;
  try {
    response = await sent;
  } catch {
    throw new ApiError('network', 'The server cannot be reached. Check the connection and try again.', 0);
  } finally {
    if (isSignInStep) {
      signInSettledAt = Date.now();
      if (signInInFlight === sent) signInInFlight = null;
    }
  }

  const text = await response.text();
  if (!response.ok) {
    const error = errorFromResponse(response.status, text, response.headers.get('Retry-After'));
    if (isSessionGone(error) && method === 'GET' && options.retried !== true) {
      const racing = signInInFlight !== null || Date.now() - signInSettledAt < COOKIE_RACE_MS;
      if (racing) {
        if (signInInFlight !== null) await signInInFlight.catch(() => undefined);
        return request<T>(method, path, body, { ...options, retried: true });
      }
    }
    if (isSessionGone(error)) for (const l of sessionGoneListeners) l(error);
    throw error;
  }
  if (options.background !== true) for (const l of activityListeners) l();
  if (text.length === 0) return undefined as T;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiError('bad_response', 'The server sent an answer that is not JSON.', response.status);
  }
  if (typeof parsed === 'object' && parsed !== null && 'csrf_token' in parsed) {
    setCsrfToken((parsed as { csrf_token?: string }).csrf_token);
  }
  return parsed as T;
}

const enc = encodeURIComponent;

// ---------------------------------------------------------------------------------------------
// Endpoints.

export const api = {
  login: (username: string, password: string) =>
    request<LoginAnswer>('POST', '/api/v1/auth/login', { username, password }),
  firstPassword: (new_password: string) =>
    request<NextAnswer>('POST', '/api/v1/auth/password', { new_password }),
  mfaEnrol: () => request<EnrolAnswer>('POST', '/api/v1/auth/mfa/enrol', {}),
  mfaEnrolConfirm: (code: string) =>
    request<EnrolConfirmAnswer>('POST', '/api/v1/auth/mfa/enrol/confirm', { code }),
  mfa: (answer: { code: string } | { recovery_code: string } | { emergency_code: string }) =>
    request<NextAnswer>('POST', '/api/v1/auth/mfa', answer),
  session: (options: RequestOptions = {}) => request<SessionInfo>('GET', '/api/v1/auth/session', undefined, options),
  keepalive: () => request<SessionInfo>('POST', '/api/v1/auth/keepalive', {}),
  logout: () => request<void>('POST', '/api/v1/auth/logout', {}),
  logoutAll: () => request<void>('POST', '/api/v1/auth/logout-all', {}),

  me: (options: RequestOptions = {}) => request<Me>('GET', '/api/v1/me', undefined, options),
  changePassword: (current_password: string, new_password: string) =>
    request<void>('POST', '/api/v1/me/password', { current_password, new_password }),
  regenerateRecoveryCodes: (code: string) =>
    request<{ recovery_codes: string[] }>('POST', '/api/v1/me/recovery-codes', { code }),
  sessions: () => request<{ sessions: OwnSession[] }>('GET', '/api/v1/me/sessions'),
  endSession: (id: string) => request<void>('DELETE', '/api/v1/me/sessions/' + enc(id)),

  users: () => request<{ users: User[] }>('GET', '/api/v1/users'),
  createUser: (username: string, role: string) =>
    request<{ user: User; one_time_password: string }>('POST', '/api/v1/users', { username, role }),
  disableUser: (id: User['id']) => request<{ user: User }>('POST', '/api/v1/users/' + enc(String(id)) + '/disable', {}),
  enableUser: (id: User['id']) => request<{ user: User }>('POST', '/api/v1/users/' + enc(String(id)) + '/enable', {}),
  resetMfa: (id: User['id']) => request<{ user: User }>('POST', '/api/v1/users/' + enc(String(id)) + '/reset-mfa', {}),
  setRole: (id: User['id'], role: string) =>
    request<{ user: User }>('POST', '/api/v1/users/' + enc(String(id)) + '/role', { role }),
  resetPassword: (id: User['id']) =>
    request<{ user: User; one_time_password: string }>(
      'POST',
      '/api/v1/users/' + enc(String(id)) + '/reset-password',
      {},
    ),

  tokens: () => request<{ tokens: Token[] }>('GET', '/api/v1/tokens'),
  createToken: (name: string, scopes: string[], expires_in_days: number) =>
    request<{ token: Token; secret: string }>('POST', '/api/v1/tokens', { name, scopes, expires_in_days }),
  rotateToken: (id: Token['id']) =>
    request<{ token: Token; secret: string }>('POST', '/api/v1/tokens/' + enc(String(id)) + '/rotate', {}),
  revokeToken: (id: Token['id']) => request<void>('DELETE', '/api/v1/tokens/' + enc(String(id))),
};
