/**
 * The one plot component every curve on the site uses (uPlot underneath: small, fast, with
 * zoom by drag, hover values and series toggles built in). Labs pass data and series; this
 * handles sizing, dark mode, linked cursors (`syncKey`) and marked x ranges (`marks`).
 * Every plot must come with a text or table alternative in the lab (uPlot draws on a canvas).
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { tickLabels } from './plot-ticks';

export interface PlotSeries {
  label: string;
  /** CSS colour. */
  colour: string;
  dash?: number[];
  width?: number;
  /** Draw points only (scatter). */
  points?: boolean;
  /** y-axis scale id ('y' by default; 'y2' for a second axis on the right). */
  scale?: string;
  show?: boolean;
}

export interface PlotMark {
  from: number;
  to: number;
  colour: string;
  label: string;
}

export interface PlotProps {
  /** Accessible name of the canvas figure. */
  title: string;
  /** [x values, ...one array per series]; null is a gap. */
  data: (number | null)[][];
  series: PlotSeries[];
  xLabel: string;
  yLabel: string;
  y2Label?: string;
  yLog?: boolean;
  yRange?: [number, number];
  height?: number;
  syncKey?: string;
  marks?: PlotMark[];
  /** Horizontal reference line (e.g. chance level). */
  hline?: { y: number; label: string; colour: string };
  /** Called with the x value of a click on the plot area. */
  onPick?: (x: number) => void;
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

export default function Plot(props: PlotProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    const el = host.current!;
    const { series, xLabel, yLabel, y2Label, yLog, yRange, height = 240, syncKey } = props;
    const text = cssVar('--sl-color-gray-2', '#444');
    const grid = cssVar('--sl-color-gray-5', '#ddd');
    // Only set scale/side when given: an explicit undefined would override uPlot's defaults.
    const axis = (label: string, scale?: string, side?: number): uPlot.Axis => ({
      label,
      values: (_u, splits) => {
        const labels = tickLabels(splits);
        // The labels are drawn on the canvas; the figure carries them too (tests read them there).
        el.dataset[`${scale ?? 'x'}Ticks`] = labels.join(' ');
        return labels;
      },
      ...(scale ? { scale } : {}),
      ...(side !== undefined ? { side } : {}),
      stroke: text,
      grid: { stroke: grid, width: 1, show: side !== 1 },
      ticks: { stroke: grid },
    });
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 280),
      height,
      cursor: syncKey ? { sync: { key: syncKey } } : {},
      scales: {
        x: { time: false },
        y: yLog ? { distr: 3 } : yRange ? { range: yRange } : {},
        ...(y2Label ? { y2: { distr: yLog ? 3 : 1 } } : {}),
      },
      axes: [axis(xLabel), axis(yLabel, 'y'), ...(y2Label ? [axis(y2Label, 'y2', 1)] : [])],
      series: [
        { label: xLabel },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.colour,
          width: s.width ?? 1.5,
          dash: s.dash,
          scale: s.scale ?? 'y',
          show: s.show ?? true,
          spanGaps: false,
          ...(s.points ? { paths: () => null, points: { show: true, size: 6, fill: s.colour } } : { points: { show: false } }),
        })),
      ],
      hooks: {
        drawClear: [
          (u) => {
            const { marks, hline } = latest.current;
            const ctx = u.ctx;
            ctx.save();
            for (const m of marks ?? []) {
              const x0 = u.valToPos(m.from - 0.5, 'x', true);
              const x1 = u.valToPos(m.to + 0.5, 'x', true);
              ctx.fillStyle = m.colour;
              ctx.globalAlpha = 0.18;
              ctx.fillRect(x0, u.bbox.top, Math.max(x1 - x0, 2), u.bbox.height);
            }
            if (hline) {
              const y = u.valToPos(hline.y, 'y', true);
              ctx.globalAlpha = 0.9;
              ctx.strokeStyle = hline.colour;
              ctx.setLineDash([6, 4]);
              ctx.beginPath();
              ctx.moveTo(u.bbox.left, y);
              ctx.lineTo(u.bbox.left + u.bbox.width, y);
              ctx.stroke();
            }
            ctx.restore();
          },
        ],
      },
    };
    const u = new uPlot(opts, props.data as uPlot.AlignedData, el);
    plot.current = u;
    const onClick = () => {
      const idx = u.cursor.idx;
      if (idx != null && latest.current.onPick) latest.current.onPick(u.data[0][idx] as number);
    };
    u.over.addEventListener('click', onClick);
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(el.clientWidth, 280), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Series layout changes rebuild the plot; data changes below only update it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.series.map((s) => s.label + s.colour + s.scale).join('|'), props.yLog, props.y2Label, props.height, props.syncKey]);

  useEffect(() => {
    plot.current?.setData(props.data as uPlot.AlignedData);
  }, [props.data, props.marks, props.hline]);

  return <figure className="bl-plot" aria-label={props.title} ref={host} />;
}
