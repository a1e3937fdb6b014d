/**
 * The leakage simulator island: settings (kept in the URL for assignment links), a run in a Web
 * Worker with progress, the two splits side by side, where the slices of one fold went, an
 * explanation that follows the result, and nnU-Net's split of a dataset with follow-up scans.
 */
import { useEffect, useRef, useState } from 'react';
import {
  CLASSIFIERS,
  DEFAULT_OPTIONS,
  LABEL_MODES,
  LIMITS,
  PICKINGS,
  checkOptions,
  runExperiment,
  type LeakageOptions,
  type LeakageReport,
} from '../../../labs/leakage';
import { readLabState, writeLabState } from '../../lib/url-state';
import { recordLabResult } from '../../lib/progress';
import strings from '../../i18n/en/leakage.json';
import { ErrorBox, Field, Progress, ResultCard, Toolbar } from '../ui/lab-ui';
import FoldDots from './FoldDots';
import FoldPicture from './FoldPicture';
import FollowUps from './FollowUps';
import { fill } from '../../i18n/fill';
import { pct } from './format';
import type { WorkerMessage, WorkerRequest } from './worker';
import './leakage.css';

const int = (key: keyof typeof LIMITS, def: number) => ({ type: 'int', default: def, min: LIMITS[key][0], max: LIMITS[key][1] }) as const;

const schema = {
  subjects: int('subjects', DEFAULT_OPTIONS.subjects),
  slices: int('slicesPerSubject', DEFAULT_OPTIONS.slicesPerSubject),
  picking: { type: PICKINGS, default: DEFAULT_OPTIONS.picking },
  labels: { type: LABEL_MODES, default: DEFAULT_OPTIONS.labels },
  classifier: { type: CLASSIFIERS, default: DEFAULT_OPTIONS.classifier },
  k: int('k', DEFAULT_OPTIONS.k),
  folds: int('folds', DEFAULT_OPTIONS.folds),
  repeats: int('repeats', DEFAULT_OPTIONS.repeats),
  seed: int('seed', DEFAULT_OPTIONS.seed),
} as const;

type State = ReturnType<typeof readLabState<typeof schema>>;

const toOptions = (s: State): LeakageOptions => ({
  subjects: s.subjects,
  slicesPerSubject: s.slices,
  picking: s.picking,
  labels: s.labels,
  classifier: s.classifier,
  k: s.k,
  folds: s.folds,
  repeats: s.repeats,
  seed: s.seed,
});

function explanation(r: LeakageReport): string {
  const values = {
    slice: pct(r.slice.meanAccuracy),
    subject: pct(r.subject.meanAccuracy),
    gap: r.inflationPoints.toFixed(1),
    sameSlice: pct(r.slice.sameSubjectNeighbour),
    sameSubject: pct(r.subject.sameSubjectNeighbour),
  };
  const picking = r.options.picking === 'spread' ? strings.explainSpread : strings.explainAdjacent;
  return `${fill(strings.explain[r.options.labels], values)} ${picking}`;
}

export default function LeakageLab() {
  // The address is only known in the browser: start empty so the server HTML and hydration agree.
  const [state, setState] = useState<State | null>(null);
  const [report, setReport] = useState<LeakageReport | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [pictureFold, setPictureFold] = useState(0);
  const [link, setLink] = useState('');
  const worker = useRef<Worker | null>(null);
  const runId = useRef(0);

  useEffect(() => setState(readLabState('leakage', schema)), []);
  useEffect(() => {
    if (state) setLink(writeLabState('leakage', schema, state));
  }, [state]);
  useEffect(() => () => worker.current?.terminate(), []);

  const options = state && toOptions(state);
  const problems = options ? checkOptions(options) : [];
  const stale = report !== null && options !== null && JSON.stringify(report.options) !== JSON.stringify(options);


  if (!state || !options) return <p role="status">{strings.loading}</p>;

  const set = <K extends keyof State>(key: K, value: State[K]) => setState({ ...state, [key]: value });
  const setInt = (key: keyof State) => (e: React.ChangeEvent<HTMLInputElement>) => {
    const v = Number(e.target.value);
    if (e.target.value !== '' && Number.isFinite(v)) set(key, Math.trunc(v) as never);
  };

  const finish = (r: LeakageReport, started: number, where: string) => {
    setReport(r);
    setPictureFold(0);
    setProgress(null);
    setStatus(fill(strings.doneIn, { ms: Math.round(performance.now() - started), where }));
    recordLabResult({
      lab: 'leakage',
      schemaVersion: 1,
      summary: fill(strings.reportSummary, {
        slice: pct(r.slice.meanAccuracy),
        subject: pct(r.subject.meanAccuracy),
        gap: `${r.inflationPoints >= 0 ? '+' : ''}${r.inflationPoints.toFixed(1)}`,
        labels: r.options.labels,
        classifier: r.options.classifier,
        seed: r.options.seed,
      }),
      data: {
        options: r.options,
        slice: { mean: r.slice.meanAccuracy, sd: r.slice.sdAccuracy, folds: r.slice.folds.map((f) => f.accuracy), sameSubjectNeighbour: r.slice.sameSubjectNeighbour },
        subject: { mean: r.subject.meanAccuracy, sd: r.subject.sdAccuracy, folds: r.subject.folds.map((f) => f.accuracy), sameSubjectNeighbour: r.subject.sameSubjectNeighbour },
        inflationPoints: r.inflationPoints,
      },
    });
  };

  const run = () => {
    if (problems.length) return;
    const id = ++runId.current;
    const started = performance.now();
    setError('');
    setStatus(strings.running);
    setProgress({ done: 0, total: 2 * options.folds * options.repeats });
    if (typeof Worker === 'undefined') {
      try {
        finish(runExperiment(options), started, strings.onPage);
      } catch (e) {
        setError((e as Error).message);
        setProgress(null);
      }
      return;
    }
    if (!worker.current) worker.current = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    worker.current.onmessage = (e: MessageEvent<WorkerMessage>) => {
      const m = e.data;
      if (m.id !== runId.current) return;
      if (m.type === 'progress') setProgress({ done: m.done, total: m.total });
      else if (m.type === 'result') finish(m.report, started, strings.inWorker);
      else {
        setError(m.message);
        setProgress(null);
        setStatus('');
      }
    };
    worker.current.postMessage({ id, options } satisfies WorkerRequest);
  };

  const copyLink = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setStatus(strings.copied);
    } catch {
      setStatus(strings.copyRefused);
    }
  };

  const numberField = (key: keyof State, label: string, limits: readonly [number, number]) => (
    <Field label={label}>
      <input type="number" name={`leakage-${key}`} min={limits[0]} max={limits[1]} step={1} value={state[key] as number} onChange={setInt(key)} />
    </Field>
  );
  const selectField = <K extends 'picking' | 'labels' | 'classifier'>(key: K, label: string, values: readonly State[K][], names: Record<string, string>) => (
    <Field label={label}>
      <select name={`leakage-${key}`} value={state[key]} onChange={(e) => set(key, e.target.value as State[K])}>
        {values.map((v) => (
          <option key={v} value={v}>
            {names[v]}
          </option>
        ))}
      </select>
    </Field>
  );

  const pictureFolds = report ? report.slice.folds.filter((f) => f.repeat === 0) : [];
  return (
    <div className="lab leakage-lab" data-testid="leakage-lab">
      <fieldset>
        <legend>{strings.settings}</legend>
        <div className="leakage-grid">
          {numberField('subjects', strings.subjects, LIMITS.subjects)}
          {numberField('slices', strings.slices, LIMITS.slicesPerSubject)}
          {selectField('picking', strings.picking, PICKINGS, strings.pickingOptions)}
          {selectField('labels', strings.labels, LABEL_MODES, strings.labelOptions)}
          {selectField('classifier', strings.classifier, CLASSIFIERS, strings.classifierOptions)}
          {numberField('k', strings.k, LIMITS.k)}
          {numberField('folds', strings.folds, LIMITS.folds)}
          {numberField('repeats', strings.repeats, LIMITS.repeats)}
          {numberField('seed', strings.seed, LIMITS.seed)}
        </div>
      </fieldset>
      {problems.length > 0 && (
        <ErrorBox>
          <ul>
            {problems.map((p) => (
              <li key={p}>
                {strings.errorPrefix} {p}
              </li>
            ))}
          </ul>
        </ErrorBox>
      )}
      {!report && <p>{strings.predict}</p>}
      <Toolbar>
        <button type="button" className="is-primary" onClick={run} disabled={problems.length > 0 || progress !== null} data-testid="leakage-run">
          {progress ? strings.running : strings.run}
        </button>
        <button type="button" onClick={copyLink}>
          {strings.copyLink}
        </button>
        <span role="status" data-testid="leakage-status">
          {status}
        </span>
      </Toolbar>
      {progress && <Progress label={strings.progress} value={progress.done} max={progress.total} text={`${progress.done} / ${progress.total}`} />}
      {error && (
        <ErrorBox>
          {strings.errorPrefix} {error}
        </ErrorBox>
      )}
      {report && (
        <section className="leakage-result" aria-label={strings.explainHeading} data-testid="leakage-result">
          {stale && <ResultCard tone="warning">{strings.stale}</ResultCard>}
          <div className="leakage-cards">
            {([['slice', strings.sliceLevel, report.slice], ['subject', strings.subjectLevel, report.subject]] as const).map(([key, name, s]) => (
              <div key={key} className={`leakage-card leakage-card-${key}`}>
                <h3>{name}</h3>
                <p className="leakage-big" data-testid={`leakage-${key}-acc`}>
                  {pct(s.meanAccuracy)}
                </p>
                <p>
                  {strings.meanAccuracy}, {strings.sd} {(100 * s.sdAccuracy).toFixed(1)}
                </p>
                <p>
                  {pct(s.sameSubjectNeighbour)} {strings.sameNeighbour}
                </p>
              </div>
            ))}
          </div>
          <p className="leakage-inflation" data-testid="leakage-inflation">
            {strings.inflation}: {report.inflationPoints >= 0 ? '+' : ''}
            {report.inflationPoints.toFixed(1)} {strings.points}
          </p>
          <FoldDots report={report} />
          <div className="table-scroll">
            <table data-testid="leakage-table">
              <caption>{strings.tableCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{strings.fold}</th>
                  <th scope="col">{strings.sliceLevel}</th>
                  <th scope="col">{strings.subjectLevel}</th>
                  <th scope="col">
                    {strings.sameShort} ({strings.sliceLevelShort} / {strings.subjectLevelShort})
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.slice.folds.map((f, i) => {
                  const g = report.subject.folds[i];
                  return (
                    <tr key={i}>
                      <th scope="row">
                        {f.fold + 1}
                        {report.options.repeats > 1 && ` (${strings.repeat} ${f.repeat + 1})`}
                      </th>
                      <td>{pct(f.accuracy)}</td>
                      <td>{pct(g.accuracy)}</td>
                      <td>
                        {pct(f.sameSubjectNeighbour)} / {pct(g.sameSubjectNeighbour)}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{strings.mean}</th>
                  <td>
                    {pct(report.slice.meanAccuracy)} ± {(100 * report.slice.sdAccuracy).toFixed(1)}
                  </td>
                  <td>
                    {pct(report.subject.meanAccuracy)} ± {(100 * report.subject.sdAccuracy).toFixed(1)}
                  </td>
                  <td>
                    {pct(report.slice.sameSubjectNeighbour)} / {pct(report.subject.sameSubjectNeighbour)}
                  </td>
                </tr>
              </tfoot>
            </table>
          </div>
          <h3>{strings.explainHeading}</h3>
          <p data-testid="leakage-explanation">{explanation(report)}</p>
          <h3>{fill(strings.pictureHeading, { fold: pictureFold + 1 })}</h3>
          <Field label={strings.pictureFold}>
            <select value={pictureFold} onChange={(e) => setPictureFold(Number(e.target.value))}>
              {pictureFolds.map((f) => (
                <option key={f.fold} value={f.fold}>
                  {f.fold + 1}
                </option>
              ))}
            </select>
          </Field>
          <p>{strings.pictureHelp}</p>
          <div className="leakage-pictures">
            <FoldPicture id="leakage-pic-slice" split={strings.sliceLevel} fold={report.slice.folds[pictureFold]} subjects={report.options.subjects} slicesPerSubject={report.options.slicesPerSubject} />
            <FoldPicture id="leakage-pic-subject" split={strings.subjectLevel} fold={report.subject.folds[pictureFold]} subjects={report.options.subjects} slicesPerSubject={report.options.slicesPerSubject} />
          </div>
          <h3>{strings.paperHeading}</h3>
          <p>
            {strings.paper} <a href={strings.paperDoi}>{strings.paperCite}</a>
          </p>
        </section>
      )}
      <FollowUps seed={state.seed} />
    </div>
  );
}
