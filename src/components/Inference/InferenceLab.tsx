/**
 * The inference lab: the course's small region-based U-Net (training/, public/data/model) run in the
 * browser with nnU-Net's sliding window. All numbers come from labs/inference; ONNX Runtime is
 * loaded only when a run starts (src/lib/ort.ts).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RegionId, SchemeId } from '../../../labs/shared/labels';
import { memorySource, type FileSource } from '../../../labs/shared/files';
import { loadCase, CHANNEL_KEYS, type CasePaths } from '../../../labs/inference/load';
import { segment, type Stage } from '../../../labs/inference/pipeline';
import { MODEL_REGIONS, regionDice } from '../../../labs/inference/regions';
import { checkSession, parseModelFile, sessionModel, type ModelFile } from '../../../labs/inference/session';
import type { MultiVolume, Vec3 } from '../../../labs/inference/volume';
import { createSession, probeWebGpu, wasmThreads, type Backend } from '../../lib/ort';
import { detectCapabilities } from '../../lib/capabilities';
import strings from '../../i18n/en/inference.json';
import PatchExplorer, { saveTiming } from './PatchExplorer';
import SliceView, { tumourSlice } from './SliceView';
import OverlayView from './OverlayView';
import { fill } from '../../i18n/fill';
import { ErrorBox, Field, Progress, ResultCard, Segmented, Toolbar } from '../ui/lab-ui';
import { recordLabResult } from '../../lib/progress';
import './inference.css';

const base = `${import.meta.env.BASE_URL.replace(/\/?$/, '/')}data/`;

interface SampleEntry {
  id: string;
  title: string;
  /** What the case is and where its labels come from (index.json); shown with the sample and its Dice. */
  description: string;
  files: CasePaths & { seg: string };
}

interface Caps {
  adapter: string | null;
  software: boolean;
  reason?: string;
  isolated: boolean;
  threads: number;
}

interface RunResult {
  caseId: string;
  backend: Backend;
  seconds: number;
  perPatch: number;
  patches: number;
  modelShape: Vec3;
  input: MultiVolume;
  labels: Uint8Array;
  reference?: Uint8Array;
  referenceScheme: SchemeId;
  dice: Record<RegionId, number> | null;
  card?: Record<RegionId, number>;
  /** Where the reference labels come from, when the lab knows (its own samples). */
  referenceNote?: string;
  mirrored: boolean;
  reoriented?: { from: string; to: string };
}

type Status = { kind: 'idle' } | { kind: 'busy'; text: string; done: number; total: number } | { kind: 'error'; text: string } | { kind: 'info'; text: string };

async function fetchBytes(url: string): Promise<Uint8Array> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

/** Reference labels: raw BraTS 2021 when 4 occurs, else the synthetic samples' scheme guess. */
function schemeOf(labels: Uint8Array): SchemeId {
  let has3 = false;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 4) return 'brats2021';
    if (labels[i] === 3) has3 = true;
  }
  return has3 ? 'nnunet137' : 'brats2021';
}

export default function InferenceLab() {
  const [caps, setCaps] = useState<Caps | null>(null);
  const [choice, setChoice] = useState<'auto' | Backend>('auto');
  const [spec, setSpec] = useState<ModelFile | null>(null);
  const [samples, setSamples] = useState<SampleEntry[]>([]);
  const [sampleId, setSampleId] = useState('');
  const [patchEdge, setPatchEdge] = useState(48);
  const [overlap, setOverlap] = useState(0.5);
  const [mirror, setMirror] = useState(false);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [result, setResult] = useState<RunResult | null>(null);
  const [own, setOwn] = useState<Partial<Record<'t1' | 't1ce' | 't2' | 'flair' | 'seg' | 'model', File>>>({});
  const abort = useRef<AbortController | null>(null);
  const [webgl, setWebgl] = useState<boolean | null>(null);

  useEffect(() => {
    probeWebGpu().then((g) => setCaps({ ...g, ...wasmThreads() }));
    detectCapabilities().then((r) => setWebgl(r.caps.webgl2));
    fetch(`${base}model/model.json`)
      .then((r) => r.json())
      .then((j) => setSpec(parseModelFile(j)))
      .catch((e) => setStatus({ kind: 'error', text: fill(strings.failed, { error: `model.json: ${(e as Error).message}` }) }));
    fetch(`${base}samples/index.json`)
      .then((r) => r.json())
      .then((j: { cases: SampleEntry[] }) => {
        setSamples(j.cases);
        setSampleId(j.cases[0]?.id ?? '');
      })
      .catch((e) => setStatus({ kind: 'error', text: fill(strings.failed, { error: `samples: ${(e as Error).message}` }) }));
  }, []);

  // Automatic: WebGPU only on a hardware adapter; until the probe answers, WebAssembly (Run never waits for it).
  const autoBackend: Backend = caps?.adapter && !caps.software ? 'webgpu' : 'wasm';
  const backend: Backend = choice === 'auto' ? autoBackend : choice;

  const run = useCallback(
    async (load: () => Promise<{ source: FileSource; paths: CasePaths; caseId: string; modelBytes?: Uint8Array; referenceNote?: string }>) => {
      if (!spec) return;
      const ctl = new AbortController();
      abort.current = ctl;
      let progress = { done: 0, total: 0 };
      try {
        setResult(null);
        setStatus({ kind: 'busy', text: strings.loadingCase, done: 0, total: 0 });
        const { source, paths, caseId, modelBytes, referenceNote } = await load();
        const { input, reference } = await loadCase(source, paths);
        setStatus({ kind: 'busy', text: strings.loadingModel, done: 0, total: 0 });
        const { ort, session } = await createSession(modelBytes ?? (await fetchBytes(`${base}model/${spec.file}`)), backend);
        // A user's model may name its tensors differently; ours must match model.json exactly.
        const io = modelBytes ? { ...spec, input: session.inputNames[0], output: session.outputNames[0] } : spec;
        checkSession(session, io);
        const model = sessionModel(ort, session, io);
        const patch: Vec3 = [patchEdge, patchEdge, patchEdge];
        const stageText = (s: Stage) => (s === 'predict' ? strings.stage_predict : strings[`stage_${s}`]);
        let stage: Stage = 'preprocess';
        const t0 = performance.now();
        let tPredict = 0;
        const res = await segment(input, {
          spec,
          patch,
          overlap,
          mirror,
          signal: ctl.signal,
          model: async (x, p) => {
            const out = await model(x, p);
            // Let the page paint the progress between patches.
            await new Promise((r) => setTimeout(r, 0));
            return out;
          },
          onStage: (s) => {
            stage = s;
            if (s === 'predict') tPredict = performance.now();
            setStatus({ kind: 'busy', text: s === 'predict' && progress.total === 0 ? strings.stage_predictStart : fill(stageText(s), progress), ...progress });
          },
          onProgress: (done, total) => {
            progress = { done, total };
            setStatus({ kind: 'busy', text: fill(stageText(stage), progress), done, total });
          },
        });
        const seconds = (performance.now() - t0) / 1000;
        // Time of one forward pass: a mirrored window costs eight.
        const passes = mirror ? 8 : 1;
        const perPatch = (performance.now() - tPredict) / 1000 / Math.max(1, res.patches * passes);
        await session.release();
        saveTiming({ patch: patchEdge, secondsPerPatch: perPatch, backend });
        const refScheme = reference ? schemeOf(reference) : 'brats2021';
        const card = (spec as ModelFile & { metrics?: { samples?: Record<string, Record<RegionId, number>> } }).metrics?.samples?.[caseId];
        const dice = reference ? regionDice(res.labels, 'brats2021', reference, refScheme) : null;
        recordLabResult({
          lab: 'inference',
          schemaVersion: 1,
          summary: `${caseId} on ${backend === 'webgpu' ? 'WebGPU' : 'WebAssembly'}: ${res.patches} patches in ${seconds.toFixed(1)} s${
            dice ? `, Dice WT ${dice.WT.toFixed(2)} / TC ${dice.TC.toFixed(2)} / ET ${dice.ET.toFixed(2)}` : ''
          }`,
          data: { caseId, backend, seconds, secondsPerPatch: perPatch, patches: res.patches, patch: patchEdge, overlap, mirror, dice },
        });
        setResult({
          caseId,
          backend,
          seconds,
          perPatch,
          patches: res.patches,
          modelShape: res.modelShape,
          input,
          labels: res.labels,
          reference,
          referenceScheme: refScheme,
          dice,
          card: modelBytes ? undefined : card,
          referenceNote,
          mirrored: mirror,
          reoriented: res.reoriented,
        });
        const timing = { backend: backend === 'webgpu' ? 'WebGPU' : 'WebAssembly', seconds: seconds.toFixed(1), perPatch: perPatch.toFixed(3), patches: res.patches };
        setStatus({ kind: 'info', text: fill(mirror ? strings.doneMirrored : strings.done, timing) });
      } catch (e) {
        if (ctl.signal.aborted) setStatus({ kind: 'info', text: fill(strings.cancelled, progress) });
        else setStatus({ kind: 'error', text: fill(strings.failed, { error: (e as Error).message ?? String(e) }) });
      } finally {
        abort.current = null;
      }
    },
    [spec, backend, patchEdge, overlap, mirror],
  );

  const selected = samples.find((c) => c.id === sampleId);
  const runSample = () => {
    const s = selected;
    if (!s) return;
    run(async () => {
      const files: Record<string, Uint8Array> = {};
      for (const key of [...CHANNEL_KEYS, 'seg'] as const) files[s.files[key]!] = await fetchBytes(`${base}samples/${s.files[key]}`);
      return { source: memorySource(s.id, files), paths: s.files, caseId: s.id, referenceNote: s.description };
    });
  };

  const runOwn = () => {
    const missing = CHANNEL_KEYS.filter((k) => !own[k]);
    if (missing.length) {
      setStatus({ kind: 'error', text: fill(strings.ownMissing, { missing: missing.join(', ') }) });
      return;
    }
    run(async () => {
      const files: Record<string, Uint8Array> = {};
      const paths = {} as CasePaths;
      for (const key of [...CHANNEL_KEYS, 'seg'] as const) {
        const f = own[key];
        if (!f) continue;
        const path = `${key}: ${f.name}`;
        files[path] = new Uint8Array(await f.arrayBuffer());
        paths[key] = path;
      }
      const modelBytes = own.model ? new Uint8Array(await own.model.arrayBuffer()) : undefined;
      return { source: memorySource('your files', files), paths, caseId: own.flair!.name, modelBytes };
    });
  };

  const busy = status.kind === 'busy';
  const backendName = (b: Backend) => (b === 'webgpu' ? strings.backendWebgpu : strings.backendWasm);
  return (
    <section className="lab inference-lab" aria-labelledby="inference-title">
      <h3 id="inference-title">{strings.title}</h3>
      <p className="inference-note">{strings.notClinical}</p>
      <div className="inference-caps" data-testid="inference-caps">
        {!caps ? (
          <p className="lab-hint">{strings.checking}</p>
        ) : (
          <>
            <p className="lab-hint">
              {caps.adapter ? fill(caps.software ? strings.webgpuSoftware : strings.webgpuFound, { adapter: caps.adapter }) : fill(strings.webgpuMissing, { reason: caps.reason ?? '' })}{' '}
              {caps.isolated ? fill(strings.threadsIsolated, { threads: caps.threads }) : strings.threadsSingle}
            </p>
          </>
        )}
        <Segmented
          legend={strings.backend}
          name="inference-backend"
          value={choice}
          onChange={setChoice}
          options={[
            { value: 'auto', label: fill(strings.backendAuto, { backend: backendName(autoBackend) }), disabled: busy },
            { value: 'webgpu', label: strings.backendWebgpu, disabled: busy || !caps?.adapter },
            { value: 'wasm', label: strings.backendWasm, disabled: busy },
          ]}
        />
      </div>

      <Toolbar className="inference-controls">
        <Field label={strings.sample}>
          <select value={sampleId} onChange={(e) => setSampleId(e.target.value)} disabled={busy}>
            {samples.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </select>
        </Field>
        <Field label={strings.patch}>
          <select value={patchEdge} onChange={(e) => setPatchEdge(Number(e.target.value))} disabled={busy}>
            {[32, 48, 64, 80].map((p) => (
              <option key={p} value={p}>
                {p}³
              </option>
            ))}
          </select>
        </Field>
        <Field label={strings.overlap}>
          <select value={overlap} onChange={(e) => setOverlap(Number(e.target.value))} disabled={busy}>
            {[0, 0.25, 0.5, 0.75].map((o) => (
              <option key={o} value={o}>
                {o * 100} %
              </option>
            ))}
          </select>
        </Field>
      </Toolbar>
      {selected && (
        <p className="lab-hint" data-testid="inference-sample-note">
          {selected.description}
        </p>
      )}
      <Field label={strings.mirror} inline>
        <input type="checkbox" checked={mirror} onChange={(e) => setMirror(e.target.checked)} disabled={busy} />
      </Field>
      <Toolbar>
        <button type="button" className="is-primary" onClick={runSample} disabled={busy || !spec || !sampleId}>
          {strings.run}
        </button>
        <button type="button" onClick={() => abort.current?.abort()} disabled={!busy}>
          {strings.cancel}
        </button>
      </Toolbar>

      {status.kind === 'busy' && <Progress label={strings.progressLabel} value={status.done} max={status.total > 0 ? status.total : undefined} text={<span data-testid="inference-progress">{status.text}</span>} />}
      {status.kind === 'info' && (
        <p role="status" data-testid="inference-done">
          {status.text}
        </p>
      )}
      {status.kind === 'error' && <ErrorBox>{status.text}</ErrorBox>}

      {result && (
        <ResultCard className="inference-result">
          {result.reoriented && <p data-testid="inference-reoriented">{fill(strings.reoriented, result.reoriented)}</p>}
          {result.dice ? (
            <table data-testid="inference-dice">
              <caption>{strings.dice}</caption>
              <thead>
                <tr>
                  <th scope="col">{strings.region}</th>
                  <th scope="col">{strings.diceHere}</th>
                  {result.card && !result.mirrored && <th scope="col">{strings.diceCard}</th>}
                </tr>
              </thead>
              <tbody>
                {MODEL_REGIONS.map((r) => (
                  <tr key={r}>
                    <th scope="row">{r}</th>
                    <td data-region={r}>{result.dice![r].toFixed(3)}</td>
                    {result.card && !result.mirrored && <td>{result.card[r].toFixed(3)}</td>}
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>{strings.noReference}</p>
          )}
          {result.dice && result.referenceNote && <p data-testid="inference-reference-note">{fill(strings.referenceNote, { case: result.caseId, note: result.referenceNote })}</p>}
          {result.dice && result.card && result.mirrored && <p>{strings.cardMirrorNote}</p>}
          {webgl ? (
            <OverlayView input={result.input} labels={result.labels} reference={result.reference} referenceScheme={result.referenceScheme} startSlice={tumourSlice(result.labels, result.input.shape)} />
          ) : (
            <SliceView input={result.input} labels={result.labels} reference={result.reference} referenceScheme={result.referenceScheme} />
          )}
        </ResultCard>
      )}

      <details className="inference-own">
        <summary>{strings.own}</summary>
        <p>{strings.ownIntro}</p>
        <Toolbar>
          {([...CHANNEL_KEYS, 'seg', 'model'] as const).map((k) => (
            <Field key={k} label={k === 'seg' ? strings.ownLabel : k === 'model' ? strings.ownModel : k.toUpperCase()}>
              <input type="file" accept={k === 'model' ? '.onnx' : '.nii,.nii.gz,.gz'} disabled={busy} onChange={(e) => setOwn((o) => ({ ...o, [k]: e.target.files?.[0] }))} />
            </Field>
          ))}
        </Toolbar>
        <button type="button" className="is-primary" onClick={runOwn} disabled={busy || !spec}>
          {strings.ownRun}
        </button>
      </details>

      {spec && <PatchExplorer spec={spec} shape={result?.modelShape} />}
    </section>
  );
}
