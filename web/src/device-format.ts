// Pure helpers of the devices pages: no DOM, no fetch. Unit-tested in test/device-format.test.ts.

import type { Badge, BadgeTone } from './format.ts';
import type { TelemetrySeries } from './device-api.ts';

/** Whole seconds -> "12 s", "5 min", "3 h", "2 d" (rounded down; negative counts as 0). */
export function formatAge(seconds: number): string {
  const s = Number.isFinite(seconds) ? Math.max(0, Math.floor(seconds)) : 0;
  if (s < 60) return String(s) + ' s';
  if (s < 3600) return String(Math.floor(s / 60)) + ' min';
  if (s < 86400) return String(Math.floor(s / 3600)) + ' h';
  return String(Math.floor(s / 86400)) + ' d';
}

/** An instant relative to now: "5 min ago", "in 3 d"; "—" for null or unparsable. */
export function relativeTime(value: string | null | undefined, nowMs: number): string {
  if (value === null || value === undefined || value === '') return '—';
  const t = Date.parse(value);
  if (Number.isNaN(t)) return '—';
  const seconds = (t - nowMs) / 1000;
  if (seconds > 0.5) return 'in ' + formatAge(seconds);
  return formatAge(-seconds) + ' ago';
}

/** How often the devices pages fetch again in the background (heartbeat ages, certificate states). */
export const DEVICE_REFRESH_MS = 30_000;

/** A heartbeat older than this is shown as late. */
export const HEARTBEAT_LATE_SECONDS = 300;

/** The age of the last heartbeat as a badge: "12 s ago" (ok), "2 h ago" (warn, late), "Never" (muted). */
export function heartbeatBadge(receivedAt: string | null | undefined, nowMs: number): Badge {
  if (receivedAt === null || receivedAt === undefined) return { label: 'Never', tone: 'muted' };
  const t = Date.parse(receivedAt);
  if (Number.isNaN(t)) return { label: 'Unknown', tone: 'muted' };
  const age = (nowMs - t) / 1000;
  return { label: formatAge(age) + ' ago', tone: age > HEARTBEAT_LATE_SECONDS ? 'warn' : 'ok' };
}

const CERTIFICATE: Record<string, Badge> = {
  none: { label: 'Not enrolled', tone: 'muted' },
  valid: { label: 'Valid', tone: 'ok' },
  renew_due: { label: 'Renewal due', tone: 'warn' },
  expired: { label: 'Expired', tone: 'danger' },
  revoked: { label: 'Revoked', tone: 'revoked' },
};

/** certificate_status -> its badge; an unknown status is shown as it came. */
export function certificateBadge(status: string): Badge {
  return CERTIFICATE[status] ?? { label: status, tone: 'info' };
}

const CRITICALITY_TONES: Record<string, BadgeTone> = {
  life_sustaining: 'danger',
  life_supporting: 'warn',
  diagnostic: 'info',
  non_clinical: 'muted',
};

export function criticalityTone(criticality: string): BadgeTone {
  return CRITICALITY_TONES[criticality] ?? 'muted';
}

export function severityTone(severity: string): BadgeTone {
  if (severity === 'critical' || severity === 'error') return 'danger';
  if (severity === 'warning') return 'warn';
  if (severity === 'notice') return 'info';
  return 'muted';
}

/** "in_use" -> "In use"; "" -> "—". */
export function wordsLabel(name: string): string {
  if (name === '') return '—';
  const words = name.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** True when the device reported a firmware version other than the one on record. */
export function firmwareDiffers(recorded: string, reported: string | null | undefined): boolean {
  const a = recorded.trim();
  const b = (reported ?? '').trim();
  return a !== '' && b !== '' && a !== b;
}

// ---------------------------------------------------------------------------------------------
// Telemetry ranges and chart columns.

export const TELEMETRY_RANGES = ['1h', '6h', '24h', '7d', '30d'] as const;
export type TelemetryRange = (typeof TELEMETRY_RANGES)[number];
export const DEFAULT_RANGE: TelemetryRange = '6h';

const RANGE_LABELS: Record<TelemetryRange, string> = {
  '1h': '1 hour',
  '6h': '6 hours',
  '24h': '24 hours',
  '7d': '7 days',
  '30d': '30 days',
};

export function rangeLabel(range: TelemetryRange): string {
  return RANGE_LABELS[range];
}

/** One of TELEMETRY_RANGES, or the default for anything else. */
export function parseRange(text: string | null | undefined): TelemetryRange {
  return (TELEMETRY_RANGES as readonly string[]).includes(text ?? '') ? (text as TelemetryRange) : DEFAULT_RANGE;
}

export function rangeSeconds(range: TelemetryRange): number {
  const n = Number(range.slice(0, -1));
  return range.endsWith('d') ? n * 86400 : n * 3600;
}

export interface ChartColumns {
  /** uPlot's aligned data: times, values, and for roll-ups min then max. */
  data: Array<Array<number | null>>;
  /** True when data carries min and max (a band around the mean). */
  bands: boolean;
  /** The x range in Unix seconds: the whole asked-for window, not just where points are. */
  from: number | null;
  to: number | null;
  points: number;
}

/** The telemetry answer as chart columns; ragged columns are cut to the shortest. */
export function chartColumns(series: TelemetrySeries): ChartColumns {
  const withBands = Array.isArray(series.min) && Array.isArray(series.max);
  const columns: Array<Array<number | null>> = [series.times, series.values];
  if (withBands) columns.push(series.min!, series.max!);
  const n = Math.min(...columns.map((c) => c.length));
  const data = columns.map((c) => c.slice(0, n).map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null)));
  const seconds = (text: string) => {
    const t = Date.parse(text);
    return Number.isNaN(t) ? null : t / 1000;
  };
  return { data, bands: withBands, from: seconds(series.from), to: seconds(series.to), points: n };
}

// ---------------------------------------------------------------------------------------------
// Enrolment.

const WILDCARD_HOSTS = ['', '0.0.0.0', '::', '[::]', '*'];

/**
 * The gateway's address for the agent from the configured listen address ("0.0.0.0:8443"): a
 * wildcard host is replaced by the host the dashboard was opened on.
 */
export function gatewayUrl(listen: string, pageHost: string): string {
  const i = listen.lastIndexOf(':');
  let host = i < 0 ? listen : listen.slice(0, i);
  const port = i < 0 ? '' : listen.slice(i + 1);
  if (WILDCARD_HOSTS.includes(host)) host = pageHost;
  if (host.includes(':') && !host.startsWith('[')) host = '[' + host + ']';
  return 'https://' + host + (port === '' ? '' : ':' + port);
}

export function enrolCommand(server: string, token: string, fingerprint: string): string {
  return 'vigil-agent enroll --server ' + server + ' --token ' + token + ' --ca-fingerprint ' + fingerprint;
}

// ---------------------------------------------------------------------------------------------
// The list.

export interface FilterableDevice {
  id: string;
  name: string;
  type: string;
  manufacturer: string;
  model: string;
  serial: string;
  location: string;
}

/** Devices whose name, id, type (name or label), maker, model, serial or location contain every word of `text`, of `type` when not empty. */
export function filterDevices<D extends FilterableDevice>(devices: readonly D[], text: string, type: string, typeLabels: Readonly<Record<string, string>> = {}): D[] {
  const words = text.toLowerCase().split(/\s+/).filter((w) => w !== '');
  return devices.filter((d) => {
    if (type !== '' && d.type !== type) return false;
    const hay = [d.name, d.id, d.type, typeLabels[d.type] ?? '', d.manufacturer, d.model, d.serial, d.location].join(' ').toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

export const REVOKE_REASONS: ReadonlyArray<{ value: string; label: string }> = [
  { value: 'unspecified', label: 'Unspecified' },
  { value: 'key_compromise', label: 'Key compromise (stolen or tampered device)' },
  { value: 'cessation_of_operation', label: 'Retired (cessation of operation)' },
  { value: 'superseded', label: 'Replaced (superseded)' },
  { value: 'affiliation_changed', label: 'Moved to another organisation (affiliation changed)' },
];

/** The last value and the extremes of a chart's columns (min and max from the band when there is one). */
export function seriesSummary(columns: ChartColumns): { last: number | null; min: number | null; max: number | null } {
  const [, values = [], mins = values, maxs = values] = columns.data;
  let last: number | null = null;
  for (let i = values.length - 1; i >= 0 && last === null; i -= 1) last = values[i] ?? null;
  const pick = (col: Array<number | null>, better: (a: number, b: number) => boolean) =>
    col.reduce<number | null>((best, v) => (v !== null && (best === null || better(v, best)) ? v : best), null);
  return { last, min: pick(mins, (a, b) => a < b), max: pick(maxs, (a, b) => a > b) };
}

/** A metric value for people: at most two decimals, "—" for none. */
export function formatValue(value: number | null, unit = ''): string {
  if (value === null || !Number.isFinite(value)) return '—';
  const text = String(Number(value.toFixed(2)));
  if (unit === '') return text;
  return unit === '%' ? text + '%' : text + ' ' + unit;
}
