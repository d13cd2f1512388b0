// Parts shared by the observed-inventory pages: the tabs, identified values with their
// confidence, protocol badges, the device-type labels and the "how to feed it" help.

import { useEffect, useState } from 'preact/hooks';
import { Badge } from '../components/Badge.tsx';
import { devicesApi } from '../device-api.ts';
import { formatDateTime } from '../format.ts';
import type { Identified, InventorySummary } from '../inventory-api.ts';
import { confidenceBadge, deviceLabel, protocolMarks, sinceLabel } from '../inventory-format.ts';
import { hashFor, INVENTORY_COMPARE_ROUTE, inventoryRoute } from '../routes.ts';

/** "Observed devices" | "Compare with registered". */
export function InventoryTabs({ current }: { current: 'list' | 'compare' }) {
  const tabs = [
    { key: 'list', href: hashFor('inventory'), label: 'Observed devices' },
    { key: 'compare', href: hashFor(INVENTORY_COMPARE_ROUTE), label: 'Compare with registered' },
  ];
  return (
    <nav class="tabs" aria-label="Inventory views">
      {tabs.map((t) => (
        <a key={t.key} href={t.href} class={'tab' + (t.key === current ? ' active' : '')} aria-current={t.key === current ? 'page' : undefined}>
          {t.label}
        </a>
      ))}
    </nav>
  );
}

/** Type name -> label from GET /api/v1/device-types (the name itself until it has loaded or if it fails). */
export function useTypeLabels(): { labels: Record<string, string>; types: Array<{ value: string; label: string }> } {
  const [types, setTypes] = useState<Array<{ value: string; label: string }>>([]);
  useEffect(() => {
    devicesApi.types().then(
      (v) => setTypes(v.types.map((t) => ({ value: t.name, label: t.label }))),
      () => setTypes([]),
    );
  }, []);
  return { labels: Object.fromEntries(types.map((t) => [t.value, t.label])), types };
}

/** A value with its confidence as a small badge; "—" when not identified. */
export function IdentifiedValue({ value, label }: { value: Identified | null; label?: string }) {
  if (value === null || value.value === '') return <span class="muted">—</span>;
  const c = confidenceBadge(value.confidence);
  return (
    <span class="identified">
      <span class="identified-value">{label ?? value.value}</span> <Badge label={c.label} tone={c.tone} />
    </span>
  );
}

/** A value with the confidence in its tooltip only (dense table cells). */
export function IdentifiedCell({ value, label }: { value: Identified | null; label?: string }) {
  if (value === null || value.value === '') return <span class="muted">—</span>;
  return <span title={'Confidence ' + String(value.confidence) + '%'}>{label ?? value.value}</span>;
}

/** Protocol badges, those seen carrying logins or patient data in clear text first and marked. */
export function ProtocolBadges({ protocols, cleartext }: { protocols: readonly string[]; cleartext: readonly string[] }) {
  const marks = protocolMarks(protocols, cleartext);
  if (marks.length === 0) return <span class="muted">—</span>;
  return (
    <span class="badges">
      {marks.map((m) => (
        <Badge key={m.name} label={m.cleartext ? m.name + ' (clear text)' : m.name} tone={m.cleartext ? 'warn' : 'muted'} />
      ))}
    </span>
  );
}

/** "8 y ago" with the exact time as the tooltip. */
export function Since({ value, now }: { value: string | null; now: number }) {
  return <span class="nowrap" title={formatDateTime(value)}>{sinceLabel(value, now)}</span>;
}

/** The link to an observed device's page, named as the pages name it. */
export function DeviceLink({ device }: { device: Pick<InventorySummary, 'id' | 'names' | 'ip' | 'mac'> }) {
  return <a href={hashFor(inventoryRoute(device.id))}>{deviceLabel(device)}</a>;
}

/** What to do when nothing has been observed yet. */
export function FeedTheInventory() {
  return (
    <div class="empty-state">
      <p><strong>No devices observed yet.</strong> The inventory fills from the passive sensor's view of the network:</p>
      <ul>
        <li>
          From a capture file, before the server starts on the same data directory:
          <pre class="command"><code>vigil sensor --pcap FILE --data-dir DATA_DIR</code></pre>
        </li>
        <li>
          Live, from a sensor on a tap or SPAN port: create it here with
          <pre class="command"><code>vigil sensor add NAME</code></pre>
          enrol it on the sensor host with
          <pre class="command"><code>vigil sensor enroll --server URL --token TOKEN --ca-fingerprint HEX</code></pre>
          and run it with
          <pre class="command"><code>vigil sensor --interface IF --server URL</code></pre>
        </li>
      </ul>
    </div>
  );
}
