// Parts of the device page: the last heartbeat, the recent events and the revoke dialog.

import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../api.ts';
import { Badge } from '../components/Badge.tsx';
import { Banner } from '../components/Banner.tsx';
import { Button } from '../components/Button.tsx';
import { Dialog } from '../components/Dialog.tsx';
import { SelectField } from '../components/Field.tsx';
import { devicesApi, type Device, type DeviceEvent, type RevokeReason } from '../device-api.ts';
import { firmwareDiffers, formatAge, heartbeatBadge, REVOKE_REASONS, severityTone, wordsLabel } from '../device-format.ts';
import { formatDateTime } from '../format.ts';

export function HeartbeatFacts({ device, now }: { device: Device; now: number }) {
  const hb = device.last_heartbeat;
  const age = heartbeatBadge(hb?.received_at, now);
  const differs = hb !== null && firmwareDiffers(device.firmware, hb.firmware_version);
  return (
    <section class="panel heartbeat" aria-labelledby="heartbeat-title">
      <div class="panel-head">
        <h2 id="heartbeat-title">Last heartbeat</h2>
        <Badge label={age.label} tone={age.tone} />
      </div>
      {hb === null ? <p class="muted">No heartbeat yet.</p> : (
        <dl class="facts device-facts">
          <dt>Received</dt><dd class="heartbeat-received">{formatDateTime(hb.received_at)}</dd>
          <dt>Device clock</dt><dd>{formatDateTime(hb.time)}</dd>
          <dt>Firmware reported</dt>
          <dd class={differs ? 'mismatch' : undefined}>
            {hb.firmware_version || '—'}
            {differs ? <> <Badge label={'Differs from the record (' + device.firmware + ')'} tone="warn" /></> : null}
          </dd>
          <dt>Firmware on record</dt><dd class={differs ? 'mismatch' : undefined}>{device.firmware || '—'}</dd>
          <dt>Agent version</dt><dd class="heartbeat-agent">{hb.agent_version || '—'}</dd>
          <dt>State</dt><dd>{wordsLabel(hb.state)}</dd>
          <dt>Uptime</dt><dd>{hb.uptime_seconds === null ? '—' : formatAge(hb.uptime_seconds)}</dd>
          <dt>Records dropped</dt><dd>{hb.spool_dropped > 0 ? <Badge label={String(hb.spool_dropped)} tone="warn" /> : '0'}</dd>
        </dl>
      )}
    </section>
  );
}

export function DeviceEvents({ events, shown }: { events: DeviceEvent[] | null; shown: number }) {
  return (
    <section class="panel" aria-labelledby="events-title">
      <h2 id="events-title">Recent events</h2>
      {events === null ? <p class="loading" role="status">Loading events…</p> : null}
      {events !== null && events.length === 0 ? <p class="muted">The device has not sent any events.</p> : null}
      {events !== null && events.length > 0 ? (
        <>
          <p class="muted">Newest first{events.length >= shown ? '; the last ' + String(shown) : ''}. Flagged events arrived while the device was quarantined.</p>
          <div class="table-wrap">
            <table class="table events-table">
              <caption class="sr-only">Events of the device</caption>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Severity</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Message</th>
                  <th scope="col"><span class="sr-only">Flag</span></th>
                </tr>
              </thead>
              <tbody>
                {events.map((e) => (
                  <tr key={e.seq}>
                    <td class="nowrap">{formatDateTime(e.time ?? e.received_at)}</td>
                    <td><Badge label={wordsLabel(e.severity)} tone={severityTone(e.severity)} /></td>
                    <td>{wordsLabel(e.kind)}</td>
                    <td class="event-message">{e.message}</td>
                    <td>{e.flagged ? <Badge label="Flagged" tone="danger" /> : null}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}

/** "Revoke" behind a confirmation with the reason (devices.revoke). Open while `device` is set. */
export function RevokeDialog({ device, onClose, onRevoked }: { device: Device | null; onClose: () => void; onRevoked: (serials: string[]) => void }) {
  const [reason, setReason] = useState<string>('unspecified');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (device !== null) {
      setReason('unspecified');
      setProblem(null);
    }
  }, [device]);

  const confirm = async () => {
    if (device === null) return;
    setBusy(true);
    setProblem(null);
    try {
      const answer = await devicesApi.revoke(device.id, reason as RevokeReason);
      onRevoked(answer.revoked_serials);
    } catch (err) {
      setProblem(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={device !== null}
      title={device === null ? '' : 'Revoke ' + device.name + '?'}
      onClose={onClose}
      actions={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="danger" busy={busy} onClick={() => void confirm()}>Revoke certificates</Button>
        </>
      }
    >
      {problem ? <Banner tone="error"><p>{problem}</p></Banner> : null}
      <p>
        Every certificate of this device is revoked at once: the gateway refuses its next request and
        handshake. It can come back only with a new enrolment token. This is audited.
      </p>
      <SelectField label="Reason" value={reason} onValue={setReason} options={REVOKE_REASONS} />
    </Dialog>
  );
}
