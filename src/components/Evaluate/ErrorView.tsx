/**
 * One case's errors on an axial slice: true positives green, false positives red, false negatives
 * blue, the reference's other tissue grey. Opens on the slice with the most errors; the text line
 * under the canvas gives the same counts (canvas alternative).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { OUTCOME, errorMap, type LabelVolume } from '../../../labs/evaluate';
import { percentileWindow, sliceK, toRgba, type NiftiHeader, type TypedArray } from '../../../labs/nifti';
import { fill } from '../../i18n/fill';
import strings from '../../i18n/en/evaluate.json';

interface Props {
  id: string;
  region: { name: string; labels: number[] };
  pred: LabelVolume;
  gt: LabelVolume;
  /** An MRI channel of the case (the try-out's FLAIR) drawn under the colours. */
  background?: { header: NiftiHeader; data: TypedArray };
}

const COLOURS: Record<number, [number, number, number]> = {
  [OUTCOME.tp]: [60, 180, 75],
  [OUTCOME.fp]: [230, 25, 75],
  [OUTCOME.fn]: [0, 130, 200],
};

export default function ErrorView({ id, region, pred, gt, background }: Props) {
  const { map, errorsPerSlice } = useMemo(() => errorMap(pred, gt, region.labels), [pred, gt, region]);
  const [nx, ny, nz] = gt.dims;
  const worst = errorsPerSlice.reduce((best, v, z) => (v > errorsPerSlice[best] ? z : best), Math.floor(nz / 2));
  const [z, setZ] = useState(worst);
  useEffect(() => setZ(worst), [worst]);
  const canvas = useRef<HTMLCanvasElement>(null);
  const counts = { tp: 0, fp: 0, fn: 0 };
  const off = nx * ny * z;
  for (let i = 0; i < nx * ny; i++) {
    const o = map[off + i];
    if (o === OUTCOME.tp) counts.tp++;
    else if (o === OUTCOME.fp) counts.fp++;
    else if (o === OUTCOME.fn) counts.fn++;
  }
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(nx, ny);
    if (background) {
      const slice = sliceK(background.data, background.header, z);
      const [lo, hi] = percentileWindow(slice.values);
      img.data.set(toRgba(slice, lo, hi));
    }
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const i = off + x + nx * y;
        // Rows flipped so that the slice shows with y up, as the viewer lab does.
        const p = 4 * (x + nx * (ny - 1 - y));
        const c = COLOURS[map[i]];
        if (background) {
          if (!c) continue;
          for (let k = 0; k < 3; k++) img.data[p + k] = Math.round(0.35 * img.data[p + k] + 0.65 * c[k]);
          continue;
        }
        const fill = c ?? (gt.labels[i] ? [110, 110, 110] : [0, 0, 0]);
        img.data[p] = fill[0];
        img.data[p + 1] = fill[1];
        img.data[p + 2] = fill[2];
        img.data[p + 3] = 255;
      }
    ctx.putImageData(img, 0, 0);
  }, [map, off, nx, ny, gt, background, z]);
  const text = fill(strings.sliceCounts, { z, ...counts });
  return (
    <figure className="eval-view" data-testid="evaluate-view">
      <figcaption>
        <strong>{fill(strings.viewTitle, { id, region: region.name })}</strong>
        <br />
        {strings.viewLegend}
      </figcaption>
      <canvas ref={canvas} width={nx} height={ny} role="img" aria-label={text} />
      <label>
        {strings.slice} {z}
        <input type="range" min={0} max={nz - 1} value={z} onChange={(e) => setZ(Number(e.target.value))} />
      </label>
      <p role="status" data-testid="evaluate-slice-counts">
        {text}
      </p>
    </figure>
  );
}
