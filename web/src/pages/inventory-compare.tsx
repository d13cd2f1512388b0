import { useEffect, useState } from 'preact/hooks';
import { errorText, type Me } from '../api.ts';
import { Banner } from '../components/Banner.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { inventoryApi, type Comparison } from '../inventory-api.ts';
import { COMPARE_DAYS, parseCompareDays } from '../inventory-format.ts';
import { deviceRoute, hashFor, INVENTORY_COMPARE_ROUTE, inventoryRoute } from '../routes.ts';
import { DeviceLink, IdentifiedCell, InventoryTabs, ProtocolBadges, Since, useTypeLabels } from './inventory-parts.tsx';

/** What is on the network but not registered, and what is registered but has not been seen. */
export function InventoryComparePage(_props: { me: Me; param: string | null }) {
  const [days, setDays] = useState(() => parseCompareDays(window.location.hash));
  const [answer, setAnswer] = useState<Comparison | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());
  const { labels } = useTypeLabels();

  useEffect(() => {
    let live = true;
    inventoryApi.compare(days).then(
      (a) => {
        if (!live) return;
        setAnswer(a);
        setNow(Date.now());
        setProblem(null);
      },
      (err: unknown) => live && setProblem(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [days]);

  const choose = (d: number) => {
    window.history.replaceState(null, '', hashFor(INVENTORY_COMPARE_ROUTE) + '?days=' + String(d));
    setDays(d);
  };

  return (
    <>
      <PageHeader title="Inventory" />
      <p>Devices the sensor sees that nobody registered are unmanaged; registered devices the network has not seen may be off, moved or gone.</p>
      <InventoryTabs current="compare" />
      {problem ? <Banner tone="error"><p>{problem}</p></Banner> : null}
      {answer === null && problem === null ? <p class="loading" role="status">Comparing…</p> : null}
      {answer !== null ? (
        <>
          <section class="panel" aria-labelledby="unregistered-title">
            <h2 id="unregistered-title">Observed but not registered ({answer.unregistered.length})</h2>
            {answer.unregistered.length === 0 ? <p class="muted">Every observed device matches a registered one.</p> : (
              <div class="table-wrap">
                <table class="table unregistered-table">
                  <caption class="sr-only">Observed devices no registered device matches</caption>
                  <thead>
                    <tr>
                      <th scope="col">Device</th>
                      <th scope="col">IP address</th>
                      <th scope="col">MAC</th>
                      <th scope="col">Manufacturer</th>
                      <th scope="col">Type</th>
                      <th scope="col">Protocols</th>
                      <th scope="col">Last seen</th>
                    </tr>
                  </thead>
                  <tbody>
                    {answer.unregistered.map((d) => (
                      <tr key={d.id}>
                        <th scope="row"><DeviceLink device={d} /></th>
                        <td class="mono">{d.ip ?? '—'}</td>
                        <td class="mono">{d.mac ?? '—'}</td>
                        <td><IdentifiedCell value={d.manufacturer} /></td>
                        <td><IdentifiedCell value={d.device_type} label={d.device_type === null ? undefined : labels[d.device_type.value]} /></td>
                        <td><ProtocolBadges protocols={d.protocols} cleartext={d.cleartext_protocols} /></td>
                        <td><Since value={d.last_seen} now={now} /></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <section class="panel" aria-labelledby="not-seen-title">
            <div class="panel-head">
              <h2 id="not-seen-title">Registered but not seen for {answer.days} {answer.days === 1 ? 'day' : 'days'} ({answer.not_seen.length})</h2>
              <div class="segmented" role="group" aria-label="Not seen for">
                {COMPARE_DAYS.map((d) => (
                  <button key={d} type="button" class="segment" aria-pressed={d === days ? 'true' : 'false'} onClick={() => choose(d)}>
                    {String(d)} d
                  </button>
                ))}
              </div>
            </div>
            {answer.not_seen.length === 0 ? <p class="muted">Every registered device was seen on the network or sent a heartbeat in that time.</p> : (
              <div class="table-wrap">
                <table class="table not-seen-table">
                  <caption class="sr-only">Registered devices not seen lately</caption>
                  <thead>
                    <tr>
                      <th scope="col">Registered device</th>
                      <th scope="col">Type</th>
                      <th scope="col">Serial</th>
                      <th scope="col">Observed as</th>
                      <th scope="col">Last seen</th>
                    </tr>
                  </thead>
                  <tbody>
                    {answer.not_seen.map((n) => (
                      <tr key={n.device.id}>
                        <th scope="row"><a href={hashFor(deviceRoute(n.device.id))}>{n.device.name}</a></th>
                        <td>{labels[n.device.type] ?? n.device.type}</td>
                        <td>{n.device.serial || '—'}</td>
                        <td>{n.observed_id === null ? <span class="muted">Never observed</span> : <a href={hashFor(inventoryRoute(n.observed_id))}>{n.observed_id}</a>}</td>
                        <td><Since value={n.last_seen} now={now} /></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      ) : null}
    </>
  );
}
