import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../api.ts';
import { Banner } from '../components/Banner.tsx';
import { TelemetryChart } from '../components/TelemetryChart.tsx';
import { devicesApi, type Metric } from '../device-api.ts';
import {
  chartColumns,
  DEFAULT_RANGE,
  formatValue,
  rangeLabel,
  seriesSummary,
  TELEMETRY_RANGES,
  type ChartColumns,
  type TelemetryRange,
} from '../device-format.ts';

/** The telemetry of one device: a range choice and one chart per metric it has reported. */
export function DeviceTelemetry({ deviceId, tick }: { deviceId: string; tick: number }) {
  const [range, setRange] = useState<TelemetryRange>(DEFAULT_RANGE);
  const [metrics, setMetrics] = useState<Metric[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    devicesApi.metrics(deviceId, { background: tick > 0 }).then(
      (a) => {
        setMetrics(a.metrics);
        setProblem(null);
      },
      (err: unknown) => setProblem(errorText(err)),
    );
  }, [deviceId, tick]);

  return (
    <section class="panel" aria-labelledby="telemetry-title">
      <div class="panel-head">
        <h2 id="telemetry-title">Telemetry</h2>
        <div class="segmented" role="group" aria-label="Time range">
          {TELEMETRY_RANGES.map((r) => (
            <button key={r} type="button" class="segment" aria-pressed={r === range ? 'true' : 'false'} title={'Last ' + rangeLabel(r)} onClick={() => setRange(r)}>
              {r}
            </button>
          ))}
        </div>
      </div>
      <p class="muted">
        Last {rangeLabel(range)}. Up to 6 hours every point as reported; longer ranges as 5-minute means, with the minimum to maximum shaded.
      </p>
      {problem ? <Banner tone="error"><p>{problem}</p></Banner> : null}
      {metrics === null && problem === null ? <p class="loading" role="status">Loading metrics…</p> : null}
      {metrics !== null && metrics.length === 0 ? <p class="muted">The device has not reported any telemetry yet.</p> : null}
      <div class="charts">
        {(metrics ?? []).map((m) => (
          <MetricChart key={m.name} deviceId={deviceId} metric={m} range={range} tick={tick} />
        ))}
      </div>
    </section>
  );
}

function MetricChart({ deviceId, metric, range, tick }: { deviceId: string; metric: Metric; range: TelemetryRange; tick: number }) {
  const [columns, setColumns] = useState<ChartColumns | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    devicesApi.telemetry(deviceId, metric.name, range, { background: tick > 0 }).then(
      (series) => {
        if (!live) return;
        setColumns(chartColumns(series));
        setProblem(null);
      },
      (err: unknown) => live && setProblem(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [deviceId, metric.name, range, tick]);

  const summary = columns === null ? null : seriesSummary(columns);
  return (
    <figure class="chart" data-metric={metric.name}>
      <figcaption>
        <span class="chart-title">{metric.name}</span>
        {summary !== null && columns !== null && columns.points > 0 ? (
          <span class="chart-summary">
            last {formatValue(summary.last, metric.unit)} · min {formatValue(summary.min, metric.unit)} · max {formatValue(summary.max, metric.unit)} · {columns.points} {columns.bands ? (columns.points === 1 ? '5-minute mean' : '5-minute means') : columns.points === 1 ? 'point' : 'points'}
          </span>
        ) : null}
      </figcaption>
      {problem ? <Banner tone="error"><p>{problem}</p></Banner> : null}
      {columns === null && problem === null ? <p class="loading">Loading…</p> : null}
      {columns !== null && columns.points === 0 ? <p class="muted">No points in the last {rangeLabel(range)}.</p> : null}
      {columns !== null && columns.points > 0 ? <TelemetryChart name={metric.name} unit={metric.unit} columns={columns} /> : null}
    </figure>
  );
}
