// Pure helpers of the observed-inventory pages: no DOM, no fetch. Unit-tested in
// test/inventory-format.test.ts.

import type { Badge, BadgeTone } from './format.ts';
import type { Identified, InventorySummary } from './inventory-api.ts';

// ---------------------------------------------------------------------------------------------
// Confidence of an identification.

/** 80-100 high, 50-79 medium, below that low (the rules give an OUI alone 40). */
export function confidenceLevel(confidence: number): 'High' | 'Medium' | 'Low' {
  if (confidence >= 80) return 'High';
  if (confidence >= 50) return 'Medium';
  return 'Low';
}

/** "High · 85%", coloured by level. */
export function confidenceBadge(confidence: number): Badge {
  const c = Math.max(0, Math.min(100, Math.round(Number.isFinite(confidence) ? confidence : 0)));
  const level = confidenceLevel(c);
  const tone: BadgeTone = level === 'High' ? 'ok' : level === 'Medium' ? 'info' : 'muted';
  return { label: level + ' · ' + String(c) + '%', tone };
}

/** "Cisco (85%)"; "—" when nothing was identified. `label` maps the value (a type name to its label). */
export function identifiedText(v: Identified | null | undefined, label: (value: string) => string = (x) => x): string {
  if (v === null || v === undefined || v.value === '') return '—';
  return label(v.value) + ' (' + String(Math.round(v.confidence)) + '%)';
}

// ---------------------------------------------------------------------------------------------
// Numbers.

/** 1234567 -> "1,234,567"; non-finite -> "—". */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '—';
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.trunc(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const BYTE_UNITS = ['kB', 'MB', 'GB', 'TB', 'PB'];

/** Decimal units as network tools show them: 999 -> "999 B", 1029 -> "1.0 kB", 25_400_000 -> "25 MB". */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—';
  if (n < 1000) return String(Math.round(n)) + ' B';
  let value = n;
  let unit = -1;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  // 999.96 kB would print as "1000.0 kB": move to the next unit instead.
  if (value >= 999.95 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return (value < 10 ? value.toFixed(1) : String(Math.round(value))) + ' ' + BYTE_UNITS[unit];
}

// ---------------------------------------------------------------------------------------------
// Times.

/** How long ago: "just now", "5 min ago", "3 h ago", "12 d ago", "4 mo ago", "8 y ago"; "never" for null. */
export function sinceLabel(value: string | null | undefined, nowMs: number): string {
  if (value === null || value === undefined || value === '') return 'never';
  const t = Date.parse(value);
  if (Number.isNaN(t)) return '—';
  const s = Math.max(0, Math.floor((nowMs - t) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return String(Math.floor(s / 60)) + ' min ago';
  if (s < 86400) return String(Math.floor(s / 3600)) + ' h ago';
  const days = Math.floor(s / 86400);
  if (days < 60) return String(days) + ' d ago';
  if (days < 730) return String(Math.floor(days / 30.4375)) + ' mo ago';
  return String(Math.floor(days / 365.25)) + ' y ago';
}

/** The "last seen" filter of the list. */
export const SEEN_RANGES = ['any', '1h', '24h', '7d', '30d'] as const;
export type SeenRange = (typeof SEEN_RANGES)[number];

const SEEN_LABELS: Record<SeenRange, string> = {
  any: 'Any time',
  '1h': 'In the last hour',
  '24h': 'In the last day',
  '7d': 'In the last 7 days',
  '30d': 'In the last 30 days',
};

export function seenLabel(range: SeenRange): string {
  return SEEN_LABELS[range];
}

/** "24h" -> 86400, "7d" -> 604800; 0 for "any". */
export function rangeSeconds(range: string): number {
  const m = /^(\d+)([hd])$/.exec(range);
  if (m === null) return 0;
  return Number(m[1]) * (m[2] === 'd' ? 86400 : 3600);
}

/** The seen_after bound of a "last seen" range, RFC 3339 in UTC; null for "any". */
export function seenAfter(range: SeenRange, nowMs: number): string | null {
  const s = rangeSeconds(range);
  return s === 0 ? null : new Date(nowMs - s * 1000).toISOString();
}

/** The time ranges of a device's flows and peers. */
export const FLOW_RANGES = ['1h', '24h', '7d'] as const;
export type FlowRange = (typeof FLOW_RANGES)[number];
export const DEFAULT_FLOW_RANGE: FlowRange = '24h';

export interface FlowWindow {
  from: string;
  to: string;
  /** True when the window ends at the device's last sighting, not now (a device silent for longer than the range). */
  anchored: boolean;
}

/**
 * The window of a flow range: the last `range` up to now, or, when the device was last seen
 * before that window began, the `range` up to its last sighting (so a silent device still shows
 * its last traffic). The end is rounded up to the next whole minute so the last bucket is in.
 */
export function flowWindow(range: FlowRange, lastSeen: string | null | undefined, nowMs: number): FlowWindow {
  const span = rangeSeconds(range) * 1000;
  let end = nowMs;
  let anchored = false;
  const seen = lastSeen ? Date.parse(lastSeen) : Number.NaN;
  if (!Number.isNaN(seen) && seen < nowMs - span) {
    end = Math.ceil((seen + 1) / 60_000) * 60_000;
    anchored = true;
  }
  return { from: new Date(end - span).toISOString(), to: new Date(end).toISOString(), anchored };
}

// ---------------------------------------------------------------------------------------------
// The list's filters, kept in the address after "?" so a link can be shared.

export interface InventoryQuery {
  type: string;
  manufacturer: string;
  search: string;
  seen: SeenRange;
  offset: number;
}

export const EMPTY_QUERY: InventoryQuery = { type: '', manufacturer: '', search: '', seen: 'any', offset: 0 };

/** The filters in "#/inventory?type=x&seen=7d"; unknown or malformed values fall back to the defaults. */
export function parseInventoryQuery(hash: string): InventoryQuery {
  const i = hash.indexOf('?');
  const params = new URLSearchParams(i < 0 ? '' : hash.slice(i + 1));
  const seen = params.get('seen') ?? 'any';
  const offset = Number(params.get('offset') ?? '0');
  return {
    type: params.get('type') ?? '',
    manufacturer: params.get('manufacturer') ?? '',
    search: params.get('search') ?? '',
    seen: (SEEN_RANGES as readonly string[]).includes(seen) ? (seen as SeenRange) : 'any',
    offset: Number.isInteger(offset) && offset > 0 ? offset : 0,
  };
}

/** "type=x&seen=7d" with the defaults left out; "" for no filter. */
export function inventoryQueryString(q: InventoryQuery): string {
  const params = new URLSearchParams();
  if (q.type !== '') params.set('type', q.type);
  if (q.manufacturer !== '') params.set('manufacturer', q.manufacturer);
  if (q.search !== '') params.set('search', q.search);
  if (q.seen !== 'any') params.set('seen', q.seen);
  if (q.offset > 0) params.set('offset', String(q.offset));
  return params.toString();
}

/** "1–50 of 345"; "0 of 0" when empty. */
export function pageSummary(offset: number, shown: number, total: number): string {
  if (shown === 0) return '0 of ' + formatCount(total);
  return formatCount(offset + 1) + '–' + formatCount(offset + shown) + ' of ' + formatCount(total);
}

// ---------------------------------------------------------------------------------------------
// Labels.

/** What to call an observed device: its first name, else its address, MAC or id. */
export function deviceLabel(d: Pick<InventorySummary, 'id' | 'names' | 'ip' | 'mac'>): string {
  return d.names[0] ?? d.ip ?? d.mac ?? d.id;
}

/** A service as "tcp/6661 hl7" ("udp/5353", "proto 47/0" for other IP protocols). */
export function serviceLabel(s: { protocol: string; port: number; application?: string }): string {
  const proto = /^\d+$/.test(s.protocol) ? 'proto ' + s.protocol : s.protocol;
  const app = s.application ?? '';
  return proto + '/' + String(s.port) + (app === '' ? '' : ' ' + app);
}

export interface ProtocolMark { name: string; cleartext: boolean }

/** Every protocol once, those that carried logins or patient data in clear text marked (and listed first). */
export function protocolMarks(protocols: readonly string[], cleartext: readonly string[]): ProtocolMark[] {
  const all = [...new Set([...cleartext, ...protocols])];
  const marks = all.map((name) => ({ name, cleartext: cleartext.includes(name) }));
  return [...marks.filter((m) => m.cleartext), ...marks.filter((m) => !m.cleartext)];
}

/** Severity of a finding -> badge colour. */
export function findingTone(severity: string): BadgeTone {
  if (severity === 'critical' || severity === 'high') return 'danger';
  if (severity === 'medium' || severity === 'warning') return 'warn';
  if (severity === 'low' || severity === 'notice') return 'info';
  return 'muted';
}

const KIND_LABELS: Record<string, string> = {
  cleartext_patient_data: 'Patient data in clear text',
  cleartext_login: 'Login in clear text',
  cleartext_credentials: 'Credentials in clear text',
  cleartext_basic_auth: 'HTTP basic authentication in clear text',
  snmp_default_community: 'Default SNMP community',
  weak_tls_version: 'Weak TLS version',
};

/** "cleartext_patient_data" -> "Patient data in clear text"; others "some_kind" -> "Some kind". */
export function findingKindLabel(kind: string): string {
  if (KIND_LABELS[kind] !== undefined) return KIND_LABELS[kind];
  if (kind === '') return '—';
  const words = kind.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "outbound" -> "Out" (the device was the client), "inbound" -> "In". */
export function directionLabel(direction: string): string {
  if (direction === 'outbound') return 'Out';
  if (direction === 'inbound') return 'In';
  return direction;
}

/** The choices of "registered but not seen for N days". */
export const COMPARE_DAYS = [1, 7, 30, 90] as const;
export const DEFAULT_COMPARE_DAYS = 7;

/** "?days=30" in the compare page's address -> 30; anything else -> the default. */
export function parseCompareDays(hash: string): number {
  const i = hash.indexOf('?');
  const days = Number(new URLSearchParams(i < 0 ? '' : hash.slice(i + 1)).get('days'));
  return (COMPARE_DAYS as readonly number[]).includes(days) ? days : DEFAULT_COMPARE_DAYS;
}
