import { useState } from 'preact/hooks';
import { api, ApiError, errorText } from '../api.ts';
import { Banner } from '../components/Banner.tsx';
import { Button } from '../components/Button.tsx';
import { Field } from '../components/Field.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { useApp } from '../context.ts';

export const PASSPHRASE_HINT = 'Use a long passphrase of several unrelated words. It must not contain your user name.';

/** First sign-in: the one-time password must be replaced before anything else. */
export function PasswordChangePage() {
  const { advance, signOut } = useApp();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [confirmError, setConfirmError] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setFieldError(null);
    setConfirmError(null);
    setProblem(null);
    if (password !== confirm) {
      setConfirmError('The two passwords do not match.');
      return;
    }
    setBusy(true);
    try {
      const answer = await api.firstPassword(password);
      await advance(answer.next);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'weak_password') setFieldError(errorText(err));
      else setProblem(errorText(err));
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader title="Choose your password" focus={false} />
      <Banner tone="info" live={false}>
        <p>You signed in with a one-time password. Choose your own password to continue.</p>
      </Banner>
      {problem ? <Banner tone="error"><p>{problem}</p></Banner> : null}
      <form class="form" onSubmit={submit}>
        <Field label="New password" type="password" value={password} onValue={setPassword} autoComplete="new-password" required autoFocus hint={PASSPHRASE_HINT} error={fieldError} />
        <Field label="Repeat the new password" type="password" value={confirm} onValue={setConfirm} autoComplete="new-password" required error={confirmError} />
        <div class="form-actions">
          <Button type="submit" variant="primary" busy={busy}>Set password</Button>
          <Button variant="link" onClick={() => void signOut()}>Cancel and sign out</Button>
        </div>
      </form>
    </>
  );
}
