import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, ApiError, errorText, type Me, type OwnSession } from '../api.ts';
import { Badge } from '../components/Badge.tsx';
import { Banner } from '../components/Banner.tsx';
import { Button } from '../components/Button.tsx';
import { Dialog } from '../components/Dialog.tsx';
import { Field } from '../components/Field.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { RecoveryCodes } from '../components/SecretOnce.tsx';
import { useApp } from '../context.ts';
import { formatDateTime, normaliseTotp, roleLabel } from '../format.ts';
import { PASSPHRASE_HINT } from './password-change.tsx';

export function AccountPage({ me }: { me: Me }) {
  return (
    <>
      <PageHeader title="Account" />
      <section class="panel" aria-labelledby="profile-title">
        <h2 id="profile-title">Profile</h2>
        <dl class="facts">
          <dt>User name</dt>
          <dd>{me.username}</dd>
          <dt>Role</dt>
          <dd>{roleLabel(me.role)}</dd>
          <dt>Two-factor authentication</dt>
          <dd>{me.mfa_enrolled ? <Badge label="Enrolled" tone="ok" /> : <Badge label="Not enrolled" tone="warn" />}</dd>
        </dl>
      </section>
      <div class="columns">
        <ChangePassword />
        <RegenerateRecoveryCodes />
      </div>
      <Sessions />
    </>
  );
}

function ChangePassword() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<{ current?: string; next?: string; confirm?: string; form?: string }>({});
  const [done, setDone] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setErrors({});
    setDone(false);
    if (next !== confirm) {
      setErrors({ confirm: 'The two new passwords do not match.' });
      return;
    }
    setBusy(true);
    try {
      await api.changePassword(current, next);
      setCurrent('');
      setNext('');
      setConfirm('');
      setDone(true);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid_credentials') setErrors({ current: 'The current password is incorrect.' });
      else if (err instanceof ApiError && err.code === 'weak_password') setErrors({ next: errorText(err) });
      else setErrors({ form: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="password-title">
      <h2 id="password-title">Change password</h2>
      {done ? <Banner tone="success"><p>Your password was changed.</p></Banner> : null}
      {errors.form ? <Banner tone="error"><p>{errors.form}</p></Banner> : null}
      <form class="form" onSubmit={submit}>
        <Field label="Current password" type="password" value={current} onValue={setCurrent} autoComplete="current-password" required error={errors.current ?? null} />
        <Field label="New password" type="password" value={next} onValue={setNext} autoComplete="new-password" required hint={PASSPHRASE_HINT} error={errors.next ?? null} />
        <Field label="Repeat the new password" type="password" value={confirm} onValue={setConfirm} autoComplete="new-password" required error={errors.confirm ?? null} />
        <Button type="submit" variant="primary" busy={busy}>Change password</Button>
      </form>
    </section>
  );
}

function RegenerateRecoveryCodes() {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setProblem(null);
    const digits = normaliseTotp(code);
    if (digits.length !== 6) {
      setError('Enter the 6-digit code your app shows.');
      return;
    }
    setBusy(true);
    try {
      const answer = await api.regenerateRecoveryCodes(digits);
      setCode('');
      setCodes(answer.recovery_codes);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid_code') setError('That code is not valid. Wait for the next code and try again.');
      else setProblem(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  if (codes !== null) {
    return (
      <section class="panel">
        <RecoveryCodes codes={codes} onDone={() => setCodes(null)} doneLabel="Done" />
      </section>
    );
  }

  return (
    <section class="panel" aria-labelledby="recovery-title">
      <h2 id="recovery-title">Recovery codes</h2>
      <p>Generate a new set of 10 recovery codes. Your previous codes stop working at once.</p>
      {problem ? <Banner tone="error"><p>{problem}</p></Banner> : null}
      <form class="form" onSubmit={submit}>
        <Field label="Code from your authenticator app" value={code} onValue={setCode} autoComplete="one-time-code" inputMode="numeric" maxLength={7} required mono error={error} />
        <Button type="submit" busy={busy}>Generate new recovery codes</Button>
      </form>
    </section>
  );
}

function Sessions() {
  const { signedOut } = useApp();
  const [sessions, setSessions] = useState<OwnSession[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [confirmAll, setConfirmAll] = useState(false);
  const [allBusy, setAllBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const answer = await api.sessions();
      setSessions(answer.sessions);
      setProblem(null);
    } catch (err) {
      setProblem(errorText(err));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const end = async (s: OwnSession) => {
    setBusyId(s.id);
    setProblem(null);
    try {
      await api.endSession(s.id);
      if (s.current) {
        signedOut({ tone: 'info', text: 'You have signed out.' });
        return;
      }
      await load();
    } catch (err) {
      setProblem(errorText(err));
    } finally {
      setBusyId(null);
    }
  };

  const endAll = async () => {
    setAllBusy(true);
    try {
      await api.logoutAll();
      signedOut({ tone: 'info', text: 'You have been signed out of all sessions.' });
    } catch (err) {
      setProblem(errorText(err));
      setAllBusy(false);
      setConfirmAll(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="sessions-title">
      <div class="panel-head">
        <h2 id="sessions-title">Sessions</h2>
        <Button variant="danger" onClick={() => setConfirmAll(true)}>Sign out everywhere</Button>
      </div>
      <p>Where you are signed in. Sign out any session you do not recognise, then change your password.</p>
      {problem ? <Banner tone="error"><p>{problem}</p></Banner> : null}
      {sessions === null && problem === null ? <p class="loading" role="status">Loading sessions…</p> : null}
      {sessions !== null ? (
        <div class="table-wrap">
          <table class="table">
            <caption class="sr-only">Your sessions</caption>
            <thead>
              <tr>
                <th scope="col">Signed in</th>
                <th scope="col">Last active</th>
                <th scope="col">Address</th>
                <th scope="col">Browser</th>
                <th scope="col"><span class="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id}>
                  <td>{formatDateTime(s.created_at)} {s.current ? <Badge label="This session" tone="info" /> : null}</td>
                  <td>{formatDateTime(s.last_seen_at)}</td>
                  <td class="mono">{s.remote_address}</td>
                  <td class="ua" title={s.user_agent}>{s.user_agent}</td>
                  <td class="actions">
                    <Button small busy={busyId === s.id} onClick={() => void end(s)} aria-label={s.current ? 'Sign out this session' : 'Sign out session from ' + s.remote_address}>
                      Sign out
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Dialog
        open={confirmAll}
        title="Sign out everywhere?"
        onClose={() => setConfirmAll(false)}
        actions={
          <>
            <Button onClick={() => setConfirmAll(false)}>Cancel</Button>
            <Button variant="danger" busy={allBusy} onClick={() => void endAll()}>Sign out everywhere</Button>
          </>
        }
      >
        <p>All your sessions end, including this one. You will need your password and a code from your authenticator app to sign in again.</p>
      </Dialog>
    </section>
  );
}
