import { useState } from 'preact/hooks';
import { api, ApiError, errorText } from '../api.ts';
import { Banner } from '../components/Banner.tsx';
import { Button } from '../components/Button.tsx';
import { Field } from '../components/Field.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { useApp, type Flash } from '../context.ts';

interface Problem {
  title: string;
  text: string;
}

function describeLoginError(e: unknown): Problem {
  if (e instanceof ApiError) {
    if (e.code === 'invalid_credentials') return { title: 'Sign-in failed', text: 'The user name or password is incorrect.' };
    if (e.code === 'locked') return { title: 'Account locked', text: errorText(e) };
    if (e.code === 'rate_limited') return { title: 'Too many attempts', text: errorText(e) };
  }
  return { title: 'Sign-in failed', text: errorText(e) };
}

export function LoginPage({ flash }: { flash: Flash | null }) {
  const { advance } = useApp();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const answer = await api.login(username.trim(), password);
      setPassword('');
      await advance(answer.next);
    } catch (err) {
      setPassword('');
      setProblem(describeLoginError(err));
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader title="Sign in" focus={false} />
      {flash && problem === null ? <Banner tone={flash.tone}><p>{flash.text}</p></Banner> : null}
      {problem ? <Banner tone="error" title={problem.title}><p>{problem.text}</p></Banner> : null}
      <form class="form" onSubmit={submit}>
        <Field label="User name" value={username} onValue={setUsername} autoComplete="username" required autoFocus autoCapitalize="none" spellcheck={false} />
        <Field label="Password" type="password" value={password} onValue={setPassword} autoComplete="current-password" required />
        <Button type="submit" variant="primary" busy={busy}>Sign in</Button>
      </form>
    </>
  );
}
