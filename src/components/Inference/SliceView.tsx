/** Reference and prediction side by side on one axial slice (2D canvas), with a text alternative. */
import { useEffect, useMemo, useRef, useState } from 'react';
import { SCHEMES, TISSUE_COLOURS, tissueOf, type SchemeId } from '../../../labs/shared/labels';
import type { MultiVolume } from '../../../labs/inference/volume';
import { applyAxisMap, axisMap, permuted } from '../../../labs/inference/orient';
import strings from '../../i18n/en/inference.json';
import { fill } from '../../i18n/fill';
import { Field } from '../ui/lab-ui';

interface Props {
  input: MultiVolume;
  labels: Uint8Array;
  reference?: Uint8Array;
  referenceScheme: SchemeId;
}

function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function draw(canvas: HTMLCanvasElement, flair: Float32Array, labels: Uint8Array, scheme: SchemeId, z: number, ny: number, nx: number, max: number) {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const img = ctx.createImageData(nx, ny);
  const off = z * ny * nx;
  for (let y = 0; y < ny; y++)
    for (let x = 0; x < nx; x++) {
      const k = off + y * nx + x;
      const g = Math.max(0, Math.min(255, (flair[k] / max) * 255));
      const o = (y * nx + x) * 4;
      const t = labels[k] ? tissueOf(scheme, labels[k]) : undefined;
      if (t && t !== 'background') {
        const [r, gg, b] = rgb(TISSUE_COLOURS[t]);
        img.data.set([0.4 * g + 0.6 * r, 0.4 * g + 0.6 * gg, 0.4 * g + 0.6 * b, 255], o);
      } else img.data.set([g, g, g, 255], o);
    }
  ctx.putImageData(img, 0, 0);
}

/** Voxels per label name on one axial slice of `n` voxels (the canvases' text alternative). */
export function counts(labels: Uint8Array, scheme: SchemeId, z: number, n: number): string {
  const c = new Map<number, number>();
  for (let k = z * n; k < (z + 1) * n; k++) if (labels[k]) c.set(labels[k], (c.get(labels[k]) ?? 0) + 1);
  if (c.size === 0) return 'none';
  return [...c.entries()].map(([v, m]) => `${SCHEMES[scheme].labels.find((l) => l.value === v)?.name ?? v} ${m}`).join(', ');
}

/** The axial slice with the most labelled voxels: where both views open. */
export function tumourSlice(labels: Uint8Array, [nz, ny, nx]: readonly number[]): number {
  let bz = Math.floor(nz / 2);
  let bn = -1;
  for (let z = 0; z < nz; z++) {
    let m = 0;
    for (let k = z * ny * nx; k < (z + 1) * ny * nx; k++) if (labels[k]) m++;
    if (m > bn) [bz, bn] = [z, m];
  }
  return bz;
}

/**
 * The orientation the 2D view draws in: x towards the patient's right (their left on the screen's
 * left, as NiiVue and the viewer lab show it), y posterior (anterior at the top), z superior.
 */
const SCREEN = 'RPS';

/** Volumes turned from the case's voxel orientation (RAS when unknown) to the screen's. */
function onScreen(input: MultiVolume, labels: Uint8Array, reference?: Uint8Array) {
  const m = axisMap(input.orientation ?? 'RAS', SCREEN);
  return {
    shape: permuted(input.shape, m),
    flair: applyAxisMap(input.channels[3], input.shape, m),
    labels: applyAxisMap(labels, input.shape, m),
    reference: reference && applyAxisMap(reference, input.shape, m),
  };
}

export default function SliceView(props: Props) {
  const { referenceScheme } = props;
  const { shape, flair, labels, reference } = useMemo(() => onScreen(props.input, props.labels, props.reference), [props.input, props.labels, props.reference]);
  const [nz, ny, nx] = shape;
  const best = useMemo(() => tumourSlice(labels, shape), [labels, shape]);
  const [z, setZ] = useState(best);
  useEffect(() => setZ(best), [best]);
  const max = useMemo(() => {
    let m = 0;
    for (let i = 0; i < flair.length; i++) if (flair[i] > m) m = flair[i];
    return m || 1;
  }, [flair]);
  const refCanvas = useRef<HTMLCanvasElement>(null);
  const predCanvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (refCanvas.current && reference) draw(refCanvas.current, flair, reference, referenceScheme, z, ny, nx, max);
    if (predCanvas.current) draw(predCanvas.current, flair, labels, 'brats2021', z, ny, nx, max);
  }, [z, flair, labels, reference, referenceScheme, ny, nx, max]);
  const n = ny * nx;
  return (
    <div className="inference-slices">
      <Field
        label={
          <>
            {strings.slice}: <output>{z + 1}</output> / {nz}
          </>
        }
      >
        <input type="range" min={0} max={nz - 1} value={z} onChange={(e) => setZ(Number(e.target.value))} />
      </Field>
      <div className="inference-canvases">
        {reference && (
          <figure>
            <canvas ref={refCanvas} width={nx} height={ny} role="img" aria-label={fill(strings.sliceAlt, { z: z + 1, nz, which: strings.reference.toLowerCase(), counts: counts(reference, referenceScheme, z, n) })} />
            <figcaption>{strings.reference}</figcaption>
          </figure>
        )}
        <figure>
          <canvas ref={predCanvas} width={nx} height={ny} role="img" aria-label={fill(strings.sliceAlt, { z: z + 1, nz, which: strings.prediction.toLowerCase(), counts: counts(labels, 'brats2021', z, n) })} />
          <figcaption>{strings.prediction}</figcaption>
        </figure>
      </div>
    </div>
  );
}
