import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText, type Me } from '../api.ts';
import { Banner } from '../components/Banner.tsx';
import { Button } from '../components/Button.tsx';
import { Field, SelectField } from '../components/Field.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Badge } from '../components/Badge.tsx';
import { inventoryApi, type InventoryPage as Page, type InventorySummary } from '../inventory-api.ts';
import { confidenceBadge, EMPTY_QUERY, inventoryQueryString, pageSummary, parseInventoryQuery, SEEN_RANGES, seenAfter, seenLabel, type InventoryQuery } from '../inventory-format.ts';
import { DeviceLink, FeedTheInventory, IdentifiedCell, InventoryTabs, ProtocolBadges, Since, useTypeLabels } from './inventory-parts.tsx';

export const PAGE_SIZE = 50;
const TYPING_DELAY_MS = 300;

function hashOf(q: InventoryQuery): string {
  const qs = inventoryQueryString(q);
  return '#/inventory' + (qs === '' ? '' : '?' + qs);
}

/** The devices the passive sensor observed: filters kept in the address, paged by the server. */
export function InventoryPage(_props: { me: Me; param: string | null }) {
  const [query, setQuery] = useState<InventoryQuery>(() => parseInventoryQuery(window.location.hash));
  const [search, setSearch] = useState(query.search);
  const [manufacturer, setManufacturer] = useState(query.manufacturer);
  const [page, setPage] = useState<Page | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const { labels, types } = useTypeLabels();
  const [now, setNow] = useState(Date.now());

  // Back, forward or a pasted link: the address is the source of the filters.
  useEffect(() => {
    const on = () => {
      const q = parseInventoryQuery(window.location.hash);
      setQuery(q);
      setSearch(q.search);
      setManufacturer(q.manufacturer);
    };
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);

  const update = (change: Partial<InventoryQuery>) => {
    setQuery((q) => {
      const next = { ...q, offset: 0, ...change };
      const hash = hashOf(next);
      if (window.location.hash !== hash) window.history.replaceState(null, '', hash);
      return next;
    });
  };

  // The text fields apply once typing pauses.
  const typing = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (search === query.search && manufacturer === query.manufacturer) return undefined;
    typing.current = window.setTimeout(() => update({ search: search.trim(), manufacturer: manufacturer.trim() }), TYPING_DELAY_MS);
    return () => window.clearTimeout(typing.current);
  }, [search, manufacturer]);

  useEffect(() => {
    let live = true;
    const at = Date.now();
    setLoading(true);
    inventoryApi
      .list({ type: query.type, manufacturer: query.manufacturer, search: query.search, seen_after: seenAfter(query.seen, at), offset: query.offset, limit: PAGE_SIZE })
      .then(
        (answer) => {
          if (!live) return;
          setPage(answer);
          setNow(at);
          setProblem(null);
        },
        (err: unknown) => live && setProblem(errorText(err)),
      )
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [query]);

  const filtered = inventoryQueryString({ ...query, offset: 0 }) !== '';
  const manufacturers = [...new Set((page?.devices ?? []).map((d) => d.manufacturer?.value ?? '').filter((m) => m !== ''))].sort();
  const typeOptions = [{ value: '', label: 'All types' }, ...types];
  if (query.type !== '' && !types.some((t) => t.value === query.type)) typeOptions.push({ value: query.type, label: query.type });

  return (
    <>
      <PageHeader title="Inventory" />
      <p>Devices the passive sensor found on the network, identified from their traffic. They are not the registered devices: compare the two to find what is missing.</p>
      <InventoryTabs current="list" />
      {problem ? <Banner tone="error"><p>{problem}</p></Banner> : null}
      <section class="panel" aria-labelledby="observed-title">
        <div class="panel-head">
          <h2 id="observed-title">Observed devices</h2>
          <Button small onClick={() => setQuery((q) => ({ ...q }))}>Refresh</Button>
        </div>
        <form
          class="form form-inline filters"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            window.clearTimeout(typing.current);
            update({ search: search.trim(), manufacturer: manufacturer.trim() });
          }}
        >
          <Field label="Search" type="search" value={search} onValue={setSearch} autoComplete="off" hint="Name, address, MAC, maker, model or id." />
          <SelectField label="Type" value={query.type} onValue={(type) => update({ type })} options={typeOptions} />
          <Field label="Manufacturer" value={manufacturer} onValue={setManufacturer} autoComplete="off" list="inventory-manufacturers" />
          <datalist id="inventory-manufacturers">
            {manufacturers.map((m) => <option key={m} value={m} />)}
          </datalist>
          <SelectField label="Last seen" value={query.seen} onValue={(seen) => update({ seen: seen as InventoryQuery['seen'] })} options={SEEN_RANGES.map((r) => ({ value: r, label: seenLabel(r) }))} />
        </form>
        {page === null && problem === null ? <p class="loading" role="status">Loading the inventory…</p> : null}
        {page !== null && page.total === 0 && !filtered ? <FeedTheInventory /> : null}
        {page !== null && page.total === 0 && filtered ? (
          <p class="muted">
            No observed device matches these filters.{' '}
            <Button
              variant="link"
              onClick={() => {
                setSearch('');
                setManufacturer('');
                update(EMPTY_QUERY);
              }}
            >
              Clear the filters
            </Button>
          </p>
        ) : null}
        {page !== null && page.total > 0 ? (
          <>
            <p class="muted inventory-count" role="status" aria-busy={loading ? 'true' : undefined}>
              {pageSummary(page.offset, page.devices.length, page.total)} observed {page.total === 1 ? 'device' : 'devices'}
            </p>
            <div class="table-wrap">
              <table class="table inventory-table">
                <caption class="sr-only">Observed devices</caption>
                <thead>
                  <tr>
                    <th scope="col">Device</th>
                    <th scope="col">IP address</th>
                    <th scope="col">MAC</th>
                    <th scope="col">Manufacturer</th>
                    <th scope="col">Type</th>
                    <th scope="col">Model</th>
                    <th scope="col">Firmware</th>
                    <th scope="col">Protocols</th>
                    <th scope="col">Last seen</th>
                  </tr>
                </thead>
                <tbody>
                  {page.devices.map((d) => <Row key={d.id} device={d} now={now} typeLabel={d.device_type === null ? undefined : labels[d.device_type.value]} />)}
                </tbody>
              </table>
            </div>
            <Pager offset={page.offset} shown={page.devices.length} total={page.total} onOffset={(offset) => update({ offset })} />
          </>
        ) : null}
      </section>
    </>
  );
}

function Row({ device: d, now, typeLabel }: { device: InventorySummary; now: number; typeLabel: string | undefined }) {
  const fw = d.firmware === null ? null : confidenceBadge(d.firmware.confidence);
  return (
    <tr>
      <th scope="row"><DeviceLink device={d} /></th>
      <td class="mono nowrap">{d.ip ?? '—'}</td>
      <td class="mono nowrap">{d.mac ?? '—'}</td>
      <td><IdentifiedCell value={d.manufacturer} /></td>
      <td><IdentifiedCell value={d.device_type} label={typeLabel} /></td>
      <td><IdentifiedCell value={d.model} /></td>
      <td>
        {d.firmware === null || fw === null ? <span class="muted">—</span> : (
          <span class="cell-stack">
            <span>{d.firmware.value}</span>
            <Badge label={fw.label} tone={fw.tone} />
          </span>
        )}
      </td>
      <td><ProtocolBadges protocols={d.protocols} cleartext={d.cleartext_protocols} /></td>
      <td><Since value={d.last_seen} now={now} /></td>
    </tr>
  );
}

function Pager({ offset, shown, total, onOffset }: { offset: number; shown: number; total: number; onOffset: (offset: number) => void }) {
  if (offset === 0 && shown >= total) return null;
  return (
    <nav class="pager" aria-label="Pages">
      <Button small disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - PAGE_SIZE))}>Previous</Button>
      <span class="muted">{pageSummary(offset, shown, total)}</span>
      <Button small disabled={offset + shown >= total} onClick={() => onOffset(offset + PAGE_SIZE)}>Next</Button>
    </nav>
  );
}
