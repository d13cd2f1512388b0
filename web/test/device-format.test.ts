import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TelemetrySeries } from '../src/device-api.ts';
import {
  certificateBadge,
  chartColumns,
  DEFAULT_RANGE,
  enrolCommand,
  filterDevices,
  firmwareDiffers,
  formatAge,
  formatValue,
  gatewayUrl,
  heartbeatBadge,
  parseRange,
  rangeLabel,
  rangeSeconds,
  relativeTime,
  seriesSummary,
  severityTone,
  TELEMETRY_RANGES,
  wordsLabel,
} from '../src/device-format.ts';

const NOW = Date.parse('2026-01-31T12:00:00Z');

describe('ages', () => {
  it('rounds down to the largest unit', () => {
    assert.equal(formatAge(0), '0 s');
    assert.equal(formatAge(59.9), '59 s');
    assert.equal(formatAge(60), '1 min');
    assert.equal(formatAge(3599), '59 min');
    assert.equal(formatAge(3600), '1 h');
    assert.equal(formatAge(86399), '23 h');
    assert.equal(formatAge(86400 * 3 + 5), '3 d');
  });
  it('treats negative and non-finite as zero', () => {
    assert.equal(formatAge(-5), '0 s');
    assert.equal(formatAge(Number.NaN), '0 s');
  });
  it('says ago or in', () => {
    assert.equal(relativeTime('2026-01-31T11:55:00Z', NOW), '5 min ago');
    assert.equal(relativeTime('2026-02-03T12:00:00Z', NOW), 'in 3 d');
    assert.equal(relativeTime('2026-01-31T12:00:00Z', NOW), '0 s ago');
    assert.equal(relativeTime(null, NOW), '—');
    assert.equal(relativeTime('soon', NOW), '—');
  });
  it('marks a late heartbeat', () => {
    assert.deepEqual(heartbeatBadge('2026-01-31T11:59:48Z', NOW), { label: '12 s ago', tone: 'ok' });
    assert.deepEqual(heartbeatBadge('2026-01-31T11:55:00Z', NOW), { label: '5 min ago', tone: 'ok' });
    assert.deepEqual(heartbeatBadge('2026-01-31T10:00:00Z', NOW), { label: '2 h ago', tone: 'warn' });
    assert.deepEqual(heartbeatBadge(null, NOW), { label: 'Never', tone: 'muted' });
    // A device clock ahead of the server's: not "in 3 s".
    assert.equal(heartbeatBadge('2026-01-31T12:00:03Z', NOW).label, '0 s ago');
  });
});

describe('certificate status', () => {
  it('labels every status with its own colour', () => {
    assert.deepEqual(certificateBadge('valid'), { label: 'Valid', tone: 'ok' });
    assert.deepEqual(certificateBadge('renew_due'), { label: 'Renewal due', tone: 'warn' });
    assert.deepEqual(certificateBadge('expired'), { label: 'Expired', tone: 'danger' });
    assert.deepEqual(certificateBadge('revoked'), { label: 'Revoked', tone: 'revoked' });
    assert.deepEqual(certificateBadge('none'), { label: 'Not enrolled', tone: 'muted' });
    const tones = ['valid', 'renew_due', 'expired', 'revoked'].map((s) => certificateBadge(s).tone);
    assert.equal(new Set(tones).size, tones.length);
  });
  it('shows an unknown status as it came', () => {
    assert.deepEqual(certificateBadge('suspended'), { label: 'suspended', tone: 'info' });
  });
});

describe('labels', () => {
  it('turns names into words', () => {
    assert.equal(wordsLabel('in_use'), 'In use');
    assert.equal(wordsLabel(''), '—');
  });
  it('colours severities', () => {
    assert.equal(severityTone('critical'), 'danger');
    assert.equal(severityTone('warning'), 'warn');
    assert.equal(severityTone('debug'), 'muted');
  });
  it('sees a firmware difference only when both are known', () => {
    assert.equal(firmwareDiffers('2.1.0', '2.1.0'), false);
    assert.equal(firmwareDiffers('2.1.0', ' 2.1.0 '), false);
    assert.equal(firmwareDiffers('2.1.0', '2.2.0'), true);
    assert.equal(firmwareDiffers('', '2.2.0'), false);
    assert.equal(firmwareDiffers('2.1.0', ''), false);
    assert.equal(firmwareDiffers('2.1.0', null), false);
  });
  it('formats values', () => {
    assert.equal(formatValue(12.5, '%'), '12.5%');
    assert.equal(formatValue(1 / 3, 'bytes'), '0.33 bytes');
    assert.equal(formatValue(null), '—');
    assert.equal(formatValue(7), '7');
  });
});

describe('telemetry ranges', () => {
  it('knows the five ranges', () => {
    assert.deepEqual([...TELEMETRY_RANGES], ['1h', '6h', '24h', '7d', '30d']);
    assert.deepEqual(TELEMETRY_RANGES.map(rangeSeconds), [3600, 21600, 86400, 604800, 2592000]);
    assert.equal(rangeLabel('24h'), '24 hours');
  });
  it('falls back to the default for anything else', () => {
    assert.equal(parseRange('7d'), '7d');
    assert.equal(parseRange('2h'), DEFAULT_RANGE);
    assert.equal(parseRange(null), DEFAULT_RANGE);
    assert.equal(DEFAULT_RANGE, '6h');
  });
});

describe('chart columns', () => {
  const raw: TelemetrySeries = {
    metric: 'cpu.percent',
    resolution: 'raw',
    from: '2026-01-31T06:00:00Z',
    to: '2026-01-31T12:01:00Z',
    times: [1769860800.25, 1769860860],
    values: [12.5, 14],
  };
  it('passes raw columns through with the asked-for window', () => {
    const c = chartColumns(raw);
    assert.deepEqual(c.data, [[1769860800.25, 1769860860], [12.5, 14]]);
    assert.equal(c.bands, false);
    assert.equal(c.points, 2);
    assert.equal(c.from, Date.parse('2026-01-31T06:00:00Z') / 1000);
    assert.equal(c.to, Date.parse('2026-01-31T12:01:00Z') / 1000);
  });
  it('adds min and max of roll-ups as a band, keeping gaps as null', () => {
    const c = chartColumns({ ...raw, resolution: '5m', times: [100, 400, 700], values: [5, null, 7], min: [1, null, 6], max: [9, null, 8] });
    assert.equal(c.bands, true);
    assert.deepEqual(c.data, [[100, 400, 700], [5, null, 7], [1, null, 6], [9, null, 8]]);
    assert.deepEqual(seriesSummary(c), { last: 7, min: 1, max: 9 });
  });
  it('cuts ragged columns and tolerates a bad window', () => {
    const c = chartColumns({ ...raw, from: 'x', times: [1, 2, 3], values: [1, 2] });
    assert.equal(c.points, 2);
    assert.deepEqual(c.data[0], [1, 2]);
    assert.equal(c.from, null);
  });
  it('summarises an empty series as nothing', () => {
    assert.deepEqual(seriesSummary(chartColumns({ ...raw, times: [], values: [] })), { last: null, min: null, max: null });
    assert.deepEqual(seriesSummary(chartColumns({ ...raw, times: [1, 2], values: [3, null] })), { last: 3, min: 3, max: 3 });
  });
});

describe('enrolment', () => {
  it('uses the configured gateway address', () => {
    assert.equal(gatewayUrl('127.0.0.1:8443', 'vigil.example'), 'https://127.0.0.1:8443');
    assert.equal(gatewayUrl('gw.hospital.example:8443', 'vigil.example'), 'https://gw.hospital.example:8443');
    assert.equal(gatewayUrl('[fd00::5]:8443', 'x'), 'https://[fd00::5]:8443');
  });
  it('replaces a wildcard host with the dashboard host', () => {
    assert.equal(gatewayUrl('0.0.0.0:8443', 'vigil.example'), 'https://vigil.example:8443');
    assert.equal(gatewayUrl('[::]:8443', 'vigil.example'), 'https://vigil.example:8443');
    assert.equal(gatewayUrl(':8443', 'vigil.example'), 'https://vigil.example:8443');
    assert.equal(gatewayUrl('0.0.0.0:8443', '::1'), 'https://[::1]:8443');
    assert.equal(gatewayUrl('0.0.0.0:8443', '[::1]'), 'https://[::1]:8443');
  });
  it('writes the exact agent command', () => {
    assert.equal(
      enrolCommand('https://127.0.0.1:8443', 'vgle_' + 'a'.repeat(64), 'ab'.repeat(32)),
      'vigil-agent enroll --server https://127.0.0.1:8443 --token vgle_' + 'a'.repeat(64) + ' --ca-fingerprint ' + 'ab'.repeat(32),
    );
  });
});

describe('filter', () => {
  const d = (id: string, name: string, type: string, extra: Partial<{ manufacturer: string; location: string }> = {}) => ({
    id, name, type, manufacturer: extra.manufacturer ?? '', model: '', serial: '', location: extra.location ?? '',
  });
  const list = [d('1', 'ICU pump 3', 'infusion_pump', { manufacturer: 'Baxter', location: 'ICU' }), d('2', 'Vent 1', 'ventilator'), d('3', 'Printer ward 4', 'printer')];
  it('matches every word anywhere, case-insensitively', () => {
    assert.deepEqual(filterDevices(list, 'icu BAXTER', '').map((x) => x.id), ['1']);
    assert.deepEqual(filterDevices(list, '', '').map((x) => x.id), ['1', '2', '3']);
    assert.deepEqual(filterDevices(list, 'nothing', '').length, 0);
  });
  it('filters by type and by the type label', () => {
    assert.deepEqual(filterDevices(list, '', 'ventilator').map((x) => x.id), ['2']);
    assert.deepEqual(filterDevices(list, 'infusion', '', { infusion_pump: 'Infusion pump' }).map((x) => x.id), ['1']);
    assert.deepEqual(filterDevices(list, 'pump', 'printer').length, 0);
  });
});
