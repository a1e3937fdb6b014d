/**
 * One run as nnU-Net's progress.png, made interactive: loss, pseudo Dice per class with the EMA,
 * learning rate (with the inferred poly formula) and epoch time, on linked x axes. Diagnosis
 * findings are shaded epoch ranges. Series toggles and an epoch range work from the keyboard; a
 * text summary and a data table stand in for the canvases.
 */
import { useId, useMemo, useState } from 'react';
import type { Curve } from '../../../labs/training-log/curve';
import { meanDice } from '../../../labs/training-log/curve';
import type { LrFit } from '../../../labs/training-log/poly';
import type { Finding } from '../../../labs/shared/findings';
import type { QuizPanel } from '../../../labs/training-log/quiz';
import Plot, { type PlotSeries } from '../ui/Plot';
import strings from '../../i18n/en/log-lab.json';
import { Field, Toolbar } from '../ui/lab-ui';
import { fill } from '../../i18n/fill';
import { classColour, columns, marks, polyColumn } from './plot-data';

interface Props {
  curve: Curve;
  classNames: string[];
  /** Inferred schedule, drawn as the formula line; null hides it (the quiz asks about it). */
  lr: LrFit | null;
  /** Findings to shade on the plots (none in the quiz, which must not give answers away). */
  findings?: readonly Finding[];
  panels?: QuizPanel[];
  /** Click on a plot: the epoch under the cursor. */
  onPick?: (epoch: number) => void;
}

const ALL: QuizPanel[] = ['loss', 'dice', 'lr', 'time'];
const n = (v: number | null | undefined, digits = 4) => (v === null || v === undefined ? '—' : Number.isFinite(v) ? String(Number(v.toPrecision(digits))) : String(v));

export default function CurveView({ curve, classNames, lr, findings = [], panels = ALL, onPick }: Props) {
  const id = useId();
  const first = curve.epochs[0]?.epoch ?? 0;
  const last = curve.epochs[curve.epochs.length - 1]?.epoch ?? 0;
  const [range, setRange] = useState<[number, number]>([first, last]);
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const [from, to] = [Math.max(first, Math.min(range[0], last)), Math.min(last, Math.max(range[1], first))];
  const plotMarks = useMemo(() => marks(findings), [findings]);

  const diceRangeOk = curve.epochs.every((r) => !r.pseudo_dice || r.pseudo_dice.every((d) => !Number.isFinite(d) || (d >= 0 && d <= 1)));
  const panelDefs = useMemo(() => {
    const defs: Record<QuizPanel, { series: (PlotSeries & { key: string })[]; data: (number | null)[][]; y: string; yLog?: boolean; yRange?: [number, number] }> = {
      loss: {
        series: [
          { key: 'train', label: strings.series.train, colour: '#0072b2' },
          { key: 'val', label: strings.series.val, colour: '#d55e00' },
        ],
        data: columns(curve, from, to, [(r) => r.train_loss, (r) => r.val_loss]),
        y: strings.axes.loss,
      },
      dice: {
        series: [
          ...classNames.map((name, i) => ({ key: `c${i}`, label: name, colour: classColour(i), dash: [4, 3], width: 1 })),
          { key: 'ema', label: strings.series.ema, colour: '#222222', width: 2.5 },
        ],
        data: columns(curve, from, to, [...classNames.map((_, i) => (r: Curve['epochs'][number]) => r.pseudo_dice?.[i]), (r) => r.ema]),
        y: strings.axes.dice,
        yRange: diceRangeOk ? [0, 1] : undefined,
      },
      lr: {
        series: [
          { key: 'lr', label: strings.series.lr, colour: '#6a3d9a', points: true },
          ...(lr ? [{ key: 'poly', label: strings.series.poly, colour: '#999999', dash: [6, 4] }] : []),
        ],
        data: [...columns(curve, from, to, [(r) => r.lr]), ...(lr ? [polyColumn(curve, lr, from, to)] : [])],
        y: strings.axes.lr,
      },
      time: {
        series: [{ key: 'time', label: strings.series.time, colour: '#555555' }],
        data: columns(curve, from, to, [(r) => r.epoch_time]),
        y: strings.axes.time,
      },
    };
    return defs;
  }, [curve, classNames, lr, from, to, diceRangeOk]);

  const toggle = (key: string) =>
    setHidden((h) => {
      const next = new Set(h);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  const withDice = curve.epochs.filter((r) => r.pseudo_dice && r.pseudo_dice.length > 0);
  const lastDice = withDice[withDice.length - 1]?.pseudo_dice ?? null;
  const pick = (k: 'train_loss' | 'val_loss' | 'lr') => curve.epochs.filter((r) => r[k] !== null).map((r) => r[k] as number);
  const times = curve.epochs.map((r) => r.epoch_time).filter((t): t is number => t !== null && Number.isFinite(t)).sort((a, b) => a - b);
  const [tr, va, lrs] = [pick('train_loss'), pick('val_loss'), pick('lr')];
  const summary = fill(strings.summary, {
    epochs: curve.epochs.length,
    first,
    last,
    format: curve.format,
    classes: curve.classes,
    trainFirst: n(tr[0]),
    trainLast: n(tr[tr.length - 1]),
    valFirst: n(va[0]),
    valLast: n(va[va.length - 1]),
    dice: lastDice ? lastDice.map((d, i) => `${classNames[i] ?? i + 1} ${n(d)}`).join(', ') + ` (mean ${n(meanDice(lastDice))})` : '—',
    lrFirst: n(lrs[0]),
    lrLast: n(lrs[lrs.length - 1]),
    time: n(times[times.length >> 1] ?? null),
  });

  return (
    <div className="loglab-curves">
      <fieldset>
        <legend>{strings.seriesToggles}</legend>
        <Toolbar>
          {panels.flatMap((p) =>
            panelDefs[p].series.map((s) => (
              <Field key={`${p}-${s.key}`} label={s.label} inline>
                <input type="checkbox" checked={!hidden.has(`${p}-${s.key}`)} onChange={() => toggle(`${p}-${s.key}`)} />
              </Field>
            )),
          )}
        </Toolbar>
      </fieldset>
      <fieldset>
        <legend>{strings.zoom}</legend>
        <Toolbar>
          <Field label={strings.from}>
            <input type="number" className="loglab-epoch" min={first} max={last} value={from} onChange={(e) => setRange([Number(e.target.value), to])} />
          </Field>
          <Field label={strings.to}>
            <input type="number" className="loglab-epoch" min={first} max={last} value={to} onChange={(e) => setRange([from, Number(e.target.value)])} />
          </Field>
          <button type="button" onClick={() => setRange([first, last])}>
            {strings.resetZoom}
          </button>
        </Toolbar>
        <p className="lab-hint">
          {strings.zoomHint} {plotMarks.length > 0 ? strings.marksLegend : ''}
        </p>
      </fieldset>
      {panels.map((p) => {
        const def = panelDefs[p];
        const keep = def.series.map((s, i) => ({ s, i })).filter(({ s }) => !hidden.has(`${p}-${s.key}`));
        return (
          <section key={p} className="loglab-panel">
            <h4>{strings.panels[p]}</h4>
            <Plot
              title={`${strings.panels[p]}, epochs ${from}–${to}`}
              data={[def.data[0], ...keep.map(({ i }) => def.data[i + 1])]}
              series={keep.map(({ s }) => s)}
              xLabel={strings.axes.epoch}
              yLabel={def.y}
              yRange={def.yRange}
              height={p === 'dice' || p === 'loss' ? 240 : 170}
              syncKey={`loglab-${id}`}
              marks={plotMarks}
              onPick={onPick}
            />
          </section>
        );
      })}
      <p className="loglab-summary">
        <strong>{strings.summaryTitle}: </strong>
        {summary}{' '}
        {lr
          ? fill(strings.lrFit, { lr0: n(lr.initialLr, 3), epochs: lr.numEpochs, fits: lr.consistent ? strings.lrFits : strings.lrNoFit })
          : ''}
      </p>
      <details>
        <summary>{strings.tableTitle}</summary>
        <div className="table-scroll loglab-table">
          <table>
            <thead>
              <tr>
                {[strings.table.epoch, strings.table.lr, strings.table.train, strings.table.val, strings.table.dice, strings.table.ema, strings.table.time].map((h) => (
                  <th key={h} scope="col">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {curve.epochs
                .filter((r) => r.epoch >= from && r.epoch <= to)
                .map((r) => (
                  <tr key={r.epoch}>
                    <th scope="row">{r.epoch}</th>
                    <td>{n(r.lr)}</td>
                    <td>{n(r.train_loss)}</td>
                    <td>{n(r.val_loss)}</td>
                    <td>{r.pseudo_dice ? r.pseudo_dice.map((d) => n(d)).join(', ') : '—'}</td>
                    <td>{n(r.ema)}</td>
                    <td>{n(r.epoch_time)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}
