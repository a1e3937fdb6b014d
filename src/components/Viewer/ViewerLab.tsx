/**
 * The BraTS viewer lab: four modalities and the tumour labels in NiiVue, raw labels versus the
 * nested regions, volumes as text. The numbers come from labs/viewer; NiiVue only draws.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { NVImage } from '@niivue/niivue';
import { readAll, type FileSource } from '../../../labs/shared/files';
import { SCHEMES, TISSUE_COLOURS, REGION_COLOURS, type RegionId, type SchemeId, type TissueId } from '../../../labs/shared/labels';
import {
  CHANNELS,
  PRESETS,
  VIEWER_STATE,
  VIEWS,
  brainValues,
  countLabels,
  formatMl,
  formatReadout,
  guessScheme,
  nearestVoxel,
  noteInspection,
  parseSampleIndex,
  presetWindow,
  rawColours,
  regionColours,
  regionFormulas,
  sliceAxis,
  stepSlice,
  toLabelColormap,
  tumourCentre,
  undefinedValues,
  volumeTable,
  voxToWorld,
  worldToVox,
  type Channel,
  type LabelCounts,
  type Naming,
  type SampleCase,
  type SchemeGuess,
  type Vec3,
  type ViewerReportData,
  type ViewerState,
} from '../../../labs/viewer';
import { detectCapabilities } from '../../lib/capabilities';
import { createViewerGroup, decodeVolume, watchVisibility, type ViewerGroup } from '../../lib/niivue';
import { loadProgress, recordLabResult } from '../../lib/progress';
import { readLabState, writeLabState } from '../../lib/url-state';
import strings from '../../i18n/en/viewer.json';
import { ErrorBox, Field, Segmented } from '../ui/lab-ui';
import Preflight from '../ui/Preflight';
import OwnCase, { type PickedFile } from './OwnCase';
import { fill } from '../../i18n/fill';
import './viewer.css';

/** A case in memory: decoded volumes on one voxel grid, with the label's statistics. */
interface LoadedCase {
  id: string;
  source: 'sample' | 'own';
  images: Partial<Record<Channel, NVImage>>;
  label: NVImage | null;
  dims: Vec3;
  affine: number[][];
  spacing: Vec3;
  counts: LabelCounts | null;
  guess: SchemeGuess | null;
  start: Vec3;
  expectedMl?: SampleCase['volumesMl'];
  attribution?: string;
}

/** Files larger than this are refused before reading: a BraTS volume is a few MB, a float64 1 mm volume ~70 MB. */
const MAX_FILE_BYTES = 1 << 30;

const SLICE_TYPES = { axial: 0, coronal: 1, sagittal: 2, multiplanar: 3, render: 4 } as const;
const AXIS_NAMES = ['i', 'j', 'k'];

function geometryOf(img: NVImage, name: string): { dims: Vec3; affine: number[][]; spacing: Vec3 } {
  const hdr = img.hdr!;
  const extra = hdr.dims.slice(4, 1 + hdr.dims[0]).reduce((a, b) => a * Math.max(1, b), 1);
  if (hdr.dims[0] < 3 || extra > 1) throw new Error(`${name}: ${hdr.dims[0]}-dimensional image with ${extra} volumes; one 3D volume per file is expected`);
  return {
    dims: [hdr.dims[1], hdr.dims[2], hdr.dims[3]],
    affine: hdr.affine.map((row) => [...row]),
    spacing: [hdr.pixDims[1], hdr.pixDims[2], hdr.pixDims[3]],
  };
}

const sameGrid = (a: { dims: Vec3; affine: number[][] }, b: { dims: Vec3; affine: number[][] }) =>
  a.dims.every((d, i) => d === b.dims[i]) && a.affine.slice(0, 3).every((row, r) => row.every((x, c) => Math.abs(x - b.affine[r][c]) < 1e-3));

/** Builds a LoadedCase from decoded volumes; throws a message naming the file that does not fit. */
function assemble(id: string, source: 'sample' | 'own', decoded: { role: Channel | 'seg'; name: string; img: NVImage }[], naming: Naming): LoadedCase {
  const ref = decoded.find((d) => d.role === 'seg') ?? decoded[0];
  const grid = geometryOf(ref.img, ref.name);
  const images: Partial<Record<Channel, NVImage>> = {};
  for (const d of decoded) {
    const g = geometryOf(d.img, d.name);
    if (!sameGrid(g, grid)) {
      throw new Error(fill(strings.gridMismatch, { name: d.name, dims: g.dims.join('×'), ref: ref.name, refDims: grid.dims.join('×') }));
    }
    if (d.role !== 'seg') images[d.role] = d.img;
  }
  const label = decoded.find((d) => d.role === 'seg')?.img ?? null;
  let counts: LabelCounts | null = null;
  let guess: SchemeGuess | null = null;
  let start: Vec3 = grid.dims.map((n) => Math.floor(n / 2)) as Vec3;
  if (label) {
    counts = countLabels(label.img as ArrayLike<number>, label.hdr!.scl_slope, label.hdr!.scl_inter);
    guess = guessScheme(counts.counts.keys(), naming);
    start = tumourCentre(label.img as ArrayLike<number>, grid.dims) ?? start;
  }
  return { id, source, images, label, ...grid, counts, guess, start };
}

const chanValue = (img: NVImage | null | undefined, v: Vec3, dims: Vec3): number | null => {
  if (!img?.img) return null;
  const raw = img.img[v[0] + v[1] * dims[0] + v[2] * dims[0] * dims[1]] as number;
  const s = img.hdr!.scl_slope;
  const b = img.hdr!.scl_inter;
  return raw * (s && Number.isFinite(s) ? s : 1) + (Number.isFinite(b) ? b : 0);
};

const fmtNum = (x: number) => String(Number(x.toPrecision(4)));

declare global {
  interface Window {
    /** Test hook: NiiVue's own voxel → canvas mapping and a framebuffer read, for the e2e pixel checks. */
    __bratslabViewer?: {
      caseId: string;
      setVoxel(v: Vec3): void;
      pixelAt(v: Vec3, viewer?: number): { x: number; y: number; rgba: number[] } | null;
    };
  }
}

export default function ViewerLab() {
  const [state, setState] = useState<ViewerState | null>(null);
  const [webgl, setWebgl] = useState<boolean | null>(null);
  const [samples, setSamples] = useState<SampleCase[] | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [loaded, setLoaded] = useState<LoadedCase | null>(null);
  const [schemeOverride, setSchemeOverride] = useState<SchemeId | ''>('');
  const [tissues, setTissues] = useState<Set<TissueId>>(new Set(['NCR', 'ED', 'ET', 'RC']));
  const [regions, setRegions] = useState<Set<RegionId>>(new Set(['WT', 'TC', 'ET']));
  const [cross, setCross] = useState<Vec3 | null>(null);
  const [showCross, setShowCross] = useState(true);
  const [radiological, setRadiological] = useState(false);
  const [visible, setVisible] = useState(false);
  const [group, setGroup] = useState<ViewerGroup | null>(null);
  const [evicted, setEvicted] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const cells = useRef<(HTMLDivElement | null)[]>([]);
  const sortedCache = useRef(new Map<NVImage, Float64Array>());
  const loadToken = useRef(0);

  const base = `${import.meta.env.BASE_URL.replace(/\/?$/, '/')}data/samples/`;
  const update = (patch: Partial<ViewerState>) => setState((s) => (s ? { ...s, ...patch } : s));

  // The address is only known in the browser: read it after hydration.
  useEffect(() => {
    setState(readLabState('viewer', VIEWER_STATE));
    detectCapabilities().then((r) => setWebgl(r.caps.webgl2));
    setStatus(strings.loadingCatalogue);
    fetch(`${base}index.json`)
      .then((r) => (r.ok ? r.text() : Promise.reject(new Error(`index.json: HTTP ${r.status}`))))
      .then((text) => {
        setSamples(parseSampleIndex(text, 'data/samples/index.json'));
        setStatus('');
      })
      .catch((e: Error) => {
        setSamples([]);
        setStatus('');
        setError(fill(strings.catalogueFailed, { error: e.message }));
      });
    return watchVisibility(root.current!, setVisible);
  }, []);

  const scheme: SchemeId = schemeOverride || loaded?.guess?.scheme || 'brats2021';

  // Load the sample named in the state (or the first one).
  const sampleId = state && samples?.length ? (samples.find((c) => c.id === state.case) ?? samples[0]).id : '';
  useEffect(() => {
    if (!sampleId || !samples || (loaded?.source === 'own' && !state?.case)) return;
    if (loaded?.id === sampleId) return;
    const c = samples.find((x) => x.id === sampleId)!;
    const token = ++loadToken.current;
    const roles = [...CHANNELS, 'seg'] as const;
    let done = 0;
    setError('');
    setStatus(fill(strings.loadingCase, { id: c.id, done, total: roles.length }));
    Promise.all(
      roles.map(async (role) => {
        const name = c.files[role];
        const r = await fetch(base + name);
        if (!r.ok) throw new Error(`${name}: HTTP ${r.status}`);
        const img = await decodeVolume(await r.arrayBuffer(), name);
        done++;
        if (token === loadToken.current) setStatus(fill(strings.loadingCase, { id: c.id, done, total: roles.length }));
        return { role, name, img };
      }),
    )
      .then((decoded) => {
        if (token !== loadToken.current) return;
        const lc = assemble(c.id, 'sample', decoded, 'brats2021');
        lc.expectedMl = c.volumesMl;
        lc.attribution = c.attribution;
        show(lc);
      })
      .catch((e: Error) => token === loadToken.current && fail(e));
  }, [sampleId, state?.case]);

  const fail = (e: Error) => {
    setStatus('');
    setError(fill(strings.caseFailed, { error: e.message }));
  };

  const show = (lc: LoadedCase) => {
    sortedCache.current.clear();
    setSchemeOverride('');
    setLoaded(lc);
    const axis = sliceAxis(lc.affine, state?.view ?? 'axial');
    const start: Vec3 = [...lc.start];
    if (state && state.slice >= 0 && lc.source === 'sample' && state.case === lc.id) start[axis] = Math.min(lc.dims[axis] - 1, state.slice);
    setCross(start);
    setStatus(fill(strings.loadedCase, { id: lc.id }));
  };

  const loadOwn = async (source: FileSource, files: PickedFile[], caseId: string, naming: Naming) => {
    const token = ++loadToken.current;
    setError('');
    try {
      const chosen = files.filter((f): f is PickedFile & { role: NonNullable<PickedFile['role']> } => f.role !== null);
      for (const f of chosen) {
        if (f.size > MAX_FILE_BYTES) {
          throw new Error(fill(strings.tooLarge, { name: f.path, size: `${(f.size / 2 ** 30).toFixed(1)} GiB`, limit: '1 GiB' }));
        }
      }
      const decoded = [];
      for (const [n, f] of chosen.entries()) {
        setStatus(fill(strings.loadingCase, { id: caseId, done: n, total: chosen.length }));
        decoded.push({ role: f.role, name: f.path, img: await decodeVolume(await readAll(source, f.path, MAX_FILE_BYTES), f.path) });
      }
      if (token !== loadToken.current) return;
      update({ case: '' });
      show(assemble(caseId, 'own', decoded, naming));
    } catch (e) {
      if (token === loadToken.current) fail(e as Error);
    }
  };

  // Create the viewers while the lab is in view; dispose them when it leaves or the layout changes.
  // Canvases are made here, not by React: a canvas whose WebGL context was released cannot get a
  // new one, so every group starts on fresh canvases.
  const layout = state?.layout ?? 'single';
  const canDraw = webgl === true && visible && !evicted && loaded !== null;
  useEffect(() => {
    if (!canDraw) return;
    const count = layout === 'grid' ? 4 : 1;
    const hosts = cells.current.slice(0, count).filter((c): c is HTMLDivElement => c !== null);
    if (hosts.length !== count) return;
    const els = hosts.map((host) => host.insertBefore(document.createElement('canvas'), host.firstChild));
    let mine: ViewerGroup | null = null;
    let cancelled = false;
    const options = { isOrientationTextVisible: true, dragAndDropEnabled: false, show3Dcrosshair: true, logLevel: 'warn' as const };
    createViewerGroup(els, options, () => {
      setGroup(null);
      setEvicted(true);
    })
      .then((g) => {
        mine = g;
        if (cancelled) return g.dispose();
        for (const [i, nv] of g.viewers.entries()) {
          // The display effect below puts the chosen modality in front; start from any image.
          nv.addVolume(loaded.images[CHANNELS[i]] ?? Object.values(loaded.images)[0]!);
          if (loaded.label) nv.addVolume(loaded.label);
          nv.onLocationChange = (loc) => {
            const mm = (loc as { mm: number[] }).mm;
            setCross(nearestVoxel(worldToVox(loaded.affine, mm), loaded.dims));
          };
        }
        setGroup(g);
      })
      .catch((e: Error) => fail(e));
    return () => {
      cancelled = true;
      mine?.dispose();
      setGroup(null);
      for (const el of els) el.remove();
    };
  }, [canDraw, layout, loaded]);

  const colourEntries = useMemo(
    () => (state?.display === 'regions' ? regionColours(scheme, regions) : rawColours(scheme, tissues)),
    [state?.display, scheme, regions, tissues],
  );

  const windowFor = useCallback(
    (ch: Channel) => {
      const img = loaded?.images[ch];
      if (!img || !state) return null;
      let sorted = sortedCache.current.get(img);
      if (!sorted) {
        sorted = brainValues(img.img as ArrayLike<number>, img.hdr!.scl_slope, img.hdr!.scl_inter);
        sortedCache.current.set(img, sorted);
      }
      const preset = PRESETS[ch].find((p) => p.id === state.preset)!;
      return { preset, window: presetWindow(sorted, preset) };
    },
    [loaded, state?.preset],
  );

  // Push display settings into the viewers.
  useEffect(() => {
    if (!group || !loaded || !state || group.disposed) return;
    const maxValue = loaded.counts ? Math.max(0, ...loaded.counts.counts.keys()) : 0;
    if (loaded.label) {
      loaded.label.setColormapLabel(toLabelColormap(colourEntries, maxValue));
      loaded.label.opacity = state.opacity;
    }
    group.viewers.forEach((nv, i) => {
      const ch = state.layout === 'grid' ? CHANNELS[i] : state.modality;
      const img = loaded.images[ch];
      if (img && nv.volumes[0] !== img) {
        nv.volumes = loaded.label ? [img, loaded.label] : [img];
        nv.setVolume(img, 0);
      }
      const backCh = CHANNELS.find((c) => loaded.images[c] === nv.volumes[0]);
      const w = backCh ? windowFor(backCh) : null;
      if (w) {
        nv.volumes[0].cal_min = w.window.min;
        nv.volumes[0].cal_max = w.window.max;
      }
      nv.setSliceType(SLICE_TYPES[state.view]);
      nv.setCrosshairWidth(showCross ? 1 : 0);
      nv.setRadiologicalConvention(radiological);
      nv.updateGLVolume();
    });
  }, [group, loaded, state?.layout, state?.modality, state?.view, state?.opacity, state?.preset, colourEntries, showCross, radiological, windowFor]);

  // Move every viewer's crosshair to the current voxel (this links the grid for keyboard and slider too).
  useEffect(() => {
    if (!group || !loaded || !cross || group.disposed) return;
    const mm = voxToWorld(loaded.affine, cross);
    for (const nv of group.viewers) {
      nv.scene.crosshairPos = nv.mm2frac(mm);
      nv.drawScene();
    }
  }, [group, loaded, cross]);

  const axis = loaded && state ? sliceAxis(loaded.affine, state.view) : 2;

  // Keep the link in the address bar current.
  useEffect(() => {
    if (!state) return;
    const slice = cross && loaded?.source === 'sample' ? cross[axis] : -1;
    writeLabState('viewer', VIEWER_STATE, { ...state, case: loaded?.source === 'sample' ? loaded.id : state.case, slice });
  }, [state, cross, axis, loaded]);

  const volumes = useMemo(() => (loaded?.counts ? volumeTable(loaded.counts, scheme, loaded.spacing) : null), [loaded, scheme]);

  // Record what was inspected in the student's lab report.
  useEffect(() => {
    if (!loaded || !volumes || !state) return;
    const previous = loadProgress().labs.viewer?.data as ViewerReportData | undefined;
    const id = loaded.source === 'own' ? `own:${loaded.id}` : loaded.id;
    recordLabResult(
      noteInspection(previous, id, { source: loaded.source, scheme, modality: state.modality, view: state.view, display: state.display, preset: state.preset, volumes }),
    );
  }, [loaded, volumes, state?.modality, state?.view, state?.display, state?.preset]);

  // Test hook (see tests/e2e/viewer.spec.ts): NiiVue's own mapping from a voxel to the canvas.
  useEffect(() => {
    if (!group || !loaded) {
      delete window.__bratslabViewer;
      return;
    }
    window.__bratslabViewer = {
      caseId: loaded.id,
      setVoxel: (v) => setCross([...v]),
      pixelAt: (v, which = 0) => {
        const nv = group.viewers[which];
        if (!nv || group.disposed) return null;
        const pos = nv.frac2canvasPos(nv.mm2frac(voxToWorld(loaded.affine, v)));
        if (!pos) return null;
        nv.drawScene();
        // Read right after drawing, before the browser presents and clears the buffer.
        const gl = nv.gl as WebGL2RenderingContext;
        const x = Math.floor(pos[0]);
        const y = Math.floor(pos[1]);
        const px = new Uint8Array(4);
        gl.readPixels(x, gl.drawingBufferHeight - 1 - y, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
        return { x, y, rgba: [...px] };
      },
    };
    return () => {
      delete window.__bratslabViewer;
    };
  }, [group, loaded]);

  if (!state) {
    return (
      <div className="lab viewer-lab" ref={root} data-testid="viewer-lab">
        <p role="status">{strings.loadingCatalogue}</p>
      </div>
    );
  }

  const step = (n: number) => loaded && cross && setCross(stepSlice(cross, loaded.affine, state.view, n, loaded.dims));
  const onKey = (e: React.KeyboardEvent) => {
    const n = { ArrowUp: 1, ArrowDown: -1, PageUp: 5, PageDown: -5 }[e.key];
    if (n === undefined || !loaded) return;
    e.preventDefault();
    step(n);
  };

  const readout = loaded && cross
    ? formatReadout(
        cross,
        voxToWorld(loaded.affine, cross),
        Object.fromEntries(CHANNELS.filter((c) => loaded.images[c]).map((c) => [c, chanValue(loaded.images[c], cross, loaded.dims)])),
        loaded.label ? chanValue(loaded.label, cross, loaded.dims) : null,
        scheme,
      )
    : null;
  const current = windowFor(state.modality);
  const unknown = loaded?.counts ? undefinedValues(loaded.counts.counts.keys(), scheme) : [];
  const sliceText = cross ? `${cross[axis]}` : '';
  const viewName = strings.views[state.view];
  const grid = state.layout === 'grid';
  const toggle = <T,>(set: Set<T>, x: T) => {
    const next = new Set(set);
    if (next.has(x)) next.delete(x);
    else next.add(x);
    return next;
  };

  return (
    <div className="lab viewer-lab" ref={root} data-testid="viewer-lab">
      {webgl === false && (
        <div className="viewer-notice" role="alert">
          <p>{strings.noWebgl}</p>
          <Preflight labs={['viewer']} />
        </div>
      )}
      <div className="viewer-controls">
        {samples && samples.length > 0 && (
          <Field label={strings.sample}>
            <select value={loaded?.source === 'sample' ? loaded.id : ''} onChange={(e) => update({ case: e.target.value, slice: -1 })} data-testid="viewer-case">
              {loaded?.source === 'own' && <option value="">{fill(strings.ownCase, { id: loaded.id })}</option>}
              {samples.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.title}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Segmented
          legend={strings.layout}
          name="viewer-layout"
          value={state.layout}
          onChange={(l) => update({ layout: l })}
          options={[
            { value: 'single', label: strings.layoutSingle },
            { value: 'grid', label: strings.layoutGrid },
          ]}
        />
        <Segmented
          legend={strings.modality}
          name="viewer-modality"
          value={state.modality}
          onChange={(c) => update({ modality: c })}
          options={CHANNELS.map((c) => ({ value: c, label: strings.channels[c], disabled: grid || (!!loaded && !loaded.images[c]) }))}
        />
        <Segmented legend={strings.view} name="viewer-view" value={state.view} onChange={(v) => update({ view: v })} options={VIEWS.map((v) => ({ value: v, label: strings.views[v] }))} />
        <Segmented
          legend={strings.display}
          name="viewer-display"
          value={state.display}
          onChange={(d) => update({ display: d })}
          options={[
            { value: 'raw', label: strings.displayRaw },
            { value: 'regions', label: strings.displayRegions },
          ]}
        />
        {grid && <p className="lab-hint">{strings.modalityGridNote}</p>}
        <Field label={`${strings.opacity}: ${Math.round(state.opacity * 100)} %`}>
          <input type="range" min={0} max={1} step={0.05} value={state.opacity} onChange={(e) => update({ opacity: Number(e.target.value) })} />
        </Field>
        <Field label={strings.preset}>
          <select value={state.preset} onChange={(e) => update({ preset: e.target.value as ViewerState['preset'] })}>
            {PRESETS[state.modality].map((p) => (
              <option key={p.id} value={p.id}>
                {strings.presets[p.id]} ({p.low}–{p.high} %)
              </option>
            ))}
          </select>
        </Field>
        {loaded && cross && (
          <Field label={`${fill(strings.slice, { axis: AXIS_NAMES[axis] })}: ${fill(strings.sliceOf, { value: cross[axis], max: loaded.dims[axis] - 1 })}`}>
            <input
              type="range"
              min={0}
              max={loaded.dims[axis] - 1}
              value={cross[axis]}
              onChange={(e) => {
                const next: Vec3 = [...cross];
                next[axis] = Number(e.target.value);
                setCross(next);
              }}
            />
          </Field>
        )}
        <Field label={strings.crosshair} inline>
          <input type="checkbox" checked={showCross} onChange={(e) => setShowCross(e.target.checked)} data-testid="viewer-crosshair" />
        </Field>
        <Field label={strings.radiological} inline>
          <input type="checkbox" checked={radiological} onChange={(e) => setRadiological(e.target.checked)} />
        </Field>
      </div>

      <p role="status" className="viewer-status lab-hint" data-testid="viewer-status">
        {status}
      </p>
      {error && <ErrorBox testId="viewer-error">{error}</ErrorBox>}

      <div
        className={`viewer-canvases not-content${grid ? ' is-grid' : ''}`}
        tabIndex={0}
        role="group"
        aria-label={loaded ? fill(grid ? strings.gridLabel : strings.canvasLabel, { modality: strings.channels[state.modality], id: loaded.id, view: viewName, slice: sliceText }) : strings.title}
        onKeyDown={onKey}
        data-testid="viewer-canvases"
      >
        {Array.from({ length: grid ? 4 : 1 }, (_, i) => (
          <div
            className="viewer-cell"
            key={i}
            ref={(el) => {
              cells.current[i] = el;
            }}
          >
            {grid && <span className="viewer-cell-name">{strings.channels[CHANNELS[i]]}</span>}
          </div>
        ))}
      </div>
      {evicted && (
        <button type="button" onClick={() => setEvicted(false)}>
          {strings.reactivate}
        </button>
      )}
      <p className="viewer-hint">{strings.keyboardHint}</p>

      {readout && (
        <dl className="viewer-readout" data-testid="viewer-readout">
          <dt>{strings.readout}</dt>
          <dd>{readout.position}</dd>
          <dd>{readout.channels}</dd>
          <dd data-testid="viewer-readout-label">{readout.label}</dd>
        </dl>
      )}
      {current && (
        <p className="viewer-window">
          {fill(strings.windowText, {
            modality: strings.channels[state.modality],
            min: fmtNum(current.window.min),
            max: fmtNum(current.window.max),
            width: fmtNum(current.window.width),
            level: fmtNum(current.window.level),
            purpose: current.preset.purpose,
          })}
        </p>
      )}

      {loaded && !loaded.label && <p>{strings.noLabel}</p>}
      {loaded?.guess && (
        <div className="viewer-scheme">
          <Field label={strings.scheme}>
            <select value={scheme} onChange={(e) => setSchemeOverride(e.target.value as SchemeId)} data-testid="viewer-scheme">
              {(Object.keys(SCHEMES) as SchemeId[]).map((s) => (
                <option key={s} value={s}>
                  {SCHEMES[s].title}
                </option>
              ))}
            </select>
          </Field>
          <p>{fill(strings.schemeReason, { reason: loaded.guess.reason })}</p>
          {unknown.length > 0 && <p role="alert">{fill(strings.schemeUnknown, { values: unknown.join(', ') })}</p>}
          {loaded.counts && loaded.counts.nonInteger > 0 && <p role="alert">{fill(strings.nonInteger, { count: loaded.counts.nonInteger })}</p>}
        </div>
      )}

      {volumes && state.display === 'raw' && (
        <table className="viewer-table" data-testid="viewer-volumes-labels">
          <caption>{strings.legendRaw}</caption>
          <thead>
            <tr>
              <th scope="col">{strings.shown}</th>
              <th scope="col">{strings.value}</th>
              <th scope="col">{strings.tissue}</th>
              <th scope="col">{strings.voxels}</th>
              <th scope="col">{strings.volume}</th>
            </tr>
          </thead>
          <tbody>
            {volumes.labels.map((l) => (
              <tr key={l.value} data-tissue={l.tissue} data-ml={l.ml}>
                <td>
                  <input type="checkbox" aria-label={fill(strings.showItem, { name: l.tissue })} checked={tissues.has(l.tissue)} onChange={() => setTissues(toggle(tissues, l.tissue))} />
                  <span className="viewer-swatch" style={{ background: TISSUE_COLOURS[l.tissue as Exclude<TissueId, 'background'>] }} aria-hidden="true" />
                </td>
                <td>{l.value}</td>
                <th scope="row">
                  {l.tissue}: {l.name}
                </th>
                <td>{l.voxels}</td>
                <td>{formatMl(l.ml)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {volumes && (
        <table className="viewer-table" data-testid="viewer-volumes-regions">
          <caption>{strings.legendRegions}</caption>
          <thead>
            <tr>
              {state.display === 'regions' && <th scope="col">{strings.shown}</th>}
              <th scope="col">{strings.region}</th>
              <th scope="col">{strings.madeOf}</th>
              <th scope="col">{strings.volume}</th>
            </tr>
          </thead>
          <tbody>
            {volumes.regions.map((r) => {
              const formula = regionFormulas(scheme).find((f) => f.region === r.id)!;
              return (
                <tr key={r.id} data-region={r.id} data-ml={r.ml}>
                  {state.display === 'regions' && (
                    <td>
                      <input type="checkbox" aria-label={fill(strings.showItem, { name: r.id })} checked={regions.has(r.id)} onChange={() => setRegions(toggle(regions, r.id))} />
                      <span className="viewer-swatch" style={{ background: REGION_COLOURS[r.id] }} aria-hidden="true" />
                    </td>
                  )}
                  <th scope="row">
                    {r.id}: {r.name}
                  </th>
                  <td>{fill(strings.madeOfValues, { tissues: formula.tissues.join(' + '), values: r.values.join(', ') || '–' })}</td>
                  <td>{formatMl(r.ml)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {volumes && <p className="viewer-nesting">{strings.nestingNote}</p>}
      {loaded?.expectedMl && (
        <p>
          {fill(loaded.attribution ? strings.consensusVolumes : strings.expectedVolumes, {
            NCR: formatMl(loaded.expectedMl.NCR),
            ED: formatMl(loaded.expectedMl.ED),
            ET: formatMl(loaded.expectedMl.ET),
          })}
        </p>
      )}
      {loaded?.attribution && (
        <p className="viewer-credit" data-testid="viewer-credit">
          {loaded.attribution} <a href={`${import.meta.env.BASE_URL.replace(/\/?$/, '/')}references/#tcga-du-7294`}>{strings.dataPage}</a>
        </p>
      )}

      <OwnCase onShow={loadOwn} />
    </div>
  );
}
