/**
 * The evaluation lab: score predictions against labels (the inference demo's on the samples, or
 * your own folders), explore the per-case table, the distributions and the worst cases, export
 * CSV/JSON; and read a whole nnUNet_results dataset folder across folds. All metrics come from
 * labs/evaluate, the same code as `bratslab evaluate` and `bratslab results`.
 */
import { useEffect, useRef, useState, type DragEvent } from 'react';
import type { FileSource } from '../../../labs/shared/files';
import {
  readLabelVolume,
  readResults,
  reportCsv,
  reportJson,
  schemeRegions,
  type CaseResult,
  type EvalRegion,
  type EvaluationReport,
  type LabelVolume,
  type ResultsReport,
} from '../../../labs/evaluate';
import { readImage, type NiftiHeader, type TypedArray } from '../../../labs/nifti';
import { fill } from '../../i18n/fill';
import strings from '../../i18n/en/evaluate.json';
import { droppedSource, filesSource, inputFilesSource, zipSource } from '../../lib/files';
import { recordLabResult } from '../../lib/progress';
import { readLabState, writeLabState } from '../../lib/url-state';
import DropZone from '../ui/DropZone';
import Plot from '../ui/Plot';
import CaseTable, { COLUMNS, value, type Column } from './CaseTable';
import ErrorView from './ErrorView';
import ResultsView from './ResultsView';
import { runEvaluation, type DescribedSource } from './run';
import './evaluate.css';

const SCHEMES = ['brats2021', 'keep', 'nnunet137'] as const;
const PLOTTED = ['LesionWise_Score_Dice', 'Dice', 'LesionWise_Score_HD95', 'Legacy_HD95'] as const;
const schema = {
  scheme: { type: SCHEMES, default: 'brats2021' },
  region: { type: ['WT', 'TC', 'ET'] as const, default: 'WT' },
  sort: { type: COLUMNS, default: 'LesionWise_Score_Dice' },
  desc: { type: 'bool', default: false },
  plot: { type: PLOTTED, default: 'LesionWise_Score_Dice' },
} as const;
type State = ReturnType<typeof readLabState<typeof schema>>;

const REGION_COLOURS: Record<string, string> = { WT: '#42d4f4', TC: '#f58231', ET: '#b8860b' };
const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');

async function sourceFromInput(list: FileList): Promise<DescribedSource> {
  const files = [...list];
  if (files.length === 1 && /\.zip$/i.test(files[0].name)) return zipSource(files[0], files[0].name);
  return inputFilesSource(files);
}

/** The inference demo's predictions and the samples' labels, both named <case>.nii.gz. */
type Sources = { pred: DescribedSource; ref: DescribedSource; flair?: Record<string, string> };

async function sampleSources(): Promise<Sources> {
  const index = (await (await fetch(`${base}data/samples/index.json`)).json()) as { cases: { id: string; files: { seg: string; flair: string } }[] };
  const get = async (url: string) => {
    const r = await fetch(url);
    if (!r.ok) throw new Error(`${url}: ${r.status} ${r.statusText}`);
    return r.blob();
  };
  const pred = await Promise.all(index.cases.map(async (c) => ({ path: `${c.id}.nii.gz`, file: await get(`${base}data/predictions/${c.id}.nii.gz`) })));
  const ref = await Promise.all(index.cases.map(async (c) => ({ path: `${c.id}.nii.gz`, file: await get(`${base}data/samples/${c.files.seg}`) })));
  const flair = Object.fromEntries(index.cases.map((c) => [c.id, `${base}data/samples/${c.files.flair}`]));
  return { pred: filesSource('inference demo predictions', pred), ref: filesSource('sample labels', ref), flair };
}

function quartiles(values: number[]): number[] {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (!v.length) return [];
  const q = (p: number) => {
    const i = p * (v.length - 1);
    const lo = Math.floor(i);
    return v[lo] + (v[Math.min(lo + 1, v.length - 1)] - v[lo]) * (i - lo);
  };
  return [0, 0.25, 0.5, 0.75, 1].map(q);
}

function download(name: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function Picker({ title, testId, source, onSource }: { title: string; testId: string; source: FileSource | null; onSource: (s: Promise<DescribedSource>) => void }) {
  const folder = useRef<HTMLInputElement>(null);
  // webkitdirectory is not a React prop: set it on the element.
  useEffect(() => folder.current?.setAttribute('webkitdirectory', ''), []);
  return (
    <DropZone className="eval-drop" testId={`${testId}-drop`} onDrop={(e: DragEvent) => onSource(droppedSource(e.dataTransfer))}>
      <strong>{title}</strong>
      <label>
        {strings.chooseFiles}{' '}
        <input type="file" multiple accept=".nii,.gz,.zip" data-testid={`${testId}-files`} onChange={(e) => e.target.files?.length && onSource(sourceFromInput(e.target.files))} />
      </label>
      <label>
        {strings.chooseFolder} <input ref={folder} type="file" data-testid={`${testId}-folder`} onChange={(e) => e.target.files?.length && onSource(sourceFromInput(e.target.files))} />
      </label>
      <span>{source ? source.label : strings.dropHere}</span>
    </DropZone>
  );
}

export default function EvaluateLab() {
  const [state, setState] = useState<State | null>(null);
  const [pred, setPred] = useState<DescribedSource | null>(null);
  const [ref, setRef] = useState<DescribedSource | null>(null);
  const [report, setReport] = useState<EvaluationReport | null>(null);
  const [progress, setProgress] = useState('');
  const [error, setError] = useState('');
  const [view, setView] = useState<{ id: string; region: EvalRegion; pred: LabelVolume; gt: LabelVolume; background?: { header: NiftiHeader; data: TypedArray } } | null>(null);
  const [results, setResults] = useState<ResultsReport | null>(null);
  const sources = useRef<Sources | null>(null);

  useEffect(() => setState(readLabState('evaluate', schema)), []);
  useEffect(() => {
    if (state) writeLabState('evaluate', schema, state);
  }, [state]);
  if (!state) return <p role="status">…</p>;
  const set = schemeRegions(state.scheme);
  const region = (report?.regions.regions ?? set.regions).find((r) => r.name === state.region) ?? set.regions[0];
  const patch = (p: Partial<State>) => setState({ ...state, ...p });

  const run = async (src: Promise<Sources>, scheme = state.scheme) => {
    setError('');
    setView(null);
    try {
      const s = await src;
      sources.current = s;
      const r = await runEvaluation({ ...s, set: schemeRegions(scheme) }, (done, total) => setProgress(fill(strings.running, { done, total })));
      setReport(r);
      setProgress(fill(strings.done, { n: r.cases.length }));
      const wt = r.brats?.WT?.LesionWise_Score_Dice;
      recordLabResult({
        lab: 'evaluate',
        schemaVersion: 1,
        summary: fill(strings.reportSummary, { n: r.cases.length, wt: wt === undefined ? '—' : wt.toFixed(3) }),
        data: { cases: r.cases.length, scheme, source: r.prediction, nnunet: r.nnunet?.mean ?? null, brats: r.brats ?? null, problems: r.problems.length },
      });
    } catch (e) {
      setError((e as Error).message);
      setProgress('');
    }
  };
  const tryOut = () => {
    patch({ scheme: 'brats2021' });
    void run(sampleSources(), 'brats2021');
  };
  const take = (which: 'pred' | 'ref') => (p: Promise<DescribedSource>) =>
    p.then((s) => (which === 'pred' ? setPred(s) : setRef(s))).catch((e: Error) => setError(e.message));
  const show = async (c: CaseResult) => {
    if (!sources.current || !report) return;
    try {
      const [p, g] = await Promise.all([
        readLabelVolume(sources.current.pred, c.prediction, report.regions),
        readLabelVolume(sources.current.ref, c.reference, report.regions),
      ]);
      const flair = sources.current.flair?.[c.id];
      const background = flair ? await readImage(filesSource('flair', [{ path: 'flair.nii.gz', file: await (await fetch(flair)).blob() }]), 'flair.nii.gz') : undefined;
      setView({ id: c.id, region, pred: p, gt: g, background });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const openResults = (p: Promise<FileSource>) =>
    p.then((s) => readResults(s)).then(setResults, (e: Error) => setError(e.message));

  const cases = report?.cases ?? [];
  const metric = state.plot as Column;
  const sortedBy = report ? report.regions.regions.map((r) => cases.map((c) => value(c, r, metric)).filter((v) => !Number.isNaN(v)).sort((a, b) => a - b)) : [];
  const n = Math.max(0, ...sortedBy.map((v) => v.length));
  const plotData: (number | null)[][] = report
    ? [Array.from({ length: n }, (_, i) => (n > 1 ? i / (n - 1) : 0)), ...sortedBy.map((v) => Array.from({ length: n }, (_, i) => v[i] ?? null))]
    : [];

  return (
    <div className="lab eval-lab not-content" data-testid="evaluate-lab">
      <p>{strings.intro}</p>
      <section>
        <h3>{strings.tryTitle}</h3>
        <p>{strings.tryIntro}</p>
        <button type="button" onClick={tryOut} data-testid="evaluate-try">
          {strings.tryButton}
        </button>
      </section>
      <section>
        <h3>{strings.ownTitle}</h3>
        <p>{strings.ownIntro}</p>
        <div className="eval-drops">
          <Picker title={strings.predictions} testId="evaluate-pred" source={pred} onSource={take('pred')} />
          <Picker title={strings.references} testId="evaluate-ref" source={ref} onSource={take('ref')} />
        </div>
        <label>
          {strings.scheme}{' '}
          <select value={state.scheme} onChange={(e) => patch({ scheme: e.target.value as State['scheme'] })} data-testid="evaluate-scheme">
            {SCHEMES.map((s) => (
              <option key={s} value={s}>
                {strings.schemes[s]}
              </option>
            ))}
          </select>
        </label>{' '}
        <button type="button" disabled={!pred || !ref} onClick={() => pred && ref && void run(Promise.resolve({ pred, ref }))} data-testid="evaluate-run">
          {strings.evaluate}
        </button>
      </section>
      <p role="status" data-testid="evaluate-status">
        {progress}
      </p>
      {error && (
        <p role="alert" className="eval-error">
          {error}
        </p>
      )}
      {report && (
        <section data-testid="evaluate-report">
          <h3>{strings.summaryTitle}</h3>
          <div className="eval-scroll" tabIndex={0} role="region" aria-label={strings.summaryTitle}>
          <table className="eval-table" data-testid="evaluate-summary">
            <caption>{strings.summaryCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{strings.region}</th>
                {(['Dice', 'LesionWise_Score_Dice', 'LesionWise_Score_HD95', 'Legacy_Dice', 'Legacy_HD95'] as const).map((c) => (
                  <th key={c} scope="col">
                    {strings.columns[c]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {report.regions.regions.map((r) => {
                const b = report.brats?.[r.name];
                return (
                  <tr key={r.name}>
                    <th scope="row">{r.name}</th>
                    <td>{report.nnunet ? report.nnunet.mean[r.key].Dice.toFixed(3) : '—'}</td>
                    <td>{b ? b.LesionWise_Score_Dice.toFixed(3) : '—'}</td>
                    <td>{b ? b.LesionWise_Score_HD95.toFixed(1) : '—'}</td>
                    <td>{b ? b.Legacy_Dice.toFixed(3) : '—'}</td>
                    <td>{b ? b.Legacy_HD95.toFixed(1) : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          </div>
          <div className="eval-exports">
            <button type="button" onClick={() => download('evaluation.csv', reportCsv(report), 'text/csv')}>
              {strings.exportCsv}
            </button>
            <button type="button" onClick={() => download('evaluation.json', reportJson(report), 'application/json')}>
              {strings.exportJson}
            </button>
          </div>
          <label>
            {strings.plotTitle.replace('{metric}', '')}
            <select value={state.plot} onChange={(e) => patch({ plot: e.target.value as State['plot'] })}>
              {PLOTTED.map((m) => (
                <option key={m} value={m}>
                  {strings.columns[m]}
                </option>
              ))}
            </select>
          </label>
          {n > 0 && (
            <Plot
              title={fill(strings.plotTitle, { metric: strings.columns[metric as keyof typeof strings.columns] })}
              data={plotData}
              series={report.regions.regions.map((r) => ({ label: r.name, colour: REGION_COLOURS[r.name] ?? '#888', points: n < 3 }))}
              xLabel={strings.plotX}
              yLabel={strings.columns[metric as keyof typeof strings.columns]}
              height={220}
            />
          )}
          <div className="eval-scroll" tabIndex={0} role="region" aria-label={strings.plotAlt}>
          <table className="eval-table" data-testid="evaluate-quartiles">
            <caption>
              {strings.columns[metric as keyof typeof strings.columns]}: {strings.plotAlt}
            </caption>
            <thead>
              <tr>
                {strings.quartileCols.map((h) => (
                  <th key={h} scope="col">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {report.regions.regions.map((r, i) => (
                <tr key={r.name}>
                  <th scope="row">{r.name}</th>
                  {quartiles(sortedBy[i]).map((q, k) => (
                    <td key={k}>{metric.includes('HD95') ? q.toFixed(1) : q.toFixed(3)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          </div>
          <h3>{strings.tableTitle}</h3>
          <label>
            {strings.region}{' '}
            <select value={region.name} onChange={(e) => patch({ region: e.target.value as State['region'] })} data-testid="evaluate-region">
              {report.regions.regions.map((r) => (
                <option key={r.name} value={r.name}>
                  {r.name}
                </option>
              ))}
            </select>
          </label>
          <CaseTable
            cases={cases}
            region={region}
            sort={state.sort}
            desc={state.desc}
            onSort={(col) => patch(col === state.sort ? { desc: !state.desc } : { sort: col, desc: false })}
            onShow={(c) => void show(c)}
          />
          {view && <ErrorView id={view.id} region={view.region} pred={view.pred} gt={view.gt} background={view.background} />}
          {report.problems.length > 0 && (
            <>
              <h4>{strings.problems}</h4>
              <ul data-testid="evaluate-problems">
                {report.problems.map((p, i) => (
                  <li key={i}>
                    [{p.code}] {p.message}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
      <section>
        <h3>{strings.resultsTitle}</h3>
        <p>{strings.resultsIntro}</p>
        <Picker title="nnUNet_results/DatasetXXX_Name" testId="evaluate-results" source={null} onSource={openResults} />
        {results && <ResultsView report={results} />}
      </section>
    </div>
  );
}
