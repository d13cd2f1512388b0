import { useEffect, useState } from 'preact/hooks';
import { ApiError, errorText, type Me } from '../api.ts';
import { Badge } from '../components/Badge.tsx';
import { Banner } from '../components/Banner.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { formatDateTime } from '../format.ts';
import { inventoryApi, type InventoryDevice } from '../inventory-api.ts';
import { deviceLabel } from '../inventory-format.ts';
import { deviceRoute, hashFor } from '../routes.ts';
import { Addresses, EvidenceTable, FactsTable, Findings, Services } from './inventory-device-parts.tsx';
import { Traffic } from './inventory-traffic.tsx';
import { IdentifiedValue, ProtocolBadges, Since, useTypeLabels } from './inventory-parts.tsx';

/** One observed device: what it is and why we think so, where it is, what it talks and to whom. */
export function InventoryDevicePage({ param }: { me: Me; param: string | null }) {
  const id = param ?? '';
  const [device, setDevice] = useState<InventoryDevice | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const { labels } = useTypeLabels();

  useEffect(() => {
    inventoryApi.get(id).then(
      (d) => {
        setDevice(d);
        setProblem(null);
      },
      (err: unknown) => {
        if (err instanceof ApiError && err.status === 404) setMissing(true);
        else setProblem(errorText(err));
      },
    );
  }, [id]);

  const back = <a href={hashFor('inventory')}>← Observed devices</a>;
  if (missing) {
    return (
      <>
        <PageHeader title="Observed device not found">{back}</PageHeader>
        <Banner tone="warning"><p>The sensor has not observed a device with the id {id}.</p></Banner>
      </>
    );
  }
  if (device === null) {
    return (
      <>
        <PageHeader title="Observed device">{back}</PageHeader>
        {problem ? <Banner tone="error"><p>{problem}</p></Banner> : <p class="loading" role="status">Loading the device…</p>}
      </>
    );
  }

  const now = Date.now();
  const type = device.device_type;
  const reg = device.registered_device;
  return (
    <>
      <PageHeader title={deviceLabel(device)}>
        <div class="header-meta">
          <span class="badges">
            {device.cleartext_protocols.length > 0 ? <Badge label="Clear-text protocols" tone="warn" /> : null}
            {reg === null ? <Badge label="Not registered" tone="warn" /> : <Badge label="Registered" tone="ok" />}
          </span>
          {back}
        </div>
      </PageHeader>
      <div class="columns">
        <section class="panel" aria-labelledby="identity-title">
          <h2 id="identity-title">Identity</h2>
          <dl class="facts device-facts identity-facts">
            <dt>Manufacturer</dt><dd><IdentifiedValue value={device.manufacturer} /></dd>
            <dt>Type</dt><dd><IdentifiedValue value={type} label={type === null ? undefined : labels[type.value]} /></dd>
            <dt>Model</dt><dd><IdentifiedValue value={device.model} /></dd>
            <dt>Firmware</dt><dd><IdentifiedValue value={device.firmware} /></dd>
            <dt>Registered device</dt>
            <dd class="registered-device">
              {reg === null ? <span class="muted">Not registered</span> : <a href={hashFor(deviceRoute(reg.id))}>{reg.name}</a>}
            </dd>
          </dl>
        </section>
        <section class="panel" aria-labelledby="network-title">
          <h2 id="network-title">On the network</h2>
          <dl class="facts device-facts">
            <dt>MAC</dt><dd class="mono">{device.macs.length === 0 ? '—' : device.macs.join(', ')}</dd>
            <dt>IP address</dt><dd class="mono">{device.ip ?? '—'}</dd>
            <dt>Names</dt><dd class="device-names">{device.names.length === 0 ? '—' : device.names.join(', ')}</dd>
            <dt>VLAN</dt><dd>{device.vlan === null || device.vlan === 0 ? 'None (untagged)' : String(device.vlan)}</dd>
            <dt>Protocols</dt><dd><ProtocolBadges protocols={device.protocols} cleartext={device.cleartext_protocols} /></dd>
            <dt>First seen</dt><dd>{formatDateTime(device.first_seen)}</dd>
            <dt>Last seen</dt><dd>{formatDateTime(device.last_seen)} (<Since value={device.last_seen} now={now} />)</dd>
            <dt>Observed id</dt><dd><code>{device.id}</code></dd>
          </dl>
        </section>
      </div>
      {device.cleartext_protocols.length > 0 ? (
        <Banner tone="warning" title="Clear-text traffic">
          <p>
            This device used {device.cleartext_protocols.join(', ')} without encryption for logins or patient data. See the findings below.
          </p>
        </Banner>
      ) : null}
      <EvidenceTable evidence={device.evidence} />
      <Findings deviceId={device.id} />
      <FactsTable facts={device.facts} />
      <div class="columns">
        <Addresses addresses={device.addresses} />
        <Services services={device.services} />
      </div>
      <Traffic deviceId={device.id} lastSeen={device.last_seen} />
    </>
  );
}
