import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { errorText, type Me } from '../api.ts';
import { Badge } from '../components/Badge.tsx';
import { Banner } from '../components/Banner.tsx';
import { Button } from '../components/Button.tsx';
import { EnrolmentToken } from '../components/EnrolmentToken.tsx';
import { Field, SelectField } from '../components/Field.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { devicesApi, type Device, type DeviceTypes } from '../device-api.ts';
import { certificateBadge, criticalityTone, DEVICE_REFRESH_MS, filterDevices, heartbeatBadge, relativeTime, wordsLabel } from '../device-format.ts';
import { formatDateTime } from '../format.ts';
import { deviceRoute, hashFor } from '../routes.ts';
import { AddDevice } from './device-add.tsx';

/** The device inventory: filter, add (devices.manage) and enrol. */
export function DevicesPage({ me }: { me: Me; param: string | null }) {
  const canManage = me.permissions.includes('devices.manage');
  const [devices, setDevices] = useState<Device[] | null>(null);
  const [serverNow, setServerNow] = useState(Date.now());
  const [vocabulary, setVocabulary] = useState<DeviceTypes | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [added, setAdded] = useState<Device | null>(null);
  const [text, setText] = useState('');
  const [type, setType] = useState('');

  const load = useCallback(async (background: boolean) => {
    try {
      const answer = await devicesApi.list({ background });
      setDevices(answer.devices);
      const now = Date.parse(answer.now);
      setServerNow(Number.isNaN(now) ? Date.now() : now);
      setProblem(null);
    } catch (err) {
      setProblem(errorText(err));
    }
  }, []);

  useEffect(() => {
    void load(false);
    devicesApi.types().then(setVocabulary, (err: unknown) => setProblem(errorText(err)));
    const timer = window.setInterval(() => void load(true), DEVICE_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [load]);

  const typeLabels = useMemo(() => Object.fromEntries((vocabulary?.types ?? []).map((t) => [t.name, t.label])), [vocabulary]);
  const criticalityLabels = useMemo(() => Object.fromEntries((vocabulary?.criticalities ?? []).map((c) => [c.name, c.label])), [vocabulary]);
  const shown = devices === null ? [] : filterDevices(devices, text, type, typeLabels);
  const typeOptions = [{ value: '', label: 'All types' }, ...(vocabulary?.types ?? []).map((t) => ({ value: t.name, label: t.label }))];

  return (
    <>
      <PageHeader title="Devices" />
      <p>Medical and clinical devices that report to Vigil through the device gateway (mutual TLS, one certificate per device).</p>
      {problem ? <Banner tone="error"><p>{problem}</p></Banner> : null}
      {added !== null ? (
        <section class="panel" aria-labelledby="added-title">
          <div class="panel-head">
            <h2 id="added-title">Device {added.name} added</h2>
            <a href={hashFor(deviceRoute(added.id))}>Open the device page</a>
          </div>
          <p>Create a one-time enrolment token and run the command on the device to issue its certificate.</p>
          <EnrolmentToken key={added.id} deviceId={added.id} deviceName={added.name} onDone={() => setAdded(null)} />
        </section>
      ) : null}
      {canManage && vocabulary !== null && added === null ? (
        <AddDevice
          vocabulary={vocabulary}
          onAdded={(d) => {
            setAdded(d);
            void load(false);
          }}
        />
      ) : null}
      <section class="panel" aria-labelledby="devices-title">
        <div class="panel-head">
          <h2 id="devices-title">Registered devices</h2>
          <Button small onClick={() => void load(false)}>Refresh</Button>
        </div>
        <div class="form form-inline filters" role="search">
          <Field label="Search devices" type="search" value={text} onValue={setText} autoComplete="off" hint="Name, maker, model, serial, location." />
          <SelectField label="Show type" value={type} onValue={setType} options={typeOptions} />
        </div>
        {devices === null && problem === null ? <p class="loading" role="status">Loading devices…</p> : null}
        {devices !== null && devices.length === 0 ? <p class="muted">No devices yet.</p> : null}
        {devices !== null && devices.length > 0 ? (
          <>
            <p class="muted" role="status">{(shown.length === devices.length ? '' : String(shown.length) + ' of ') + String(devices.length) + (devices.length === 1 ? ' device' : ' devices')}</p>
            <div class="table-wrap">
              <table class="table devices-table">
                <caption class="sr-only">Devices</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Type</th>
                    <th scope="col">Criticality</th>
                    <th scope="col">Certificate</th>
                    <th scope="col">Last heartbeat</th>
                    <th scope="col">Agent</th>
                    <th scope="col">State</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((d) => (
                    <DeviceRow key={d.id} device={d} now={serverNow} typeLabel={typeLabels[d.type] ?? d.type} criticalityLabel={criticalityLabels[d.criticality] ?? wordsLabel(d.criticality)} />
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : null}
      </section>
    </>
  );
}

function DeviceRow({ device: d, now, typeLabel, criticalityLabel }: { device: Device; now: number; typeLabel: string; criticalityLabel: string }) {
  const cert = certificateBadge(d.certificate_status);
  const hb = heartbeatBadge(d.last_heartbeat?.received_at, now);
  const notAfter = d.certificate?.not_after ?? null;
  return (
    <tr>
      <th scope="row"><a href={hashFor(deviceRoute(d.id))}>{d.name}</a></th>
      <td>{typeLabel}</td>
      <td><Badge label={criticalityLabel} tone={criticalityTone(d.criticality)} /></td>
      <td>
        <span class="cell-stack">
          <Badge label={cert.label} tone={cert.tone} />
          {notAfter !== null && d.certificate_status !== 'revoked' ? (
            <span class={'cert-expiry cert-' + d.certificate_status} title={formatDateTime(notAfter)}>
              {d.certificate_status === 'expired' ? 'expired ' : 'expires '}{relativeTime(notAfter, now)}
            </span>
          ) : null}
        </span>
      </td>
      <td><Badge label={hb.label} tone={hb.tone} /></td>
      <td>{d.last_heartbeat?.agent_version || '—'}</td>
      <td>
        <span class="badges">
          <span>{wordsLabel(d.last_heartbeat?.state ?? '')}</span>
          {d.quarantined ? <Badge label="Quarantined" tone="danger" /> : null}
        </span>
      </td>
    </tr>
  );
}
