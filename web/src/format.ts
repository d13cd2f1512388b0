// Pure helpers: no DOM, no fetch. Unit-tested in test/format.test.ts.

/** "JBSWY3DPEHPK3PXP" -> "JBSW Y3DP EHPK 3PXP" (spaces and case of the input are normalised). */
export function groupKey(secret: string, size = 4): string {
  const clean = secret.replace(/[\s-]+/g, '').toUpperCase();
  const groups: string[] = [];
  for (let i = 0; i < clean.length; i += size) groups.push(clean.slice(i, i + size));
  return groups.join(' ');
}

/** Seconds left -> "m:ss" (or "h:mm:ss" from one hour). Negative and fractional values round up to whole seconds >= 0. */
export function formatCountdown(seconds: number): string {
  const total = Number.isFinite(seconds) ? Math.max(0, Math.ceil(seconds)) : 0;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  if (h > 0) return String(h) + ':' + String(m).padStart(2, '0') + ':' + ss;
  return String(m) + ':' + ss;
}

/** Seconds left -> words for screen readers and the banner: "1 minute 5 seconds". */
export function describeDuration(seconds: number): string {
  const total = Number.isFinite(seconds) ? Math.max(0, Math.ceil(seconds)) : 0;
  const m = Math.floor(total / 60);
  const s = total % 60;
  const parts: string[] = [];
  if (m > 0) parts.push(String(m) + (m === 1 ? ' minute' : ' minutes'));
  if (s > 0 || m === 0) parts.push(String(s) + (s === 1 ? ' second' : ' seconds'));
  return parts.join(' ');
}

/** UTF-8 safe base64 (btoa only takes Latin-1). */
export function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** The qr_svg string from the enrolment answer -> an <img src> allowed by img-src 'self' data:. */
export function svgDataUri(svg: string): string {
  return 'data:image/svg+xml;base64,' + base64Utf8(svg);
}

/**
 * How many milliseconds remain until an RFC 3339 instant, measured against the server's own
 * "now" (so a wrong client clock does not matter). NaN inputs give null.
 */
export function remainingMs(expiresAt: string | null | undefined, serverNow: string | null | undefined): number | null {
  if (!expiresAt || !serverNow) return null;
  const e = Date.parse(expiresAt);
  const n = Date.parse(serverNow);
  if (Number.isNaN(e) || Number.isNaN(n)) return null;
  return e - n;
}

export interface ExpiryPlan {
  /** Milliseconds until the session ends (the earlier of idle and absolute expiry). */
  remainingMs: number;
  /** True when the idle timeout ends the session first (so "Stay signed in" helps). */
  idleBound: boolean;
}

export function expiryPlan(session: {
  idle_expires_at: string;
  absolute_expires_at: string;
  now: string;
}): ExpiryPlan | null {
  const idle = remainingMs(session.idle_expires_at, session.now);
  const absolute = remainingMs(session.absolute_expires_at, session.now);
  if (idle === null && absolute === null) return null;
  if (absolute === null || (idle !== null && idle <= absolute)) return { remainingMs: idle as number, idleBound: true };
  return { remainingMs: absolute, idleBound: false };
}

/** Show the expiry warning when fewer than this many seconds of the session remain. */
export const WARNING_SECONDS = 120;

/** When to ask the server again (ms), given the time left: early enough to show the warning on time. */
export function nextCheckDelayMs(remaining: number): number {
  const untilWarning = remaining - WARNING_SECONDS * 1000 - 5000;
  if (untilWarning > 0) return Math.min(untilWarning, 60_000);
  return 30_000;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** RFC 3339 -> "2026-11-01 14:03" in local time; "—" for null; the raw text if unparsable. */
export function formatDateTime(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const t = Date.parse(value);
  if (Number.isNaN(t)) return value;
  const d = new Date(t);
  return (
    String(d.getFullYear()) + '-' + pad2(d.getMonth() + 1) + '-' + pad2(d.getDate()) + ' ' +
    pad2(d.getHours()) + ':' + pad2(d.getMinutes())
  );
}

/** "security_analyst" -> "Security analyst". */
export function roleLabel(role: string): string {
  const words = role.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** 'revoked' is a solid dark red: stronger than 'danger', for a shut-out device. */
export type BadgeTone = 'ok' | 'warn' | 'danger' | 'info' | 'muted' | 'revoked';
export interface Badge { label: string; tone: BadgeTone }

/** State badges for a user row of the administration page. */
export function userBadges(
  user: {
    disabled: boolean;
    emergency: boolean;
    mfa_enrolled: boolean;
    must_change_password: boolean;
    locked_until: string | null;
  },
  nowMs: number,
): Badge[] {
  const badges: Badge[] = [];
  if (user.disabled) badges.push({ label: 'Disabled', tone: 'muted' });
  const lockedUntil = user.locked_until === null ? NaN : Date.parse(user.locked_until);
  if (!Number.isNaN(lockedUntil) && lockedUntil > nowMs) badges.push({ label: 'Locked', tone: 'danger' });
  if (user.emergency) badges.push({ label: 'Emergency access', tone: 'warn' });
  if (user.must_change_password) badges.push({ label: 'Must change password', tone: 'info' });
  if (!user.mfa_enrolled) badges.push({ label: 'MFA not enrolled', tone: 'warn' });
  if (badges.length === 0) badges.push({ label: 'Active', tone: 'ok' });
  return badges;
}

/** State of an API token. */
export function tokenState(
  token: { expires_at: string; revoked_at: string | null },
  nowMs: number,
): Badge {
  if (token.revoked_at !== null) return { label: 'Revoked', tone: 'muted' };
  const e = Date.parse(token.expires_at);
  if (!Number.isNaN(e) && e <= nowMs) return { label: 'Expired', tone: 'muted' };
  return { label: 'Active', tone: 'ok' };
}

/** Normalises what a person typed as a TOTP code: digits only. */
export function normaliseTotp(value: string): string {
  return value.replace(/\D+/g, '');
}
