// The session-expiry watch: asks the server (in the background, so the idle timeout is not
// extended) how long the session has left, counts down locally, shows a warning banner with a
// "Stay signed in" button when fewer than WARNING_SECONDS remain, and signs the person out with
// "Your session expired" when it reaches zero.

import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, onActivity, type SessionInfo } from './api.ts';
import { Button } from './components/Button.tsx';
import { describeDuration, expiryPlan, formatCountdown, nextCheckDelayMs, WARNING_SECONDS } from './format.ts';

export interface SessionWatchProps {
  /** The session is gone (expired or ended elsewhere). */
  onExpired: () => void;
  /** A SessionInfo we already have (e.g. from the start-up check), to avoid asking twice. */
  initial?: SessionInfo | null;
}

interface Deadline {
  at: number; // Date.now()-based instant when the session ends.
  idleBound: boolean;
}

export function SessionWatch({ onExpired, initial = null }: SessionWatchProps) {
  const [deadline, setDeadline] = useState<Deadline | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [keeping, setKeeping] = useState(false);
  const [keepError, setKeepError] = useState<string | null>(null);
  const checking = useRef(false);
  const lastZeroCheck = useRef(0);
  const checkTimer = useRef<number | undefined>(undefined);
  const activityTimer = useRef<number | undefined>(undefined);
  const alive = useRef(true);
  const expiredRef = useRef(onExpired);
  expiredRef.current = onExpired;

  const apply = useCallback((info: SessionInfo) => {
    const plan = expiryPlan(info);
    if (plan === null) return;
    const at = Date.now() + plan.remainingMs;
    setDeadline({ at, idleBound: plan.idleBound });
    window.clearTimeout(checkTimer.current);
    checkTimer.current = window.setTimeout(() => void check(), nextCheckDelayMs(plan.remainingMs));
  }, []);

  const check = useCallback(async (): Promise<void> => {
    if (checking.current || !alive.current) return;
    checking.current = true;
    try {
      const info = await api.session({ background: true });
      if (alive.current) apply(info);
    } catch (e) {
      if (alive.current && e instanceof ApiError && e.status === 401) expiredRef.current();
      // Other failures (network): keep the local countdown; the next tick asks again.
    } finally {
      checking.current = false;
    }
  }, [apply]);

  // First reading.
  useEffect(() => {
    alive.current = true;
    if (initial !== null) apply(initial);
    else void check();
    return () => {
      alive.current = false;
      window.clearTimeout(checkTimer.current);
      window.clearTimeout(activityTimer.current);
    };
  }, []);

  // A request made by the person extended the idle timeout: ask again shortly (debounced).
  useEffect(
    () =>
      onActivity(() => {
        window.clearTimeout(activityTimer.current);
        activityTimer.current = window.setTimeout(() => void check(), 750);
      }),
    [check],
  );

  // The local one-second tick; at zero, ask the server once more before signing out.
  useEffect(() => {
    const id = window.setInterval(() => {
      const t = Date.now();
      setNow(t);
      if (deadline !== null && deadline.at - t <= 0 && t - lastZeroCheck.current >= 1000) {
        lastZeroCheck.current = t;
        void check();
      }
    }, 1000);
    return () => window.clearInterval(id);
  }, [deadline, check]);

  if (deadline === null) return null;
  const remainingSeconds = (deadline.at - now) / 1000;
  if (remainingSeconds >= WARNING_SECONDS) return null;

  const stay = async () => {
    setKeeping(true);
    setKeepError(null);
    try {
      apply(await api.keepalive());
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) setKeepError('Could not reach the server. Try again.');
    } finally {
      setKeeping(false);
    }
  };

  return (
    <div class="expiry-banner" role="region" aria-label="Session expiry">
      <p class="expiry-text" role="status">
        {deadline.idleBound ? 'Your session is about to expire because of inactivity.' : 'Your session reaches its maximum length soon; you will need to sign in again.'}{' '}
        <span class="sr-only">Less than {describeDuration(Math.min(WARNING_SECONDS, Math.ceil(remainingSeconds / 30) * 30))} left.</span>
      </p>
      <p class="expiry-countdown" aria-hidden="true">
        Time left: <strong class="countdown">{formatCountdown(remainingSeconds)}</strong>
      </p>
      {deadline.idleBound ? (
        <Button variant="primary" busy={keeping} onClick={() => void stay()}>Stay signed in</Button>
      ) : null}
      {keepError ? <p class="field-error">{keepError}</p> : null}
    </div>
  );
}
