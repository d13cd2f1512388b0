import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, errorText, type EnrolAnswer } from '../api.ts';
import { Banner } from '../components/Banner.tsx';
import { Button } from '../components/Button.tsx';
import { Field } from '../components/Field.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { RecoveryCodes } from '../components/SecretOnce.tsx';
import { useApp } from '../context.ts';
import { groupKey, normaliseTotp, svgDataUri } from '../format.ts';

/** First sign-in: set up the authenticator app (TOTP), then see the recovery codes once. */
export function MfaEnrolPage() {
  const { advance, signOut } = useApp();
  const [enrol, setEnrol] = useState<EnrolAnswer | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [codeError, setCodeError] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [recovery, setRecovery] = useState<string[] | null>(null);
  const started = useRef(false);

  const load = async () => {
    setLoadError(null);
    try {
      setEnrol(await api.mfaEnrol());
    } catch (err) {
      setLoadError(errorText(err));
    }
  };

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void load();
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    setCodeError(null);
    setProblem(null);
    const digits = normaliseTotp(code);
    if (digits.length !== 6) {
      setCodeError('Enter the 6-digit code your app shows.');
      return;
    }
    setBusy(true);
    try {
      const answer = await api.mfaEnrolConfirm(digits);
      setRecovery(answer.recovery_codes);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid_code') setCodeError('That code is not valid. Check the time on your device and try the next code.');
      else setProblem(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  if (recovery !== null) {
    return (
      <>
        <PageHeader title="Save your recovery codes" />
        <Banner tone="success"><p>Your authenticator app is set up.</p></Banner>
        <RecoveryCodes codes={recovery} onDone={() => void advance('done')} doneLabel="Continue to Vigil" />
      </>
    );
  }

  return (
    <>
      <PageHeader title="Set up two-factor authentication" />
      <p>
        Vigil requires a second factor. Scan the QR code with an authenticator app (for example
        FreeOTP, Google Authenticator or Microsoft Authenticator), or type the key into it, then enter
        the 6-digit code it shows.
      </p>
      {loadError ? (
        <Banner tone="error" title="Could not start the set-up">
          <p>{loadError}</p>
          <Button onClick={() => void load()}>Try again</Button>
        </Banner>
      ) : null}
      {enrol === null && loadError === null ? <p class="loading" role="status">Preparing your key…</p> : null}
      {enrol !== null ? (
        <div class="enrol">
          <figure class="qr">
            <img src={svgDataUri(enrol.qr_svg)} alt="QR code to add Vigil to your authenticator app" width={200} height={200} />
          </figure>
          <div class="manual-key">
            <p class="manual-key-label" id="manual-key-label">Or enter this key manually</p>
            <code class="key mono" aria-labelledby="manual-key-label">{groupKey(enrol.secret)}</code>
            <p class="field-hint">Time-based, 6 digits, every 30 seconds.</p>
          </div>
        </div>
      ) : null}
      {problem ? <Banner tone="error"><p>{problem}</p></Banner> : null}
      <form class="form" onSubmit={submit}>
        <Field label="Code from your app" value={code} onValue={setCode} autoComplete="one-time-code" inputMode="numeric" maxLength={7} pattern="[0-9 ]*" required mono error={codeError} disabled={enrol === null} />
        <div class="form-actions">
          <Button type="submit" variant="primary" busy={busy} disabled={enrol === null}>Confirm</Button>
          <Button variant="link" onClick={() => void signOut()}>Cancel and sign out</Button>
        </div>
      </form>
    </>
  );
}
