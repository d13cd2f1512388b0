import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { errorText } from '../api.ts';
import { devicesApi, type EnrolmentToken as Token } from '../device-api.ts';
import { enrolCommand, gatewayUrl, relativeTime } from '../device-format.ts';
import { formatDateTime } from '../format.ts';
import { Banner } from './Banner.tsx';
import { Button } from './Button.tsx';
import { CopyButton } from './SecretOnce.tsx';

/**
 * "Create enrolment token" for one device: the server shows the token once; this shows it with the
 * exact `vigil-agent enroll` command line (gateway address and CA fingerprint from the answer).
 */
export function EnrolmentToken({ deviceId, deviceName, onDone }: { deviceId: string; deviceName: string; onDone?: () => void }) {
  const [token, setToken] = useState<Token | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const create = async () => {
    setBusy(true);
    setProblem(null);
    try {
      setToken(await devicesApi.enrolmentToken(deviceId));
    } catch (err) {
      setProblem(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  if (token === null) {
    return (
      <div class="enrol-token">
        {problem ? <Banner tone="error"><p>{problem}</p></Banner> : null}
        <Button variant="primary" busy={busy} onClick={() => void create()}>Create enrolment token</Button>
      </div>
    );
  }

  const server = gatewayUrl(token.gateway_listen, window.location.hostname);
  const command = enrolCommand(server, token.token, token.ca_fingerprint_sha256);
  return (
    <section class="secret-once enrol-token" aria-label={'Enrolment token for ' + deviceName}>
      <Banner tone="warning" title={'Enrolment token for ' + deviceName}>
        <p>
          This is shown only once. It can be used once, until {formatDateTime(token.expires_at)} ({relativeTime(token.expires_at, Date.now())}).
          Run the command below on the device; the agent checks the gateway against the CA fingerprint before it sends anything.
        </p>
      </Banner>
      <div class="secret-row">
        <span class="secret-label">Token</span>
        <code class="secret-value enrol-token-value">{token.token}</code>
        <CopyButton text={token.token} />
      </div>
      <p class="secret-label">Command for the device</p>
      <pre class="command">
        <code class="enrol-command">
          {command.split(' ').map((word, i) => (
            <Fragment key={i}>{i > 0 ? ' ' : ''}<span class={word.startsWith('-') ? 'flag' : undefined}>{word}</span></Fragment>
          ))}
        </code>
      </pre>
      <p><CopyButton text={command} label="Copy command" /></p>
      <dl class="facts device-facts">
        <dt>Gateway</dt>
        <dd><code>{server}</code></dd>
        <dt>Device CA fingerprint (SHA-256)</dt>
        <dd><code class="fingerprint">{token.ca_fingerprint_sha256}</code></dd>
      </dl>
      {onDone ? <p><Button onClick={onDone}>Done</Button></p> : null}
    </section>
  );
}
