import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, errorText, type Me } from '../api.ts';
import { Badge } from '../components/Badge.tsx';
import { Banner } from '../components/Banner.tsx';
import { Button } from '../components/Button.tsx';
import { EnrolmentToken } from '../components/EnrolmentToken.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { devicesApi, recentEvents, type Device, type DeviceEvent, type DeviceTypes } from '../device-api.ts';
import { certificateBadge, criticalityTone, DEVICE_REFRESH_MS, heartbeatBadge, wordsLabel } from '../device-format.ts';
import { formatDateTime } from '../format.ts';
import { hashFor } from '../routes.ts';
import { DeviceEvents, HeartbeatFacts, RevokeDialog } from './device-parts.tsx';
import { DeviceTelemetry } from './device-telemetry.tsx';

const EVENTS_SHOWN = 50;

/** One device: its record, certificate, last heartbeat, telemetry and events; revoke and re-enrol. */
export function DevicePage({ me, param }: { me: Me; param: string | null }) {
  const id = param ?? '';
  const canRevoke = me.permissions.includes('devices.revoke');
  const canManage = me.permissions.includes('devices.manage');
  const [device, setDevice] = useState<Device | null>(null);
  const [vocabulary, setVocabulary] = useState<DeviceTypes | null>(null);
  const [events, setEvents] = useState<DeviceEvent[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [revoking, setRevoking] = useState(false);
  const [enrolling, setEnrolling] = useState(false);
  const [tick, setTick] = useState(0);

  const load = useCallback(
    async (background: boolean) => {
      try {
        const [d, e] = await Promise.all([devicesApi.get(id, { background }), recentEvents(id, EVENTS_SHOWN, { background })]);
        setDevice(d.device);
        setEvents(e);
        setProblem(null);
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) setMissing(true);
        else setProblem(errorText(err));
      }
    },
    [id],
  );

  useEffect(() => {
    void load(false);
    devicesApi.types().then(setVocabulary, () => setVocabulary(null));
    const timer = window.setInterval(() => {
      void load(true);
      setTick((t) => t + 1);
    }, DEVICE_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [load]);

  const back = <a href={hashFor('devices')}>← All devices</a>;
  if (missing) {
    return (
      <>
        <PageHeader title="Device not found">{back}</PageHeader>
        <Banner tone="warning"><p>There is no device with the id {id}.</p></Banner>
      </>
    );
  }
  if (device === null) {
    return (
      <>
        <PageHeader title="Device">{back}</PageHeader>
        {problem ? <Banner tone="error"><p>{problem}</p></Banner> : <p class="loading" role="status">Loading the device…</p>}
      </>
    );
  }

  const now = Date.now();
  const cert = certificateBadge(device.certificate_status);
  const c = device.certificate;
  const typeLabel = vocabulary?.types.find((t) => t.name === device.type)?.label ?? device.type;
  const criticalityLabel = vocabulary?.criticalities.find((x) => x.name === device.criticality)?.label ?? wordsLabel(device.criticality);
  const hb = heartbeatBadge(device.last_heartbeat?.received_at, now);
  return (
    <>
      <PageHeader title={device.name}>
        <div class="header-meta">
          <span class="badges">
            <Badge label={'Certificate: ' + cert.label} tone={cert.tone} />
            <Badge label={'Heartbeat ' + hb.label.toLowerCase()} tone={hb.tone} />
            {device.quarantined ? <Badge label="Quarantined" tone="danger" /> : null}
          </span>
          {back}
        </div>
      </PageHeader>
      {notice ? <Banner tone="success"><p>{notice}</p></Banner> : null}
      {problem ? <Banner tone="error"><p>{problem}</p></Banner> : null}
      <div class="columns">
        <section class="panel" aria-labelledby="record-title">
          <h2 id="record-title">Record</h2>
          <dl class="facts device-facts">
            <dt>Type</dt><dd>{typeLabel}</dd>
            <dt>Criticality</dt><dd><Badge label={criticalityLabel} tone={criticalityTone(device.criticality)} /></dd>
            <dt>Manufacturer</dt><dd>{device.manufacturer || '—'}</dd>
            <dt>Model</dt><dd>{device.model || '—'}</dd>
            <dt>Firmware on record</dt><dd>{device.firmware || '—'}</dd>
            <dt>Serial number</dt><dd>{device.serial || '—'}</dd>
            <dt>Location</dt><dd>{device.location || '—'}</dd>
            <dt>Added</dt><dd>{formatDateTime(device.created_at)}</dd>
            <dt>Device id</dt><dd><code>{device.id}</code></dd>
          </dl>
        </section>
        <section class="panel" aria-labelledby="certificate-title">
          <div class="panel-head">
            <h2 id="certificate-title">Certificate</h2>
            <span class="certificate-status"><Badge label={cert.label} tone={cert.tone} /></span>
          </div>
          {c === null ? <p class="muted">No certificate yet: the device has not enrolled.</p> : (
            <dl class="facts device-facts">
              <dt>Serial</dt><dd><code>{c.serial}</code></dd>
              <dt>Valid from</dt><dd>{formatDateTime(c.not_before)}</dd>
              <dt>Valid until</dt><dd class={'cert-' + device.certificate_status}>{formatDateTime(c.not_after)}</dd>
              <dt>Fingerprint (SHA-256)</dt><dd><code class="fingerprint">{c.fingerprint_sha256}</code></dd>
              {c.revoked_at !== null ? <><dt>Revoked</dt><dd>{formatDateTime(c.revoked_at)} ({wordsLabel(c.revocation_reason ?? 'unspecified')})</dd></> : null}
            </dl>
          )}
          <div class="form-actions panel-actions">
            {canRevoke && c !== null && device.certificate_status !== 'revoked' ? (
              <Button variant="danger" onClick={() => setRevoking(true)}>Revoke</Button>
            ) : null}
            {canManage && !enrolling ? <Button onClick={() => setEnrolling(true)}>{c === null ? 'Enrol…' : 'Re-enrol…'}</Button> : null}
          </div>
        </section>
      </div>
      {enrolling ? (
        <section class="panel" aria-labelledby="enrol-title">
          <h2 id="enrol-title">Enrolment</h2>
          <p>{c === null ? 'The device enrols' : 'The device gets a new certificate'} with a one-time token: run the command on the device.</p>
          <EnrolmentToken deviceId={device.id} deviceName={device.name} onDone={() => setEnrolling(false)} />
        </section>
      ) : null}
      <HeartbeatFacts device={device} now={now} />
      <DeviceTelemetry deviceId={device.id} tick={tick} />
      <DeviceEvents events={events} shown={EVENTS_SHOWN} />
      <RevokeDialog
        device={revoking ? device : null}
        onClose={() => setRevoking(false)}
        onRevoked={(serials) => {
          setRevoking(false);
          setNotice(serials.length === 0 ? 'No certificate was left to revoke.' : 'Revoked certificate ' + serials.join(', ') + '. The gateway refuses this device from now on.');
          void load(false);
        }}
      />
    </>
  );
}
