/**
 * The dataset validator lab: check a folder or zip from the student's disk (File System Access
 * API, folder upload field, or drag and drop) or a prebuilt broken sample, in two Web Workers,
 * with the findings, their fixes and a JSON report; or convert the BraTS sample cases (converter
 * mode). Settings live in the URL (assignment links); the result goes into the lab report.
 * The answer keys of the broken samples are never fetched here: only the zips are.
 */
import { useEffect, useRef, useState } from 'react';
import type { ConvertReport } from '../../../labs/convert';
import { CheckInputError, type CheckMode } from '../../../labs/dataset-check';
import type { CheckReport } from '../../../labs/shared/report';
import { zipSource } from '../../lib/files';
import { ErrorBox, Field, Progress, Segmented, Toolbar } from '../ui/lab-ui';
import { loadProgress, recordLabResult } from '../../lib/progress';
import { readLabState, writeLabState } from '../../lib/url-state';
import strings from '../../i18n/en/dataset-validator.json';
import { fill } from '../../i18n/fill';
import Converter from './Converter';
import Findings from './Findings';
import { runBrowserCheck, type Progress as CheckProgress, type Timing } from './run-check';
import SourcePicker, { type Source } from './SourcePicker';
import './validator.css';

const schema = {
  mode: { type: ['check', 'convert'] as const, default: 'check' },
  headers: { type: 'bool', default: false },
  sample: { type: 'string', default: '' },
  severity: { type: ['all', 'error', 'warning', 'info'] as const, default: 'all' },
  rule: { type: 'string', default: '' },
  scheme: { type: ['nnunet137', 'keep'] as const, default: 'nnunet137' },
  regions: { type: 'bool', default: false },
} as const;

type State = ReturnType<typeof readLabState<typeof schema>>;

const dataBase = `${import.meta.env.BASE_URL.replace(/\/?$/, '/')}data/`;
const BROKEN = /^broken\/([^/]+)\.zip$/;

/** Broken sample zips, from the data manifest: their names only, never the answer keys beside them. */
async function brokenSamples(): Promise<string[]> {
  const r = await fetch(`${dataBase}MANIFEST.json`);
  if (!r.ok) return [];
  const m = (await r.json()) as { files: { path: string }[] };
  return m.files.map((f) => BROKEN.exec(f.path)?.[1]).filter((x): x is string => !!x);
}

/** Keeps the last check and the last conversion together in the lab's report section. */
function record(part: 'check' | 'convert', summary: string, data: Record<string, unknown>) {
  const previous = loadProgress().labs['dataset-validator']?.data ?? {};
  recordLabResult({ lab: 'dataset-validator', schemaVersion: 1, summary, data: { ...previous, [part]: data } });
}

const ruleCounts = (r: CheckReport) => r.findings.reduce<Record<string, number>>((acc, f) => ({ ...acc, [f.rule]: (acc[f.rule] ?? 0) + 1 }), {});

export default function ValidatorLab({ mode = 'check' }: { mode?: 'check' | 'convert' }) {
  // The address is only known in the browser: start empty so the server HTML and hydration agree.
  const [state, setState] = useState<State | null>(null);
  const [samples, setSamples] = useState<string[] | null>(null);
  const [progress, setProgress] = useState<CheckProgress | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<{ message: string; brats: Source | null } | null>(null);
  /** A BraTS folder the checker was given, handed to the converter. */
  const [handoff, setHandoff] = useState<Source | null>(null);
  const [result, setResult] = useState<{ report: CheckReport; timing: Timing } | null>(null);
  const [busy, setBusy] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const autoRan = useRef(false);

  useEffect(() => {
    const s = readLabState('dataset-validator', { ...schema, mode: { ...schema.mode, default: mode } });
    setState(s);
    brokenSamples()
      .then(setSamples)
      .catch(() => setSamples([]));
  }, [mode]);
  useEffect(() => {
    if (state) writeLabState('dataset-validator', { ...schema, mode: { ...schema.mode, default: mode } }, state);
  }, [state, mode]);

  const check = async (load: () => Promise<Source>, name: string) => {
    if (!state) return;
    abort.current?.abort();
    const ctrl = new AbortController();
    abort.current = ctrl;
    setBusy(true);
    setError(null);
    setResult(null);
    setProgress(null);
    setStatus(fill(strings.reading, { name }));
    let source: Source | null = null;
    try {
      source = await load();
      setStatus(strings.planning);
      const checkMode: CheckMode = state.headers ? 'headers' : 'full';
      const { report, timing } = await runBrowserCheck(source, checkMode, setProgress, ctrl.signal);
      setResult({ report, timing });
      setStatus('');
      record('check', fill(strings.summary, { target: report.target, ...report.summary }), {
        target: report.target,
        mode: checkMode,
        sample: state.sample || undefined,
        summary: report.summary,
        rules: ruleCounts(report),
        cases: timing.cases,
        seconds: Number(timing.seconds.toFixed(2)),
      });
    } catch (e) {
      setStatus('');
      if ((e as Error).name === 'AbortError') setStatus(strings.cancelled);
      else setError({ message: fill(strings.failed, { message: (e as Error).message }), brats: e instanceof CheckInputError && e.brats ? source : null });
    } finally {
      setBusy(false);
    }
  };

  const trySample = (name: string) => {
    if (!state) return;
    setState({ ...state, sample: name, mode: 'check', severity: 'all', rule: '' });
    void check(async () => {
      const r = await fetch(`${dataBase}broken/${name}.zip`);
      if (!r.ok) throw new Error(`${name}.zip: HTTP ${r.status}`);
      return zipSource(await r.blob(), `${name}.zip`);
    }, `${name}.zip`);
  };

  // An assignment link with a sample runs it once the page is ready.
  useEffect(() => {
    if (!state || !samples || autoRan.current || state.mode !== 'check' || !state.sample) return;
    autoRan.current = true;
    if (samples.includes(state.sample)) trySample(state.sample);
  }, [state, samples]);

  const fromDisk = (load: () => Promise<Source>, name: string) => {
    setState((st) => (st ? { ...st, sample: '' } : st));
    void check(load, name);
  };

  if (!state) return <p role="status">{strings.loading}</p>;
  const set = (change: Partial<State>) => setState({ ...state, ...change });

  const rate = progress && progress.seconds > 0 ? progress.done / progress.seconds : 0;
  return (
    <div className="lab validator-lab" data-testid="validator-lab">
      <Segmented
        legend={strings.modeLegend}
        name="validator-mode"
        value={state.mode}
        options={[
          { value: 'check', label: strings.modeCheck },
          { value: 'convert', label: strings.modeConvert },
        ]}
        onChange={(m) => set({ mode: m })}
      />
      <p className="lab-hint">{strings.privacy}</p>

      {state.mode === 'convert' ? (
        <Converter
          settings={{ scheme: state.scheme, regions: state.regions }}
          onSettings={(s) => set(s)}
          handoff={handoff}
          onDone={(r: ConvertReport, c: CheckReport) =>
            record('convert', fill(strings.converted, { dataset: r.dataset, training: r.training.length, test: r.test.length, skipped: r.skipped.length }), {
              dataset: r.dataset,
              scheme: r.scheme,
              regions: r.regions,
              training: r.training.length,
              labelCounts: r.labelCounts,
              check: c.summary,
            })
          }
        />
      ) : (
        <>
          <fieldset>
            <legend>{strings.inputLegend}</legend>
            <p className="lab-hint">{strings.inputHelp}</p>
            <SourcePicker onSource={fromDisk} disabled={busy} testIdPrefix="validator" dropText={strings.dropZone} />
            <Field label={strings.headersOnly} inline>
              <input type="checkbox" checked={state.headers} onChange={(e) => set({ headers: e.target.checked })} />
            </Field>
          </fieldset>

          <fieldset>
            <legend>{strings.tryLegend}</legend>
            <p className="lab-hint">{strings.tryHelp}</p>
            {samples && samples.length === 0 && <p>{strings.tryNone}</p>}
            <Toolbar>
              {samples?.map((name) => (
                <button key={name} type="button" onClick={() => trySample(name)} disabled={busy} aria-pressed={state.sample === name}>
                  {fill(strings.tryButton, { name })}
                </button>
              ))}
            </Toolbar>
          </fieldset>

          {status && (
            <Progress
              label={strings.progressLabel}
              value={progress?.done}
              max={busy && progress && progress.total > 0 ? progress.total : undefined}
              text={
                busy && progress && progress.total > 0
                  ? fill(strings.progress, { done: progress.done, total: progress.total, rate: rate.toFixed(1), eta: rate > 0 ? Math.round((progress.total - progress.done) / rate) : '?' })
                  : status
              }
            />
          )}
          {busy && (
            <button type="button" onClick={() => abort.current?.abort()}>
              {strings.cancel}
            </button>
          )}
          {error && (
            <ErrorBox>
              <p>{error.message}</p>
              {error.brats && (
                <button
                  type="button"
                  className="is-primary"
                  onClick={() => {
                    setHandoff(error.brats);
                    setError(null);
                    set({ mode: 'convert' });
                  }}
                >
                  {strings.convertIt}
                </button>
              )}
            </ErrorBox>
          )}
          {result && (
            <>
              <p data-testid="validator-timing" className="lab-hint">
                {fill(result.timing.workers > 0 ? strings.workers : strings.workersNone, {
                  cases: result.timing.cases,
                  seconds: result.timing.seconds.toFixed(1),
                  workers: result.timing.workers,
                  voxels: result.timing.voxels.toLocaleString('en'),
                })}{' '}
                {result.timing.projectedBratsSeconds !== null &&
                  fill(state.headers ? strings.projectedHeaders : strings.projected, { seconds: Math.round(result.timing.projectedBratsSeconds) })}
              </p>
              <Findings report={result.report} filters={{ severity: state.severity, rule: state.rule }} onFilters={(f) => set({ severity: f.severity, rule: f.rule })} />
            </>
          )}
        </>
      )}
    </div>
  );
}
