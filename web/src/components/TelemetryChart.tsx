import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ChartColumns } from '../device-format.ts';

const HEIGHT = 200;
const LINE = '#0b5e73';
const BAND_LINE = 'rgba(11, 94, 115, 0.35)';
const BAND_FILL = 'rgba(11, 94, 115, 0.14)';

/**
 * One metric over time, drawn by uPlot on a canvas (nothing inline, so the CSP holds). With
 * 5-minute roll-ups the mean is the line and min..max a shaded band. Follows its box's width.
 */
export function TelemetryChart({ name, unit, columns }: { name: string; unit: string; columns: ChartColumns }) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current;
    if (el === null) return;
    const width = () => Math.max(260, el.clientWidth);
    const label = unit === '' ? name : name + ' (' + unit + ')';
    const series: uPlot.Series[] = [{}, { label: columns.bands ? label + ', mean' : label, stroke: LINE, width: 2 }];
    if (columns.bands) {
      series.push({ label: 'min', stroke: BAND_LINE, width: 1 }, { label: 'max', stroke: BAND_LINE, width: 1 });
    }
    const { from, to } = columns;
    const options: uPlot.Options = {
      width: width(),
      height: HEIGHT,
      series,
      scales: { x: { time: true, ...(from !== null && to !== null && to > from ? { range: [from, to] as uPlot.Range.MinMax } : {}) } },
      axes: [{}, { size: 56 }],
      ...(columns.bands ? { bands: [{ series: [3, 2] as uPlot.Band.Bounds, fill: BAND_FILL }] } : {}),
      cursor: { drag: { x: false, y: false } },
    };
    const plot = new uPlot(options, columns.data as uPlot.AlignedData, el);
    const observer = new ResizeObserver(() => {
      if (plot.width !== width()) plot.setSize({ width: width(), height: HEIGHT });
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [name, unit, columns]);

  return <div class="chart-box" ref={box} />;
}
