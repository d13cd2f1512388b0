import { useState } from 'preact/hooks';
import { api, ApiError, errorText } from '../api.ts';
import { Banner } from '../components/Banner.tsx';
import { Button } from '../components/Button.tsx';
import { Field } from '../components/Field.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { useApp } from '../context.ts';
import { normaliseTotp } from '../format.ts';

type Mode = 'totp' | 'recovery' | 'emergency';

/** Second step of sign-in: a TOTP code, a recovery code, or (emergency account) the emergency code. */
export function MfaChallengePage({ emergency }: { emergency: boolean }) {
  const { advance, signOut } = useApp();
  const [mode, setMode] = useState<Mode>(emergency ? 'emergency' : 'totp');
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [locked, setLocked] = useState<string | null>(null);
  const [problem, setProblem] = useState<{ title?: string; text: string } | null>(null);

  const switchTo = (next: Mode) => {
    setMode(next);
    setValue('');
    setFieldError(null);
    setProblem(null);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setFieldError(null);
    setProblem(null);
    let answer: { code: string } | { recovery_code: string } | { emergency_code: string };
    if (mode === 'totp') {
      const digits = normaliseTotp(value);
      if (digits.length !== 6) {
        setFieldError('Enter the 6-digit code your app shows.');
        return;
      }
      answer = { code: digits };
    } else if (mode === 'recovery') {
      const v = value.trim();
      if (v.length === 0) {
        setFieldError('Enter one of your recovery codes.');
        return;
      }
      answer = { recovery_code: v };
    } else {
      const v = value.trim();
      if (v.length === 0) {
        setFieldError('Enter the emergency code.');
        return;
      }
      answer = { emergency_code: v };
    }
    setBusy(true);
    try {
      const result = await api.mfa(answer);
      await advance(result.next);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'locked') {
        setLocked(errorText(err));
      } else if (err instanceof ApiError && err.code === 'invalid_code') {
        setFieldError(mode === 'totp' ? 'That code is not valid. Wait for the next code and try again.' : 'That code is not valid.');
        setValue('');
      } else if (err instanceof ApiError && err.code === 'rate_limited') {
        setProblem({ title: 'Please wait', text: errorText(err) });
      } else {
        setProblem({ text: errorText(err) });
      }
      setBusy(false);
    }
  };

  if (locked !== null) {
    return (
      <>
        <PageHeader title="Account locked" />
        <Banner tone="error" title="This account is locked">
          <p>{locked}</p>
          <p>If you did not make these attempts, tell your security team.</p>
        </Banner>
        <Button variant="primary" onClick={() => void signOut()}>Back to sign in</Button>
      </>
    );
  }

  const title = mode === 'emergency' ? 'Emergency access' : 'Two-factor authentication';
  return (
    <>
      <PageHeader title={title} focus={false} />
      {mode === 'emergency' ? (
        <Banner tone="warning" title="This is the emergency (break-glass) account" live={false}>
          <p>
            Every use of the emergency account is audited, alerts the security team and is reviewed
            afterwards. Use it only when no personal account can be used.
          </p>
        </Banner>
      ) : null}
      {problem ? <Banner tone="error" title={problem.title}><p>{problem.text}</p></Banner> : null}
      <form class="form" onSubmit={submit}>
        {mode === 'totp' ? (
          <Field key="totp" label="Code from your authenticator app" value={value} onValue={setValue} autoComplete="one-time-code" inputMode="numeric" maxLength={7} required autoFocus mono error={fieldError} />
        ) : mode === 'recovery' ? (
          <Field key="recovery" label="Recovery code" value={value} onValue={setValue} autoComplete="off" required autoFocus mono spellcheck={false} autoCapitalize="none" hint="Each recovery code works once." error={fieldError} />
        ) : (
          <Field key="emergency" label="Emergency code" type="password" value={value} onValue={setValue} autoComplete="off" required autoFocus mono error={fieldError} />
        )}
        <div class="form-actions">
          <Button type="submit" variant="primary" busy={busy}>{mode === 'emergency' ? 'Sign in with emergency access' : 'Verify'}</Button>
        </div>
      </form>
      <div class="alt-links">
        {mode === 'totp' ? <Button variant="link" onClick={() => switchTo('recovery')}>Use a recovery code instead</Button> : null}
        {mode === 'recovery' ? <Button variant="link" onClick={() => switchTo('totp')}>Use the authenticator app instead</Button> : null}
        <Button variant="link" onClick={() => void signOut()}>Cancel and sign out</Button>
      </div>
    </>
  );
}
