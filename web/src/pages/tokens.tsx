import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, errorText, type Me, type Token } from '../api.ts';
import { Badge } from '../components/Badge.tsx';
import { Banner } from '../components/Banner.tsx';
import { Button } from '../components/Button.tsx';
import { Dialog } from '../components/Dialog.tsx';
import { Field } from '../components/Field.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { SecretOnce } from '../components/SecretOnce.tsx';
import { formatDateTime, tokenState } from '../format.ts';

const PERMISSION_LABELS: Record<string, string> = {
  self: 'Own account (self)',
  'users.read': 'Read users (users.read)',
  'users.manage': 'Manage users (users.manage)',
  'tokens.own': 'Own API tokens (tokens.own)',
  'tokens.manage': 'All API tokens (tokens.manage)',
  'audit.read': 'Read the audit log (audit.read)',
  'credentials.report': 'Credentials report (credentials.report)',
  'emergency.review': 'Review emergency access (emergency.review)',
};

export function permissionLabel(p: string): string {
  return PERMISSION_LABELS[p] ?? p;
}

type Pending = { kind: 'rotate' | 'revoke'; token: Token };

/** API tokens: list, create (scopes from one's own permissions), rotate, revoke. */
export function TokensPage({ me }: { me: Me }) {
  const showOwner = me.permissions.includes('tokens.manage');
  const [tokens, setTokens] = useState<Token[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ title: string; value: string } | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState(false);
  const [dialogError, setDialogError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setTokens((await api.tokens()).tokens);
    } catch (err) {
      setProblem(errorText(err));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const confirm = async () => {
    if (pending === null) return;
    setBusy(true);
    setDialogError(null);
    try {
      if (pending.kind === 'rotate') {
        const answer = await api.rotateToken(pending.token.id);
        setSecret({ title: 'New secret for ' + answer.token.name, value: answer.secret });
        setNotice(null);
      } else {
        await api.revokeToken(pending.token.id);
        setNotice('Token ' + pending.token.name + ' was revoked.');
      }
      setPending(null);
      await load();
    } catch (err) {
      setDialogError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const now = Date.now();
  return (
    <>
      <PageHeader title="API tokens" />
      <p>API tokens let scripts and integrations (a SIEM, a CMDB) call the Vigil API as you, limited to the scopes you choose.</p>
      {secret ? (
        <SecretOnce title={secret.title} label="Token secret" secret={secret.value} onDone={() => setSecret(null)}>
          <p>Store it where the integration keeps its secrets; anyone holding it can act with its scopes until it expires or is revoked.</p>
        </SecretOnce>
      ) : null}
      {notice ? <Banner tone="success"><p>{notice}</p></Banner> : null}
      {problem ? <Banner tone="error"><p>{problem}</p></Banner> : null}
      {secret === null ? (
        <CreateToken
          permissions={me.permissions}
          onCreated={(t, s) => {
            setNotice(null);
            setSecret({ title: 'Token ' + t.name + ' created', value: s });
            void load();
          }}
        />
      ) : null}
      <section class="panel" aria-labelledby="tokens-title">
        <h2 id="tokens-title">Tokens</h2>
        {tokens === null && problem === null ? <p class="loading" role="status">Loading tokens…</p> : null}
        {tokens !== null && tokens.length === 0 ? <p class="muted">No API tokens yet.</p> : null}
        {tokens !== null && tokens.length > 0 ? (
          <div class="table-wrap">
            <table class="table">
              <caption class="sr-only">API tokens</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  {showOwner ? <th scope="col">Owner</th> : null}
                  <th scope="col">Scopes</th>
                  <th scope="col">Created</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Last used</th>
                  <th scope="col">State</th>
                  <th scope="col"><span class="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((t) => {
                  const state = tokenState(t, now);
                  const active = state.label === 'Active';
                  const own = String(t.user_id) === String(me.id);
                  return (
                    <tr key={String(t.id)}>
                      <th scope="row">{t.name}</th>
                      {showOwner ? <td>{t.username}</td> : null}
                      <td><span class="badges">{t.scopes.map((s) => <code key={s} class="scope">{s}</code>)}</span></td>
                      <td>{formatDateTime(t.created_at)}</td>
                      <td>{formatDateTime(t.expires_at)}</td>
                      <td>{formatDateTime(t.last_used_at)}</td>
                      <td><Badge label={state.label} tone={state.tone} /></td>
                      <td class="actions">
                        {active && own ? <Button small onClick={() => { setDialogError(null); setPending({ kind: 'rotate', token: t }); }} aria-label={'Rotate ' + t.name}>Rotate</Button> : null}
                        {active ? <Button small variant="danger" onClick={() => { setDialogError(null); setPending({ kind: 'revoke', token: t }); }} aria-label={'Revoke ' + t.name}>Revoke</Button> : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      <Dialog
        open={pending !== null}
        title={pending === null ? '' : pending.kind === 'rotate' ? 'Rotate ' + pending.token.name + '?' : 'Revoke ' + pending.token.name + '?'}
        onClose={() => setPending(null)}
        actions={
          pending === null ? null : (
            <>
              <Button onClick={() => setPending(null)}>Cancel</Button>
              <Button variant="danger" busy={busy} onClick={() => void confirm()}>{pending.kind === 'rotate' ? 'Rotate secret' : 'Revoke token'}</Button>
            </>
          )
        }
      >
        {dialogError ? <Banner tone="error"><p>{dialogError}</p></Banner> : null}
        {pending?.kind === 'rotate' ? <p>A new secret is issued and shown once. The current secret stops working at once: update every script that uses it.</p> : null}
        {pending?.kind === 'revoke' ? <p>The token stops working at once. This cannot be undone.</p> : null}
      </Dialog>
    </>
  );
}

function CreateToken({ permissions, onCreated }: { permissions: readonly string[]; onCreated: (token: Token, secret: string) => void }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [days, setDays] = useState('90');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<{ name?: string; scopes?: string; days?: string; form?: string }>({});

  const toggle = (p: string, on: boolean) => setScopes((list) => (on ? [...list.filter((x) => x !== p), p] : list.filter((x) => x !== p)));

  const submit = async (e: Event) => {
    e.preventDefault();
    const next: typeof errors = {};
    const n = name.trim();
    const d = Number(days);
    if (n.length === 0) next.name = 'Give the token a name that says where it is used.';
    if (scopes.length === 0) next.scopes = 'Choose at least one scope.';
    if (!Number.isInteger(d) || d < 1 || d > 365) next.days = 'Enter a whole number of days from 1 to 365.';
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    setBusy(true);
    try {
      const ordered = permissions.filter((p) => scopes.includes(p));
      const answer = await api.createToken(n, ordered, d);
      setName('');
      setScopes([]);
      setDays('90');
      onCreated(answer.token, answer.secret);
    } catch (err) {
      setErrors({ form: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="create-token-title">
      <h2 id="create-token-title">Create a token</h2>
      {errors.form ? <Banner tone="error"><p>{errors.form}</p></Banner> : null}
      <form class="form" onSubmit={submit}>
        <Field label="Name" value={name} onValue={setName} autoComplete="off" required hint="For example: SIEM export." error={errors.name ?? null} />
        <fieldset class="checks" aria-describedby={errors.scopes ? 'scopes-error' : undefined}>
          <legend>Scopes</legend>
          <p class="field-hint">A token can have only permissions your role has.</p>
          {permissions.map((p) => (
            <div class="check" key={p}>
              <input id={'scope-' + p} type="checkbox" checked={scopes.includes(p)} onChange={(e) => toggle(p, (e.currentTarget as HTMLInputElement).checked)} />
              <label for={'scope-' + p}>{permissionLabel(p)}</label>
            </div>
          ))}
          {errors.scopes ? <p class="field-error" id="scopes-error">{errors.scopes}</p> : null}
        </fieldset>
        <Field label="Expires after (days)" type="number" value={days} onValue={setDays} min={1} max={365} inputMode="numeric" required error={errors.days ?? null} />
        <Button type="submit" variant="primary" busy={busy}>Create token</Button>
      </form>
    </section>
  );
}
