/**
 * Fold accuracies side by side: one column per split, one dot per fold, a bar at the mean and a
 * dashed chance line. An SVG strip plot rather than the shared uPlot component: the x axis here is
 * a category (the split), not a number, and two columns of dots compare at a glance. The table
 * next to it holds the same numbers.
 */
import type { LeakageReport } from '../../../labs/leakage';
import strings from '../../i18n/en/leakage.json';
import { fill } from '../../i18n/fill';
import { pct } from './format';

const W = 360;
const H = 230;
const TOP = 12;
const LEFT = 44;
const PLOT_H = 170;
const COLOURS = { slice: '#d55e00', subject: '#0072b2' };

const y = (acc: number) => TOP + PLOT_H * (1 - acc);

export default function FoldDots({ report }: { report: LeakageReport }) {
  const columns = [
    { key: 'slice' as const, name: strings.sliceLevelShort, split: report.slice, x: LEFT + (W - LEFT) * 0.3 },
    { key: 'subject' as const, name: strings.subjectLevelShort, split: report.subject, x: LEFT + (W - LEFT) * 0.75 },
  ];
  const n = report.slice.folds.length;
  const step = Math.min(10, 90 / n);
  const desc = fill(strings.dotsAlt, {
    slice: report.slice.folds.map((f) => pct(f.accuracy)).join(', '),
    subject: report.subject.folds.map((f) => pct(f.accuracy)).join(', '),
  });
  return (
    <figure className="leakage-dots">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="leakage-dots-title leakage-dots-desc">
        <title id="leakage-dots-title">{strings.plotTitle}</title>
        <desc id="leakage-dots-desc">{desc}</desc>
        {[0, 0.25, 0.5, 0.75, 1].map((t) => (
          <g key={t}>
            <line x1={LEFT} x2={W} y1={y(t)} y2={y(t)} stroke="currentColor" strokeOpacity={t === 0.5 ? 0.8 : 0.15} strokeDasharray={t === 0.5 ? '6 4' : undefined} />
            <text x={LEFT - 6} y={y(t) + 4} fontSize={11} textAnchor="end" fill="currentColor">
              {Math.round(100 * t)}%
            </text>
          </g>
        ))}
        <text x={LEFT + 4} y={y(0.5) - 4} fontSize={10} fill="currentColor">
          {strings.chance}
        </text>
        {columns.map((c) => (
          <g key={c.key}>
            <line x1={c.x - 34} x2={c.x + 34} y1={y(c.split.meanAccuracy)} y2={y(c.split.meanAccuracy)} stroke={COLOURS[c.key]} strokeWidth={3} />
            {c.split.folds.map((f, i) => (
              <circle key={i} cx={c.x + (i - (n - 1) / 2) * step} cy={y(f.accuracy)} r={4} fill={COLOURS[c.key]} fillOpacity={0.75} stroke="currentColor" strokeWidth={0.5} />
            ))}
            <text x={c.x} y={TOP + PLOT_H + 18} fontSize={12} textAnchor="middle" fill="currentColor">
              {c.name}
            </text>
            <text x={c.x} y={TOP + PLOT_H + 34} fontSize={11} textAnchor="middle" fill="currentColor">
              {`${strings.meanShort} ${pct(c.split.meanAccuracy)}`}
            </text>
          </g>
        ))}
      </svg>
      <figcaption>{strings.plotNote}</figcaption>
    </figure>
  );
}
