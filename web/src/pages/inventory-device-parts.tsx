// Parts of the observed device's page: the evidence behind its identity, its findings, its
// addresses and its services.

import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../api.ts';
import { Badge } from '../components/Badge.tsx';
import { Banner } from '../components/Banner.tsx';
import { formatDateTime } from '../format.ts';
import { inventoryApi, type Evidence, type InventoryFinding, type ObservedAddress, type ObservedService } from '../inventory-api.ts';
import { confidenceBadge, findingKindLabel, findingTone, serviceLabel } from '../inventory-format.ts';

const FINDINGS_SHOWN = 100;

export function EvidenceTable({ evidence }: { evidence: Evidence[] }) {
  return (
    <section class="panel" aria-labelledby="evidence-title">
      <h2 id="evidence-title">Evidence</h2>
      {evidence.length === 0 ? <p class="muted">No rule has identified this device yet: its traffic carried nothing a rule recognises.</p> : (
        <>
          <p class="muted">The facts the sensor saw and the rules that read them; the strongest evidence decides each attribute.</p>
          <div class="table-wrap">
            <table class="table evidence-table">
              <caption class="sr-only">Evidence behind the identification</caption>
              <thead>
                <tr>
                  <th scope="col">Source fact</th>
                  <th scope="col">Value</th>
                  <th scope="col">Rule</th>
                  <th scope="col">Confidence</th>
                </tr>
              </thead>
              <tbody>
                {evidence.map((e, i) => {
                  const c = confidenceBadge(e.confidence);
                  return (
                    <tr key={i}>
                      <td><code>{e.source}</code></td>
                      <td class="evidence-value">{e.value}</td>
                      <td>{e.rule === '' ? <span class="muted">OUI registry</span> : <code>{e.rule}</code>}</td>
                      <td><Badge label={c.label} tone={c.tone} /></td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

// The distinct facts the device has shown (a few values per key, newest first, as the server
// keeps them): what the identification rules read, and what a person checks them against.
export function FactsTable({ facts }: { facts: Array<{ key: string; value: string }> }) {
  return (
    <section class="panel" aria-labelledby="facts-title">
      <h2 id="facts-title">What the sensor saw</h2>
      {facts.length === 0 ? <p class="muted">No facts yet: the device has only been seen in flows.</p> : (
        <div class="table-wrap">
          <table class="table facts-table">
            <caption class="sr-only">Facts the sensor observed about this device</caption>
            <thead>
              <tr>
                <th scope="col">Fact</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              {facts.map((f, i) => (
                <tr key={i}>
                  <td><code>{f.key}</code></td>
                  <td class="evidence-value">{f.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function Findings({ deviceId }: { deviceId: string }) {
  const [findings, setFindings] = useState<InventoryFinding[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    inventoryApi.findings(deviceId, { limit: FINDINGS_SHOWN }).then(
      (a) => setFindings(a.findings),
      (err: unknown) => setProblem(errorText(err)),
    );
  }, [deviceId]);
  return (
    <section class="panel" aria-labelledby="findings-title">
      <h2 id="findings-title">Findings</h2>
      {problem ? <Banner tone="error"><p>{problem}</p></Banner> : null}
      {findings === null && problem === null ? <p class="loading" role="status">Loading findings…</p> : null}
      {findings !== null && findings.length === 0 ? <p class="muted">The sensor has raised no finding for this device.</p> : null}
      {findings !== null && findings.length > 0 ? (
        <div class="table-wrap">
          <table class="table findings-table">
            <caption class="sr-only">Findings, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Severity</th>
                <th scope="col">Kind</th>
                <th scope="col">Detail</th>
                <th scope="col">Between</th>
              </tr>
            </thead>
            <tbody>
              {findings.map((f) => (
                <tr key={f.seq}>
                  <td class="nowrap">{formatDateTime(f.time)}</td>
                  <td><Badge label={f.severity === '' ? 'Unknown' : f.severity.charAt(0).toUpperCase() + f.severity.slice(1)} tone={findingTone(f.severity)} /></td>
                  <td>{findingKindLabel(f.kind)}{f.protocol !== '' ? <span class="muted"> ({f.protocol})</span> : null}</td>
                  <td class="finding-detail">{f.detail}</td>
                  <td class="mono nowrap">
                    {endpoint(f.subject)}
                    {f.peer !== null ? <> → {endpoint(f.peer)}</> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function endpoint(e: { ip: string | null; port: number }): string {
  const ip = e.ip ?? '—';
  const host = ip.includes(':') ? '[' + ip + ']' : ip;
  return e.port > 0 ? host + ':' + String(e.port) : host;
}

export function Addresses({ addresses }: { addresses: ObservedAddress[] }) {
  return (
    <section class="panel" aria-labelledby="addresses-title">
      <h2 id="addresses-title">Addresses</h2>
      {addresses.length === 0 ? <p class="muted">No IP address seen (layer 2 only).</p> : (
        <table class="table addresses-table">
          <caption class="sr-only">IP addresses, most recent first</caption>
          <thead>
            <tr><th scope="col">IP address</th><th scope="col">First seen</th><th scope="col">Last seen</th></tr>
          </thead>
          <tbody>
            {addresses.map((a) => (
              <tr key={a.ip}>
                <td class="mono">{a.ip}</td>
                <td class="nowrap">{formatDateTime(a.first_seen)}</td>
                <td class="nowrap">{formatDateTime(a.last_seen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function Services({ services }: { services: ObservedService[] }) {
  return (
    <section class="panel" aria-labelledby="services-title">
      <h2 id="services-title">Services</h2>
      {services.length === 0 ? <p class="muted">It has not answered as a server.</p> : (
        <table class="table services-table">
          <caption class="sr-only">Ports the device answered on</caption>
          <thead>
            <tr><th scope="col">Port</th><th scope="col">Protocol</th><th scope="col">Application</th><th scope="col">Last seen</th></tr>
          </thead>
          <tbody>
            {services.map((s) => (
              <tr key={serviceLabel(s)}>
                <td class="mono">{s.port}</td>
                <td>{/^\d+$/.test(s.protocol) ? 'IP protocol ' + s.protocol : s.protocol}</td>
                <td>{s.application === '' ? <span class="muted">unrecognised</span> : s.application}</td>
                <td class="nowrap">{formatDateTime(s.last_seen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
