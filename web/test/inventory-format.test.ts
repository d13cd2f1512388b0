import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { queryString } from '../src/inventory-api.ts';
import {
  confidenceBadge,
  confidenceLevel,
  deviceLabel,
  directionLabel,
  EMPTY_QUERY,
  findingKindLabel,
  findingTone,
  flowWindow,
  formatBytes,
  formatCount,
  identifiedText,
  inventoryQueryString,
  pageSummary,
  parseCompareDays,
  parseInventoryQuery,
  protocolMarks,
  rangeSeconds,
  seenAfter,
  serviceLabel,
  sinceLabel,
} from '../src/inventory-format.ts';

const NOW = Date.parse('2026-01-31T12:00:00Z');

describe('confidence', () => {
  it('has three levels', () => {
    assert.equal(confidenceLevel(100), 'High');
    assert.equal(confidenceLevel(80), 'High');
    assert.equal(confidenceLevel(79), 'Medium');
    assert.equal(confidenceLevel(50), 'Medium');
    assert.equal(confidenceLevel(49), 'Low');
    assert.equal(confidenceLevel(0), 'Low');
  });
  it('shows the level and the percentage, clamped', () => {
    assert.deepEqual(confidenceBadge(85), { label: 'High · 85%', tone: 'ok' });
    assert.deepEqual(confidenceBadge(60), { label: 'Medium · 60%', tone: 'info' });
    assert.deepEqual(confidenceBadge(40), { label: 'Low · 40%', tone: 'muted' });
    assert.equal(confidenceBadge(140).label, 'High · 100%');
    assert.equal(confidenceBadge(Number.NaN).label, 'Low · 0%');
  });
  it('writes an identified value with its confidence', () => {
    assert.equal(identifiedText({ value: 'Cisco', confidence: 85 }), 'Cisco (85%)');
    assert.equal(identifiedText({ value: 'network_device', confidence: 70 }, () => 'Network device'), 'Network device (70%)');
    assert.equal(identifiedText(null), '—');
    assert.equal(identifiedText({ value: '', confidence: 10 }), '—');
  });
});

describe('numbers', () => {
  it('groups thousands', () => {
    assert.equal(formatCount(0), '0');
    assert.equal(formatCount(999), '999');
    assert.equal(formatCount(1029), '1,029');
    assert.equal(formatCount(1234567), '1,234,567');
    assert.equal(formatCount(-4200), '-4,200');
    assert.equal(formatCount(Number.POSITIVE_INFINITY), '—');
  });
  it('writes bytes in decimal units', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(999), '999 B');
    assert.equal(formatBytes(1029), '1.0 kB');
    assert.equal(formatBytes(9_949), '9.9 kB');
    assert.equal(formatBytes(25_400_000), '25 MB');
    assert.equal(formatBytes(999_960), '1.0 MB');
    assert.equal(formatBytes(3.2e12), '3.2 TB');
    assert.equal(formatBytes(-1), '—');
  });
});

describe('times', () => {
  it('says how long ago, in the largest sensible unit', () => {
    assert.equal(sinceLabel('2026-01-31T11:59:30Z', NOW), 'just now');
    assert.equal(sinceLabel('2026-01-31T11:55:00Z', NOW), '5 min ago');
    assert.equal(sinceLabel('2026-01-31T09:00:00Z', NOW), '3 h ago');
    assert.equal(sinceLabel('2026-01-19T12:00:00Z', NOW), '12 d ago');
    assert.equal(sinceLabel('2025-09-30T12:00:00Z', NOW), '4 mo ago');
    assert.equal(sinceLabel('2018-01-30T01:23:42Z', NOW), '8 y ago');
    assert.equal(sinceLabel(null, NOW), 'never');
    assert.equal(sinceLabel('yesterday', NOW), '—');
    // A sensor clock ahead of ours is not "in 3 s".
    assert.equal(sinceLabel('2026-01-31T12:00:03Z', NOW), 'just now');
  });
  it('turns a last-seen range into seen_after', () => {
    assert.equal(seenAfter('any', NOW), null);
    assert.equal(seenAfter('1h', NOW), '2026-01-31T11:00:00.000Z');
    assert.equal(seenAfter('7d', NOW), '2026-01-24T12:00:00.000Z');
    assert.equal(rangeSeconds('30d'), 30 * 86400);
    assert.equal(rangeSeconds('nonsense'), 0);
  });
  it('ends the flow window now for a device seen lately', () => {
    const w = flowWindow('24h', '2026-01-31T11:50:00Z', NOW);
    assert.deepEqual(w, { from: '2026-01-30T12:00:00.000Z', to: '2026-01-31T12:00:00.000Z', anchored: false });
  });
  it('ends the flow window at the last sighting of a silent device', () => {
    const w = flowWindow('1h', '2018-01-30T01:23:42.285Z', NOW);
    assert.deepEqual(w, { from: '2018-01-30T00:24:00.000Z', to: '2018-01-30T01:24:00.000Z', anchored: true });
    assert.equal(flowWindow('7d', null, NOW).anchored, false);
  });
});

describe('filters in the address', () => {
  it('reads them after the "?"', () => {
    assert.deepEqual(parseInventoryQuery('#/inventory'), EMPTY_QUERY);
    assert.deepEqual(parseInventoryQuery('#/inventory?type=infusion_pump&manufacturer=B%20Braun&search=icu&seen=7d&offset=50'), {
      type: 'infusion_pump',
      manufacturer: 'B Braun',
      search: 'icu',
      seen: '7d',
      offset: 50,
    });
  });
  it('falls back to the defaults for malformed values', () => {
    const q = parseInventoryQuery('#/inventory?seen=2w&offset=-5');
    assert.equal(q.seen, 'any');
    assert.equal(q.offset, 0);
    assert.equal(parseInventoryQuery('#/inventory?offset=1.5').offset, 0);
  });
  it('writes only what differs from the defaults, and reads it back', () => {
    assert.equal(inventoryQueryString(EMPTY_QUERY), '');
    const q = { ...EMPTY_QUERY, search: 'S1 cisco', seen: '30d' as const };
    const text = inventoryQueryString(q);
    assert.equal(text, 'search=S1+cisco&seen=30d');
    assert.deepEqual(parseInventoryQuery('#/inventory?' + text), q);
  });
  it('builds API queries without the empty parameters', () => {
    assert.equal(queryString({ type: '', search: 'a b', offset: 0, seen_after: null, limit: undefined }), '?search=a%20b&offset=0');
    assert.equal(queryString({}), '');
  });
  it('summarises a page', () => {
    assert.equal(pageSummary(0, 50, 345), '1–50 of 345');
    assert.equal(pageSummary(300, 45, 345), '301–345 of 345');
    assert.equal(pageSummary(0, 0, 0), '0 of 0');
    assert.equal(pageSummary(0, 7, 1200), '1–7 of 1,200');
  });
  it('reads the compare page\'s days', () => {
    assert.equal(parseCompareDays('#/inventory/compare?days=30'), 30);
    assert.equal(parseCompareDays('#/inventory/compare?days=5'), 7);
    assert.equal(parseCompareDays('#/inventory/compare'), 7);
  });
});

describe('labels', () => {
  it('names a device by its first name, else address, MAC or id', () => {
    assert.equal(deviceLabel({ id: 'mac-0018ba98688f', names: ['S1', 'S1.cisco.com'], ip: null, mac: '00:18:ba:98:68:8f' }), 'S1');
    assert.equal(deviceLabel({ id: 'mac-000c29b5b648', names: [], ip: '10.0.0.155', mac: '00:0c:29:b5:b6:48' }), '10.0.0.155');
    assert.equal(deviceLabel({ id: 'mac-0018ba98688f', names: [], ip: null, mac: '00:18:ba:98:68:8f' }), '00:18:ba:98:68:8f');
    assert.equal(deviceLabel({ id: 'ip-10.1.2.3', names: [], ip: null, mac: null }), 'ip-10.1.2.3');
  });
  it('writes services', () => {
    assert.equal(serviceLabel({ protocol: 'tcp', port: 6661, application: 'hl7' }), 'tcp/6661 hl7');
    assert.equal(serviceLabel({ protocol: 'udp', port: 5353, application: '' }), 'udp/5353');
    assert.equal(serviceLabel({ protocol: '47', port: 0 }), 'proto 47/0');
  });
  it('marks clear-text protocols and lists them first', () => {
    assert.deepEqual(protocolMarks(['dhcp', 'hl7', 'dns'], ['hl7']), [
      { name: 'hl7', cleartext: true },
      { name: 'dhcp', cleartext: false },
      { name: 'dns', cleartext: false },
    ]);
    assert.deepEqual(protocolMarks([], ['telnet']), [{ name: 'telnet', cleartext: true }]);
    assert.deepEqual(protocolMarks(['lldp', 'lldp'], []), [{ name: 'lldp', cleartext: false }]);
  });
  it('colours findings by severity and names their kind', () => {
    assert.equal(findingTone('high'), 'danger');
    assert.equal(findingTone('critical'), 'danger');
    assert.equal(findingTone('medium'), 'warn');
    assert.equal(findingTone('low'), 'info');
    assert.equal(findingTone('info'), 'muted');
    assert.equal(findingKindLabel('cleartext_patient_data'), 'Patient data in clear text');
    assert.equal(findingKindLabel('something_new'), 'Something new');
    assert.equal(findingKindLabel(''), '—');
  });
  it('says which way a flow went', () => {
    assert.equal(directionLabel('outbound'), 'Out');
    assert.equal(directionLabel('inbound'), 'In');
  });
});
