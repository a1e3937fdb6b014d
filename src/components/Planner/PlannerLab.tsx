/**
 * The planner lab (lesson 7): nnU-Net v2's planner (labs/planner) on a built-in fingerprint, your
 * own dataset (fingerprint computed in Web Workers), your own dataset_fingerprint.json, or an
 * nnUNetPlans.json; GPU memory and preset in the URL; the result goes into the lab report.
 */
import { useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import {
  BUILTIN,
  BUILTIN_IDS,
  PRESETS,
  PRESET_IDS,
  datasetInfoFromJson,
  ownInputFromJson,
  planCommand,
  planExperiment,
  suggestedPlansName,
  trainCommand,
  type DatasetInfo,
  type Fingerprint,
  type OwnJson,
  type PlannedConfiguration,
  type PresetId,
} from '../../../labs/planner';
import { droppedSource, inputFilesSource, zipSource } from '../../lib/files';
import { readLabState, writeLabState } from '../../lib/url-state';
import { recordLabResult } from '../../lib/progress';
import DropZone from '../ui/DropZone';
import PatchOverlay from './PatchOverlay';
import { fingerprintInBrowser } from './run-fingerprint';
import strings from '../../i18n/en/planner.json';
import { fill } from '../../i18n/fill';
import './planner.css';

const schema = {
  dataset: { type: BUILTIN_IDS, default: 'brats' },
  gpu: { type: 'int', default: 8, min: 4, max: 80 },
  preset: { type: PRESET_IDS, default: 'default' },
} as const;
type State = ReturnType<typeof readLabState<typeof schema>>;

const PRESET_LABEL: Record<PresetId, string> = { default: strings.presetDefault, 'resenc-m': strings.presetM, 'resenc-l': strings.presetL, 'resenc-xl': strings.presetXL };

/** Your own input: a fingerprint to plan (with what the lab says about it), or a plans file to read. */
type Own = (OwnJson & { kind: 'plans' }) | { kind: 'fingerprint'; name: string; fingerprint: Fingerprint; info: DatasetInfo; note: string };

const x = (v: readonly number[]) => v.map((n) => Math.round(n * 100) / 100).join(' × ');

async function readJsonFiles(files: File[]): Promise<Own> {
  const own = ownInputFromJson(await Promise.all(files.map(async (f) => ({ name: f.name, text: await f.text() }))));
  if (own.kind === 'plans') return own;
  const note = own.assumed ? fill(strings.fingerprintOnly, { channels: own.info.channelNames.length, labels: own.info.numLabels, cases: own.info.numTraining }) : '';
  return { kind: 'fingerprint', name: own.name, fingerprint: own.fingerprint, info: own.info, note };
}

export default function PlannerLab() {
  const [state, setState] = useState<State | null>(null);
  const [own, setOwn] = useState<Own | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [copied, setCopied] = useState('');
  const [link, setLink] = useState('');
  const folderInput = useRef<HTMLInputElement>(null);
  useEffect(() => setState(readLabState('planner', schema)), []);
  useEffect(() => folderInput.current?.setAttribute('webkitdirectory', ''), [state === null]);

  const builtin = state ? BUILTIN[state.dataset] : null;
  const input = own?.kind === 'fingerprint' ? own : builtin && { name: builtin.name, fingerprint: builtin.fingerprint, info: builtin.info };
  const planned = useMemo(() => {
    if (!state || !input || own?.kind === 'plans') return null;
    try {
      const preset = PRESETS[state.preset];
      return { plan: planExperiment(input.fingerprint, input.info, { preset: state.preset, targetGb: state.gpu, plansName: suggestedPlansName(preset, state.gpu) }), error: '' };
    } catch (e) {
      return { plan: null, error: (e as Error).message };
    }
  }, [state, input, own]);
  const plan = planned?.plan ?? null;
  const datasetName = own ? (own.kind === 'plans' ? own.name : own.name.replace(/\.json$/, '')) : (builtin?.name ?? '');
  const rows: PlannedConfiguration[] = own?.kind === 'plans'
    ? own.summary.configurations
    : plan
      ? (['3d_fullres', '3d_lowres', '2d'] as const).flatMap((n) => {
          const c = plan.configurations[n];
          return c ? [{ name: n, patchSize: c.patchSize, batchSize: c.batchSize, spacing: c.spacing, stages: c.network.featuresPerStage.length, poolsPerAxis: c.network.poolsPerAxis, featureMaps: c.featureMaps, estimatedGb: c.estimatedGb }] : [];
        })
      : [];
  const commands = plan ? [planCommand(plan, datasetName), trainCommand(plan, datasetName)] : [];
  const full = rows.find((r) => r.name === '3d_fullres');
  const target = own?.kind === 'plans' ? own.summary.preset.defaultTargetGb : (state?.gpu ?? 8);

  useEffect(() => {
    if (!state) return;
    setLink(writeLabState('planner', schema, state));
    if (!full) return;
    recordLabResult({
      lab: 'planner',
      schemaVersion: 1,
      summary: `${datasetName}: 3d_fullres patch ${full.patchSize.join('×')}, batch ${full.batchSize} (${own?.kind === 'plans' ? own.summary.planner : `${PRESET_LABEL[state.preset]}, ${state.gpu} GB`})`,
      data: { dataset: datasetName, own: own?.kind ?? null, gpuGb: state.gpu, preset: state.preset, configurations: rows.map((r) => ({ name: r.name, patch: r.patchSize, batch: r.batchSize, spacing: r.spacing, estimatedGb: Number(r.estimatedGb.toFixed(2)) })), commands },
    });
  }, [state, full?.patchSize.join(), full?.batchSize, datasetName]);

  if (!state) return <p role="status">{strings.loading}</p>;

  const set = (next: Partial<State>) => setState({ ...state, ...next });
  const load = async (what: () => Promise<Own>) => {
    setError('');
    setStatus('');
    try {
      setOwn(await what());
    } catch (e) {
      setError(`${strings.errorPrefix} ${(e as Error).message}`);
    } finally {
      setStatus('');
    }
  };
  const fromSource = (open: () => Promise<Parameters<typeof fingerprintInBrowser>[0]>) =>
    load(async () => {
      const ds = await fingerprintInBrowser(await open(), (done, total) => setStatus(fill(strings.fingerprinting, { done, total })));
      return { kind: 'fingerprint', name: ds.name, fingerprint: ds.fingerprint, info: datasetInfoFromJson(ds.datasetJson), note: fill(strings.fingerprinted, { name: ds.name, cases: ds.cases.length, seconds: ds.seconds.toFixed(1) }) };
    });
  const onFiles = (files: File[]) => {
    if (files.length === 0) return;
    if (files.every((f) => /\.json$/i.test(f.name))) void load(() => readJsonFiles(files));
    else if (files.length === 1 && /\.zip$/i.test(files[0].name)) void fromSource(() => zipSource(files[0], files[0].name));
    else void fromSource(async () => inputFilesSource(files));
  };
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    const files = [...e.dataTransfer.files];
    if (files.length > 0 && files.every((f) => /\.(json|zip)$/i.test(f.name))) return onFiles(files);
    const pending = droppedSource(e.dataTransfer);
    void fromSource(() => pending);
  };
  const copy = async (text: string, what: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(`${what} ${strings.copied}`);
    } catch {
      setCopied(strings.copyRefused);
    }
  };
  // The patch's extent in mm along x and y (nnU-Net orders axes z, y, x; transposes put the coarsest first).
  const patchMm = (() => {
    if (!full) return null;
    const tf = plan?.transposeForward ?? [0, 1, 2];
    const mm = [0, 0, 0];
    full.patchSize.forEach((p, i) => (mm[tf[i]] = p * full.spacing[i]));
    return mm;
  })();

  return (
    <div className="lab planner" data-testid="planner">
      <fieldset>
        <legend>{strings.dataset}</legend>
        {BUILTIN_IDS.map((id) => (
          <label key={id} className="planner-choice">
            <input type="radio" name="planner-dataset" value={id} checked={!own && state.dataset === id} onChange={() => (setOwn(null), set({ dataset: id }))} /> {BUILTIN[id].description}
          </label>
        ))}
        <details className="planner-own" open={own !== null}>
          <summary>{strings.ownDataset}</summary>
          <p>{strings.ownIntro}</p>
          <DropZone testId="planner-drop" onDrop={onDrop}>
            {(dragging) => (
              <>
                <label className="planner-file">
                  {strings.chooseFolder} <input ref={folderInput} type="file" multiple onChange={(e) => onFiles([...(e.target.files ?? [])])} />
                </label>
                <label className="planner-file">
                  {strings.chooseZip} <input type="file" accept=".zip" onChange={(e) => onFiles([...(e.target.files ?? [])])} />
                </label>
                <label className="planner-file">
                  {strings.chooseJson} <input type="file" accept=".json" multiple data-testid="planner-json" onChange={(e) => onFiles([...(e.target.files ?? [])])} />
                </label>
                <p>{dragging ? strings.dropping : strings.drop}</p>
              </>
            )}
          </DropZone>
          {own && <p>{own.kind === 'plans' ? fill(strings.plansFile, { name: own.name, planner: own.summary.planner }) : own.note}</p>}
        </details>
        {own && <p className="planner-note">{strings.noOwnInUrl}</p>}
      </fieldset>

      <fieldset disabled={own?.kind === 'plans'}>
        <legend>{strings.preset}</legend>
        <div className="planner-presets" role="radiogroup" aria-label={strings.preset}>
          {PRESET_IDS.map((id) => (
            <label key={id}>
              <input type="radio" name="planner-preset" value={id} checked={state.preset === id} onChange={() => set({ preset: id, gpu: PRESETS[id].defaultTargetGb })} /> {PRESET_LABEL[id]}
            </label>
          ))}
        </div>
        <p className="planner-note">{strings.presetHint}</p>
        <label className="planner-gpu">
          {strings.gpuMemory}: <output data-testid="planner-gpu">{state.gpu} GB</output>
          <input type="range" min={4} max={80} step={1} value={state.gpu} onChange={(e) => set({ gpu: Number(e.target.value) })} />
        </label>
      </fieldset>

      <p role="status">{status}</p>
      {(error || planned?.error) && (
        <p className="planner-error" role="alert">
          {error || `${strings.errorPrefix} ${planned?.error}`}
        </p>
      )}

      {rows.length > 0 && (
        <div className="planner-configs not-content" data-testid="planner-configs">
          {rows.map((r) => (
            <section key={r.name} data-config={r.name} aria-labelledby={`planner-${r.name}`}>
              <h4 id={`planner-${r.name}`}>{r.name}</h4>
              <dl>
                <dt>{strings.patch}</dt>
                <dd data-testid={`patch-${r.name}`}>{r.patchSize.join(' × ')}</dd>
                <dt>{strings.batch}</dt>
                <dd data-testid={`batch-${r.name}`}>{r.batchSize}</dd>
                <dt>{strings.spacing}</dt>
                <dd>{x(r.spacing)}</dd>
                <dt>{strings.stages}</dt>
                <dd>
                  {r.stages} ({strings.pools} {r.poolsPerAxis.join('/')})
                </dd>
                <dt>{strings.memory}</dt>
                <dd>
                  <meter min={0} max={Math.max(target, r.estimatedGb)} value={r.estimatedGb} aria-label={`${strings.memory} ${r.name}`} />{' '}
                  {fill(strings.memoryValue, { gb: r.estimatedGb.toFixed(1), target })}
                </dd>
              </dl>
            </section>
          ))}
        </div>
      )}
      {plan?.cascade && <p>{strings.cascade}</p>}
      {rows.length > 0 && <p className="planner-note">{strings.memoryNote}</p>}
      {patchMm && <PatchOverlay widthMm={patchMm[2]} heightMm={patchMm[1]} />}

      {commands.length > 0 && (
        <>
          <h4>{strings.commands}</h4>
          <pre tabIndex={0}>
            <code data-testid="planner-commands">{commands.join('\n')}</code>
          </pre>
          <button type="button" onClick={() => copy(commands.join('\n'), strings.commands)}>
            {strings.copyCommands}
          </button>
        </>
      )}
      <button type="button" onClick={() => copy(link, strings.copyLink)}>
        {strings.copyLink}
      </button>
      <span role="status">{copied}</span>
    </div>
  );
}
