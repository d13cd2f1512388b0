// The traffic of an observed device over a chosen time range: its peers (aggregated from the
// flow history) and its flows per 5-minute bucket.

import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../api.ts';
import { Banner } from '../components/Banner.tsx';
import { formatDateTime } from '../format.ts';
import { inventoryApi, type FlowRow, type Peer } from '../inventory-api.ts';
import { DEFAULT_FLOW_RANGE, directionLabel, FLOW_RANGES, flowWindow, formatBytes, formatCount, type FlowRange } from '../inventory-format.ts';
import { hashFor, inventoryRoute } from '../routes.ts';
import { Since } from './inventory-parts.tsx';

const FLOWS_SHOWN = 500;
const RANGE_WORDS: Record<FlowRange, string> = { '1h': 'hour', '24h': '24 hours', '7d': '7 days' };

export function Traffic({ deviceId, lastSeen }: { deviceId: string; lastSeen: string | null }) {
  const [range, setRange] = useState<FlowRange>(DEFAULT_FLOW_RANGE);
  const [peers, setPeers] = useState<Peer[] | null>(null);
  const [flows, setFlows] = useState<FlowRow[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [now] = useState(Date.now());
  const w = flowWindow(range, lastSeen, now);

  useEffect(() => {
    let live = true;
    setPeers(null);
    setFlows(null);
    Promise.all([inventoryApi.peers(deviceId, w), inventoryApi.flows(deviceId, { ...w, limit: FLOWS_SHOWN })]).then(
      ([p, f]) => {
        if (!live) return;
        setPeers(p.peers);
        setFlows(f.flows);
        setProblem(null);
      },
      (err: unknown) => live && setProblem(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [deviceId, w.from, w.to]);

  return (
    <section class="panel traffic" aria-labelledby="traffic-title">
      <div class="panel-head">
        <h2 id="traffic-title">Traffic</h2>
        <div class="segmented" role="group" aria-label="Time range">
          {FLOW_RANGES.map((r) => (
            <button key={r} type="button" class="segment" aria-pressed={r === range ? 'true' : 'false'} title={'The last ' + RANGE_WORDS[r]} onClick={() => setRange(r)}>
              {r}
            </button>
          ))}
        </div>
      </div>
      <p class="muted traffic-window">
        {w.anchored
          ? 'The device has been silent since ' + formatDateTime(lastSeen) + ': showing the ' + RANGE_WORDS[range] + ' before it was last seen.'
          : 'The last ' + RANGE_WORDS[range] + '.'}{' '}
        Flows are kept per 5 minutes, client to server.
      </p>
      {problem ? <Banner tone="error"><p>{problem}</p></Banner> : null}
      {peers === null && problem === null ? <p class="loading" role="status">Loading traffic…</p> : null}
      {peers !== null ? <Peers peers={peers} now={now} /> : null}
      {flows !== null ? <Flows flows={flows} /> : null}
    </section>
  );
}

function Peers({ peers, now }: { peers: Peer[]; now: number }) {
  return (
    <>
      <h3 id="peers-title">Peers</h3>
      {peers.length === 0 ? <p class="muted">No peers in this range.</p> : (
        <div class="table-wrap">
          <table class="table peers-table" aria-labelledby="peers-title">
            <thead>
              <tr>
                <th scope="col">Peer</th>
                <th scope="col">Services</th>
                <th scope="col" class="num">Flows</th>
                <th scope="col" class="num">Bytes</th>
                <th scope="col">Last seen</th>
              </tr>
            </thead>
            <tbody>
              {peers.map((p) => (
                <tr key={p.ip}>
                  <th scope="row" class="mono">{p.device_id === null ? p.ip : <a href={hashFor(inventoryRoute(p.device_id))}>{p.ip}</a>}</th>
                  <td>{p.services.length === 0 ? '—' : p.services.join(', ')}</td>
                  <td class="num">{formatCount(p.flows)}</td>
                  <td class="num" title={formatCount(p.bytes) + ' bytes'}>{formatBytes(p.bytes)}</td>
                  <td><Since value={p.last_seen} now={now} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function Flows({ flows }: { flows: FlowRow[] }) {
  return (
    <>
      <h3 id="flows-title">Flows</h3>
      {flows.length === 0 ? <p class="muted">No flows in this range.</p> : (
        <div class="table-wrap">
          <table class="table flows-table" aria-labelledby="flows-title">
            <thead>
              <tr>
                <th scope="col">5 minutes from</th>
                <th scope="col">Direction</th>
                <th scope="col">Client</th>
                <th scope="col">Server</th>
                <th scope="col">Application</th>
                <th scope="col" class="num">Flows</th>
                <th scope="col" class="num">Packets</th>
                <th scope="col" class="num">Bytes</th>
              </tr>
            </thead>
            <tbody>
              {flows.map((f, i) => (
                <tr key={i}>
                  <td class="nowrap">{formatDateTime(f.bucket_start)}</td>
                  <td>{directionLabel(f.direction)}</td>
                  <td class="mono">{f.client}</td>
                  <td class="mono">{f.server}<span class="muted"> {f.protocol}/{f.server_port}</span></td>
                  <td>{f.application === '' ? <span class="muted">unrecognised</span> : f.application}</td>
                  <td class="num">{formatCount(f.flows)}</td>
                  <td class="num">{formatCount(f.packets)}</td>
                  <td class="num" title={formatCount(f.bytes) + ' bytes'}>{formatBytes(f.bytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
