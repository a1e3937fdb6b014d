/**
 * The dataset validator lab: check a folder or zip from the student's disk (File System Access
 * API, folder upload field, or drag and drop) or a prebuilt broken sample, in two Web Workers,
 * with the findings, their fixes and a JSON report; or convert the BraTS sample cases (converter
 * mode). Settings live in the URL (assignment links); the result goes into the lab report.
 * The answer keys of the broken samples are never fetched here: only the zips are.
 */
import DropZone from '../ui/DropZone';
import { useEffect, useRef, useState, type DragEvent } from 'react';
import type { ConvertReport } from '../../../labs/convert';
import type { CheckMode } from '../../../labs/dataset-check';
import type { FileSource } from '../../../labs/shared/files';
import type { CheckReport } from '../../../labs/shared/report';
import { directoryHandleSource, droppedSource, inputFilesSource, zipSource, type SourceDescriptor } from '../../lib/files';
import { loadProgress, recordLabResult } from '../../lib/progress';
import { readLabState, writeLabState } from '../../lib/url-state';
import strings from '../../i18n/en/dataset-validator.json';
import { fill } from '../../i18n/fill';
import Converter from './Converter';
import Findings from './Findings';
import { runBrowserCheck, type Progress, type Timing } from './run-check';
import './validator.css';

type Source = FileSource & { descriptor: SourceDescriptor };

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
  const [progress, setProgress] = useState<Progress | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [result, setResult] = useState<{ report: CheckReport; timing: Timing; name: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const folderInput = useRef<HTMLInputElement>(null);
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
  // webkitdirectory is not a React prop: set it on the element.
  useEffect(() => {
    folderInput.current?.setAttribute('webkitdirectory', '');
  }, [state?.mode]);

  const check = async (load: () => Promise<Source>, name: string) => {
    if (!state) return;
    abort.current?.abort();
    const ctrl = new AbortController();
    abort.current = ctrl;
    setBusy(true);
    setError('');
    setResult(null);
    setProgress(null);
    setStatus(fill(strings.reading, { name }));
    try {
      const source = await load();
      setStatus(strings.planning);
      const checkMode: CheckMode = state.headers ? 'headers' : 'full';
      const { report, timing } = await runBrowserCheck(source, checkMode, setProgress, ctrl.signal);
      setResult({ report, timing, name: source.label });
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
      else setError(fill(strings.failed, { message: (e as Error).message }));
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

  const chooseFolder = async () => {
    const picker = (window as unknown as { showDirectoryPicker?: (o: { mode: 'read' }) => Promise<Parameters<typeof directoryHandleSource>[0]> }).showDirectoryPicker;
    if (!picker) {
      folderInput.current?.click();
      return;
    }
    let handle: Parameters<typeof directoryHandleSource>[0];
    try {
      handle = await picker({ mode: 'read' });
    } catch {
      return; // the user closed the picker
    }
    setState((s) => (s ? { ...s, sample: '' } : s));
    void check(() => directoryHandleSource(handle), handle.name);
  };

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    // Taken synchronously: the DataTransfer is emptied when this handler returns.
    const pending = droppedSource(e.dataTransfer);
    setState((s) => (s ? { ...s, sample: '' } : s));
    void check(() => pending, strings.dropZone);
  };

  if (!state) return <p role="status">{strings.loading}</p>;
  const set = (change: Partial<State>) => setState({ ...state, ...change });

  const rate = progress && progress.seconds > 0 ? progress.done / progress.seconds : 0;
  return (
    <div className="lab validator-lab" data-testid="validator-lab">
      <fieldset className="validator-modes">
        <legend>{strings.modeLegend}</legend>
        {(['check', 'convert'] as const).map((m) => (
          <label key={m}>
            <input type="radio" name="validator-mode" value={m} checked={state.mode === m} onChange={() => set({ mode: m })} /> {m === 'check' ? strings.modeCheck : strings.modeConvert}
          </label>
        ))}
      </fieldset>
      <p className="validator-privacy">{strings.privacy}</p>

      {state.mode === 'convert' ? (
        <Converter
          settings={{ scheme: state.scheme, regions: state.regions }}
          onSettings={(s) => set(s)}
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
            <p>{strings.inputHelp}</p>
            <div className="validator-row">
              <button type="button" onClick={chooseFolder} disabled={busy}>
                {strings.chooseFolder}
              </button>
              <label>
                {strings.folderInput}{' '}
                <input
                  ref={folderInput}
                  type="file"
                  multiple
                  data-testid="validator-folder-input"
                  disabled={busy}
                  onChange={(e) => {
                    const files = e.target.files;
                    if (!files || files.length === 0) return;
                    set({ sample: '' });
                    void check(async () => inputFilesSource(files), files[0].webkitRelativePath.split('/')[0] || files[0].name);
                    e.target.value = '';
                  }}
                />
              </label>
              <label>
                {strings.zipInput}{' '}
                <input
                  type="file"
                  accept=".zip,application/zip"
                  data-testid="validator-zip-input"
                  disabled={busy}
                  onChange={(e) => {
                    const file = e.target.files?.[0];
                    if (!file) return;
                    set({ sample: '' });
                    void check(() => zipSource(file, file.name), file.name);
                    e.target.value = '';
                  }}
                />
              </label>
            </div>
            <DropZone className="validator-drop" testId="validator-drop" onDrop={onDrop}>
              {(dragging) => (dragging ? strings.dropZoneActive : strings.dropZone)}
            </DropZone>
            <label>
              <input type="checkbox" checked={state.headers} onChange={(e) => set({ headers: e.target.checked })} /> {strings.headersOnly}
            </label>
          </fieldset>

          <fieldset>
            <legend>{strings.tryLegend}</legend>
            <p>{strings.tryHelp}</p>
            {samples && samples.length === 0 && <p>{strings.tryNone}</p>}
            <div className="validator-row">
              {samples?.map((name) => (
                <button key={name} type="button" onClick={() => trySample(name)} disabled={busy} aria-pressed={state.sample === name}>
                  {fill(strings.tryButton, { name })}
                </button>
              ))}
            </div>
          </fieldset>

          <div role="status" aria-live="polite" className="validator-status">
            {status && <p>{status}</p>}
            {busy && progress && progress.total > 0 && (
              <>
                <progress max={progress.total} value={progress.done} aria-label={strings.progressLabel} />
                <p>{fill(strings.progress, { done: progress.done, total: progress.total, rate: rate.toFixed(1), eta: rate > 0 ? Math.round((progress.total - progress.done) / rate) : '?' })}</p>
              </>
            )}
          </div>
          {busy && (
            <button type="button" onClick={() => abort.current?.abort()}>
              {strings.cancel}
            </button>
          )}
          {error && <p role="alert">{error}</p>}
          {result && (
            <>
              <p data-testid="validator-timing">
                {fill(result.timing.workers > 0 ? strings.workers : strings.workersNone, {
                  cases: result.timing.cases,
                  seconds: result.timing.seconds.toFixed(1),
                  workers: result.timing.workers,
                  voxels: result.timing.voxels.toLocaleString('en'),
                })}{' '}
                {result.timing.projectedBratsSeconds !== null &&
                  fill(state.headers ? strings.projectedHeaders : strings.projected, { seconds: Math.round(result.timing.projectedBratsSeconds) })}
              </p>
              <Findings
                report={result.report}
                filters={{ severity: state.severity, rule: state.rule }}
                onFilters={(f) => set({ severity: f.severity, rule: f.rule })}
                fileName={result.name}
              />
            </>
          )}
        </>
      )}
    </div>
  );
}
