// The observed inventory part of the REST API: the devices the passive sensor found on the
// network (not the registered devices of device-api.ts), their evidence, flows, peers and
// findings, and the comparison with the registered devices. Same transport as api.ts.

import { request, type RequestOptions } from './api.ts';

/** An identified attribute and how sure the rules are of it (0-100). */
export interface Identified {
  value: string;
  confidence: number;
}

export interface InventorySummary {
  id: string;
  mac: string | null;
  macs: string[];
  ip: string | null;
  names: string[];
  manufacturer: Identified | null;
  device_type: Identified | null;
  model: Identified | null;
  firmware: Identified | null;
  protocols: string[];
  cleartext_protocols: string[];
  vlan: number | null;
  first_seen: string | null;
  last_seen: string | null;
}

export interface ObservedAddress { ip: string; first_seen: string | null; last_seen: string | null }
export interface Evidence { source: string; value: string; rule: string; confidence: number }
export interface ObservedService { protocol: string; port: number; application: string; last_seen: string | null }
export interface RegisteredRef { id: string; name: string; type: string }

export interface InventoryDevice extends InventorySummary {
  addresses: ObservedAddress[];
  evidence: Evidence[];
  services: ObservedService[];
  peers: string[];
  facts: Array<{ key: string; value: string }>;
  registered_device: RegisteredRef | null;
}

export interface InventoryPage { devices: InventorySummary[]; total: number; offset: number; limit: number }

export interface FlowRow {
  bucket_start: string;
  client: string;
  server: string;
  server_port: number;
  protocol: string;
  application: string;
  flows: number;
  packets: number;
  bytes: number;
  direction: 'outbound' | 'inbound';
}

export interface Peer { ip: string; device_id: string | null; services: string[]; flows: number; bytes: number; last_seen: string | null }

export interface Endpoint { ip: string | null; port: number }
export interface InventoryFinding {
  seq: number;
  time: string | null;
  kind: string;
  protocol: string;
  severity: string;
  subject: Endpoint;
  peer: Endpoint | null;
  vlan: number | null;
  detail: string;
  source: string;
  device_id: string | null;
}

export interface NotSeen { device: { id: string; name: string; type: string; serial: string }; observed_id: string | null; last_seen: string | null }
export interface Comparison { days: number; unregistered: InventorySummary[]; not_seen: NotSeen[] }

/** Filters of the list; empty strings and nulls are left out of the query. */
export interface InventoryFilter {
  type?: string;
  manufacturer?: string;
  search?: string;
  seen_after?: string | null;
  seen_before?: string | null;
  offset?: number;
  limit?: number;
}

/** A time window for flows, peers and findings (RFC 3339). */
export interface Window { from?: string | null; to?: string | null; limit?: number }

/** "?a=1&b=x" from the non-empty entries, in the order given; "" when none. */
export function queryString(params: Record<string, string | number | null | undefined>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined || v === '') continue;
    parts.push(encodeURIComponent(k) + '=' + encodeURIComponent(String(v)));
  }
  return parts.length === 0 ? '' : '?' + parts.join('&');
}

const enc = encodeURIComponent;
const base = (id: string) => '/api/v1/inventory/devices/' + enc(id);
const windowQuery = (w: Window) => queryString({ from: w.from, to: w.to, limit: w.limit });

export const inventoryApi = {
  list: (f: InventoryFilter, options: RequestOptions = {}) =>
    request<InventoryPage>(
      'GET',
      '/api/v1/inventory/devices' +
        queryString({ type: f.type, manufacturer: f.manufacturer, search: f.search, seen_after: f.seen_after, seen_before: f.seen_before, offset: f.offset, limit: f.limit }),
      undefined,
      options,
    ),
  get: (id: string, options: RequestOptions = {}) => request<InventoryDevice>('GET', base(id), undefined, options),
  flows: (id: string, w: Window, options: RequestOptions = {}) =>
    request<{ flows: FlowRow[] }>('GET', base(id) + '/flows' + windowQuery(w), undefined, options),
  peers: (id: string, w: Window, options: RequestOptions = {}) =>
    request<{ peers: Peer[] }>('GET', base(id) + '/peers' + queryString({ from: w.from, to: w.to }), undefined, options),
  findings: (id: string, w: Window & { kind?: string }, options: RequestOptions = {}) =>
    request<{ findings: InventoryFinding[] }>('GET', base(id) + '/findings' + queryString({ kind: w.kind, from: w.from, to: w.to, limit: w.limit }), undefined, options),
  compare: (days: number, options: RequestOptions = {}) =>
    request<Comparison>('GET', '/api/v1/inventory/compare' + queryString({ days }), undefined, options),
};
