// The devices part of the REST API (docs/api/openapi.yaml, "Devices"): records, enrolment
// tokens, revocation, events and telemetry. Same transport as api.ts (cookies, CSRF, errors).

import { request, type RequestOptions } from './api.ts';

export type CertificateStatus = 'none' | 'valid' | 'renew_due' | 'expired' | 'revoked';
export type Criticality = 'life_sustaining' | 'life_supporting' | 'diagnostic' | 'non_clinical';

export interface DeviceCertificate {
  serial: string;
  status: string;
  fingerprint_sha256: string;
  not_before: string | null;
  not_after: string | null;
  issued_at: string | null;
  revoked_at: string | null;
  revocation_reason: string | null;
}

export interface Heartbeat {
  received_at: string;
  time: string | null;
  firmware_version: string;
  agent_version: string;
  uptime_seconds: number | null;
  state: string;
  spool_dropped: number;
}

export interface Device {
  id: string;
  name: string;
  type: string;
  manufacturer: string;
  model: string;
  firmware: string;
  criticality: Criticality | string;
  serial: string;
  location: string;
  quarantined: boolean;
  created_at: string | null;
  certificate_status: CertificateStatus;
  certificate: DeviceCertificate | null;
  last_heartbeat: Heartbeat | null;
}

export interface DeviceType { name: string; label: string; typical_criticality: string; clinical: boolean }
export interface CriticalityInfo { name: string; label: string; needs_approval_to_contain: boolean }
export interface DeviceTypes { types: DeviceType[]; criticalities: CriticalityInfo[] }

export interface NewDevice {
  name: string;
  type: string;
  manufacturer: string;
  model: string;
  criticality: string;
  firmware?: string;
  serial?: string;
  location?: string;
}

export interface EnrolmentToken {
  token: string;
  device_id: string;
  expires_at: string;
  ca_fingerprint_sha256: string;
  gateway_listen: string;
}

export interface DeviceEvent {
  seq: number;
  time: string | null;
  received_at: string;
  kind: string;
  severity: string;
  message: string;
  attributes: Record<string, string>;
  flagged: boolean;
}

export interface Metric { name: string; unit: string; first: string | null; last: string | null }

/** Columns for a chart: times in Unix seconds; min and max only for 5-minute roll-ups. */
export interface TelemetrySeries {
  metric: string;
  resolution: 'raw' | '5m';
  from: string;
  to: string;
  times: number[];
  values: Array<number | null>;
  min?: Array<number | null>;
  max?: Array<number | null>;
}

export type RevokeReason = 'unspecified' | 'key_compromise' | 'affiliation_changed' | 'superseded' | 'cessation_of_operation';

const enc = encodeURIComponent;
const base = (id: string) => '/api/v1/devices/' + enc(id);

export const devicesApi = {
  types: () => request<DeviceTypes>('GET', '/api/v1/device-types'),
  list: (options: RequestOptions = {}) =>
    request<{ devices: Device[]; now: string }>('GET', '/api/v1/devices', undefined, options),
  create: (device: NewDevice) => request<{ device: Device }>('POST', '/api/v1/devices', device),
  get: (id: string, options: RequestOptions = {}) => request<{ device: Device }>('GET', base(id), undefined, options),
  enrolmentToken: (id: string) => request<EnrolmentToken>('POST', base(id) + '/enrollment-tokens', {}),
  revoke: (id: string, reason: RevokeReason) =>
    request<{ revoked_serials: string[] }>('POST', base(id) + '/revoke', { reason }),
  events: (id: string, after: number, limit: number, options: RequestOptions = {}) =>
    request<{ events: DeviceEvent[] }>('GET', base(id) + '/events?after=' + String(after) + '&limit=' + String(limit), undefined, options),
  metrics: (id: string, options: RequestOptions = {}) =>
    request<{ metrics: Metric[] }>('GET', base(id) + '/metrics', undefined, options),
  telemetry: (id: string, metric: string, range: string, options: RequestOptions = {}) =>
    request<TelemetrySeries>('GET', base(id) + '/telemetry?metric=' + enc(metric) + '&range=' + enc(range), undefined, options),
};

/**
 * The newest `keep` events. The API pages oldest first from a sequence number, so this walks the
 * pages (at most `maxPages` of 1000) and keeps the tail; newest first.
 */
export async function recentEvents(id: string, keep: number, options: RequestOptions = {}, maxPages = 20): Promise<DeviceEvent[]> {
  const page = 1000;
  let after = 0;
  let tail: DeviceEvent[] = [];
  for (let i = 0; i < maxPages; i += 1) {
    const { events } = await devicesApi.events(id, after, page, options);
    tail = tail.concat(events).slice(-keep);
    if (events.length < page) break;
    after = events[events.length - 1]!.seq;
  }
  return tail.reverse();
}
