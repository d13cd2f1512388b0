import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, errorText, ROLES, type Me, type User } from '../api.ts';
import { Badge } from '../components/Badge.tsx';
import { Banner } from '../components/Banner.tsx';
import { Button } from '../components/Button.tsx';
import { Dialog } from '../components/Dialog.tsx';
import { Field, SelectField } from '../components/Field.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { SecretOnce } from '../components/SecretOnce.tsx';
import { formatDateTime, roleLabel, userBadges } from '../format.ts';

const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: roleLabel(r) }));

type Pending =
  | { kind: 'role'; user: User }
  | { kind: 'disable'; user: User }
  | { kind: 'reset-mfa'; user: User }
  | { kind: 'reset-password'; user: User };

interface Secret { title: string; label: string; value: string; note: string }

/** User administration (users.read to see, users.manage to change). */
export function UsersPage({ me }: { me: Me }) {
  const canManage = me.permissions.includes('users.manage');
  const [users, setUsers] = useState<User[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [secret, setSecret] = useState<Secret | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [dialogBusy, setDialogBusy] = useState(false);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const [newRole, setNewRole] = useState('');

  const load = useCallback(async () => {
    try {
      const answer = await api.users();
      setUsers(answer.users);
    } catch (err) {
      setProblem(errorText(err));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const replace = (u: User) => setUsers((list) => (list === null ? list : list.map((x) => (x.id === u.id ? u : x))));

  const open = (p: Pending) => {
    setDialogError(null);
    setNotice(null);
    if (p.kind === 'role') setNewRole(p.user.role);
    setPending(p);
  };

  const act = async (run: () => Promise<void>) => {
    setDialogBusy(true);
    setDialogError(null);
    try {
      await run();
      setPending(null);
    } catch (err) {
      setDialogError(errorText(err));
    } finally {
      setDialogBusy(false);
    }
  };

  const enable = async (u: User) => {
    setProblem(null);
    setNotice(null);
    try {
      replace((await api.enableUser(u.id)).user);
      setNotice(u.username + ' can sign in again.');
    } catch (err) {
      setProblem(errorText(err));
    }
  };

  const confirmPending = () => {
    if (pending === null) return;
    const u = pending.user;
    if (pending.kind === 'role') {
      void act(async () => {
        replace((await api.setRole(u.id, newRole)).user);
        setNotice(u.username + ' is now ' + roleLabel(newRole) + '.');
      });
    } else if (pending.kind === 'disable') {
      void act(async () => {
        replace((await api.disableUser(u.id)).user);
        setNotice(u.username + ' is disabled and signed out.');
      });
    } else if (pending.kind === 'reset-mfa') {
      void act(async () => {
        replace((await api.resetMfa(u.id)).user);
        setNotice('Two-factor authentication of ' + u.username + ' was reset. They enrol again at their next sign-in.');
      });
    } else {
      void act(async () => {
        const answer = await api.resetPassword(u.id);
        replace(answer.user);
        setSecret({ title: 'Password reset for ' + u.username, label: 'One-time password', value: answer.one_time_password, note: 'Hand it to the person through a safe channel. They must choose a new password when they next sign in.' });
      });
    }
  };

  return (
    <>
      <PageHeader title="Users" />
      {secret ? <SecretOnce title={secret.title} label={secret.label} secret={secret.value} onDone={() => setSecret(null)}><p>{secret.note}</p></SecretOnce> : null}
      {notice ? <Banner tone="success"><p>{notice}</p></Banner> : null}
      {problem ? <Banner tone="error"><p>{problem}</p></Banner> : null}
      {canManage && secret === null ? (
        <CreateUser
          onCreated={(u, otp) => {
            setUsers((list) => (list === null ? [u] : [...list.filter((x) => x.id !== u.id), u]));
            setNotice(null);
            setSecret({ title: 'Account created for ' + u.username, label: 'One-time password', value: otp, note: 'Hand it to the person through a safe channel. They must choose their own password and set up two-factor authentication when they first sign in.' });
          }}
        />
      ) : null}
      <section class="panel" aria-labelledby="users-title">
        <h2 id="users-title">Accounts</h2>
        {users === null && problem === null ? <p class="loading" role="status">Loading users…</p> : null}
        {users !== null ? (
          <div class="table-wrap">
            <table class="table">
              <caption class="sr-only">Accounts</caption>
              <thead>
                <tr>
                  <th scope="col">User name</th>
                  <th scope="col">Role</th>
                  <th scope="col">State</th>
                  <th scope="col">Last sign-in</th>
                  <th scope="col">Created</th>
                  {canManage ? <th scope="col"><span class="sr-only">Actions</span></th> : null}
                </tr>
              </thead>
              <tbody>
                {users.map((u) => {
                  const self = String(u.id) === String(me.id);
                  return (
                    <tr key={String(u.id)}>
                      <th scope="row">{u.username}{self ? <span class="muted"> (you)</span> : null}</th>
                      <td>{roleLabel(u.role)}</td>
                      <td><span class="badges">{userBadges(u, Date.now()).map((b) => <Badge key={b.label} label={b.label} tone={b.tone} />)}</span></td>
                      <td>{formatDateTime(u.last_login_at)}</td>
                      <td>{formatDateTime(u.created_at)}</td>
                      {canManage ? (
                        <td class="actions">
                          <Button small onClick={() => open({ kind: 'role', user: u })} aria-label={'Change role of ' + u.username}>Role</Button>
                          {u.disabled ? (
                            <Button small onClick={() => void enable(u)} aria-label={'Enable ' + u.username}>Enable</Button>
                          ) : !self ? (
                            <Button small onClick={() => open({ kind: 'disable', user: u })} aria-label={'Disable ' + u.username}>Disable</Button>
                          ) : null}
                          <Button small onClick={() => open({ kind: 'reset-password', user: u })} aria-label={'Reset password of ' + u.username}>Reset password</Button>
                          <Button small variant="danger" onClick={() => open({ kind: 'reset-mfa', user: u })} aria-label={'Reset MFA of ' + u.username}>Reset MFA</Button>
                        </td>
                      ) : null}
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
        title={
          pending === null ? '' :
          pending.kind === 'role' ? 'Change the role of ' + pending.user.username :
          pending.kind === 'disable' ? 'Disable ' + pending.user.username + '?' :
          pending.kind === 'reset-mfa' ? 'Reset two-factor authentication of ' + pending.user.username + '?' :
          'Reset the password of ' + pending.user.username + '?'
        }
        onClose={() => setPending(null)}
        actions={
          pending === null ? null : (
            <>
              <Button onClick={() => setPending(null)}>Cancel</Button>
              <Button variant={pending.kind === 'role' ? 'primary' : 'danger'} busy={dialogBusy} onClick={confirmPending}>
                {pending.kind === 'role' ? 'Change role' : pending.kind === 'disable' ? 'Disable account' : pending.kind === 'reset-mfa' ? 'Reset MFA' : 'Reset password'}
              </Button>
            </>
          )
        }
      >
        {dialogError ? <Banner tone="error"><p>{dialogError}</p></Banner> : null}
        {pending?.kind === 'role' ? (
          <SelectField label="Role" value={newRole} onValue={setNewRole} options={ROLE_OPTIONS} hint="The role decides what this person can see and change." />
        ) : null}
        {pending?.kind === 'disable' ? <p>{pending.user.username} is signed out everywhere and cannot sign in until the account is enabled again. Their API tokens stop working.</p> : null}
        {pending?.kind === 'reset-mfa' ? (
          <Banner tone="warning" live={false}>
            <p>
              This removes their authenticator and recovery codes; they must enrol again at their next
              sign-in. Resetting MFA is <strong>audited as a high-severity event</strong> and reviewed.
              Confirm the person's identity out of band (in person or by a call back) before you continue.
            </p>
          </Banner>
        ) : null}
        {pending?.kind === 'reset-password' ? <p>Their current password stops working and their sessions end. Vigil shows a one-time password once; they must replace it at their next sign-in.</p> : null}
      </Dialog>
    </>
  );
}

function CreateUser({ onCreated }: { onCreated: (user: User, oneTimePassword: string) => void }) {
  const [username, setUsername] = useState('');
  const [role, setRole] = useState('security_analyst');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setProblem(null);
    const name = username.trim();
    if (name.length === 0) {
      setProblem('Enter a user name.');
      return;
    }
    setBusy(true);
    try {
      const answer = await api.createUser(name, role);
      setUsername('');
      onCreated(answer.user, answer.one_time_password);
    } catch (err) {
      setProblem(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="create-user-title">
      <h2 id="create-user-title">Create a user</h2>
      {problem ? <Banner tone="error"><p>{problem}</p></Banner> : null}
      <form class="form form-inline" onSubmit={submit}>
        <Field label="User name" value={username} onValue={setUsername} autoComplete="off" autoCapitalize="none" spellcheck={false} required />
        <SelectField label="Role" value={role} onValue={setRole} options={ROLE_OPTIONS} />
        <Button type="submit" variant="primary" busy={busy}>Create user</Button>
      </form>
    </section>
  );
}
