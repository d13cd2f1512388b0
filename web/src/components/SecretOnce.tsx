import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { Banner } from './Banner.tsx';
import { Button } from './Button.tsx';

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <span class="copy">
      <Button
        small
        onClick={async () => setState((await copy(text)) ? 'copied' : 'failed')}
      >
        {label}
      </Button>
      <span class="copy-state" role="status">
        {state === 'copied' ? 'Copied.' : state === 'failed' ? 'Copy failed: select the text and copy it.' : ''}
      </span>
    </span>
  );
}

export interface SecretOnceProps {
  title: string;
  /** What the secret is, e.g. "One-time password for jdoe". */
  label: string;
  secret: string;
  children?: ComponentChildren;
  onDone: () => void;
  doneLabel?: string;
}

/** A secret the server shows only once (one-time password, token secret), with a copy button. */
export function SecretOnce({ title, label, secret, children, onDone, doneLabel = 'Done' }: SecretOnceProps) {
  return (
    <section class="secret-once" aria-label={title}>
      <Banner tone="warning" title={title}>
        <p>This is shown only once. Copy it now: Vigil cannot show it again.</p>
        {children}
      </Banner>
      <div class="secret-row">
        <span class="secret-label">{label}</span>
        <code class="secret-value">{secret}</code>
        <CopyButton text={secret} />
      </div>
      <Button variant="primary" onClick={onDone}>{doneLabel}</Button>
    </section>
  );
}

export interface RecoveryCodesProps {
  codes: readonly string[];
  onDone: () => void;
  doneLabel?: string;
}

/** The recovery codes, shown once, with an explicit "I have saved these" step. */
export function RecoveryCodes({ codes, onDone, doneLabel = 'Continue' }: RecoveryCodesProps) {
  const [saved, setSaved] = useState(false);
  return (
    <section class="recovery-codes" aria-labelledby="recovery-codes-title">
      <h2 id="recovery-codes-title">Your recovery codes</h2>
      <Banner tone="warning">
        <p>
          Each code signs you in once if you lose your authenticator. They are shown only now: store
          them somewhere safe (a password manager or a sealed envelope), not on this computer's desktop.
        </p>
      </Banner>
      <ol class="code-list" aria-label="Recovery codes">
        {codes.map((c) => (
          <li key={c}><code>{c}</code></li>
        ))}
      </ol>
      <p><CopyButton text={codes.join('\n')} label="Copy all codes" /></p>
      <div class="check">
        <input id="recovery-saved" type="checkbox" checked={saved} onChange={(e) => setSaved((e.currentTarget as HTMLInputElement).checked)} />
        <label for="recovery-saved">I have saved these recovery codes</label>
      </div>
      <Button variant="primary" disabled={!saved} onClick={onDone}>{doneLabel}</Button>
    </section>
  );
}
