/**
 * The planned 3D patch drawn to scale over an axial FLAIR slice of the first sample case (the
 * slice with the most tumour), so "160 × 192 voxels" becomes a region of the brain. Text
 * alternative: the rectangle's size in mm and the field of view.
 */
import { useEffect, useRef, useState } from 'react';
import { readImage } from '../../../labs/nifti';
import { memorySource } from '../../../labs/shared/files';
import { parseSampleIndex } from '../../../labs/viewer/samples';
import { tumourSlice } from '../Inference/SliceView';
import strings from '../../i18n/en/planner.json';
import { fill } from '../../i18n/fill';

const dataBase = `${import.meta.env.BASE_URL.replace(/\/?$/, '/')}data/`;

interface Slice {
  caseId: string;
  nx: number;
  ny: number;
  /** mm per voxel in-plane. */
  mm: number;
  flair: Float32Array;
  /** Tumour centroid on the slice, voxels. */
  cx: number;
  cy: number;
}

async function readNifti(url: string): Promise<{ dims: number[]; zooms: number[]; data: Float32Array }> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  const bytes = new Uint8Array(await r.arrayBuffer());
  const { header, data } = await readImage(memorySource('sample', { f: bytes }), 'f');
  return { dims: header.dims.slice(0, 3), zooms: header.zooms.slice(0, 3), data: Float32Array.from(data as ArrayLike<number>) };
}

async function loadSlice(): Promise<Slice> {
  const r = await fetch(`${dataBase}samples/index.json`);
  if (!r.ok) throw new Error(`samples/index.json: HTTP ${r.status}`);
  const [sample] = parseSampleIndex(await r.text(), 'data/samples/index.json');
  const [flair, seg] = await Promise.all([readNifti(`${dataBase}samples/${sample.files.flair}`), readNifti(`${dataBase}samples/${sample.files.seg}`)]);
  const [nx, ny, nz] = flair.dims;
  const labels = Uint8Array.from(seg.data, (v) => (v > 0 ? 1 : 0));
  const z = tumourSlice(labels, [nz, ny, nx]);
  let sx = 0;
  let sy = 0;
  let n = 0;
  for (let y = 0; y < ny; y++)
    for (let x = 0; x < nx; x++)
      if (labels[z * nx * ny + y * nx + x]) {
        sx += x;
        sy += y;
        n++;
      }
  return {
    caseId: sample.id,
    nx,
    ny,
    mm: flair.zooms[0],
    flair: flair.data.subarray(z * nx * ny, (z + 1) * nx * ny),
    cx: n ? sx / n : nx / 2,
    cy: n ? sy / n : ny / 2,
  };
}

/** widthMm and heightMm: the patch's extent along x and y (nnU-Net's last two original axes). */
export default function PatchOverlay({ widthMm, heightMm }: { widthMm: number; heightMm: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [slice, setSlice] = useState<Slice | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    loadSlice().then(setSlice, (e: Error) => setError(e.message));
  }, []);
  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx || !slice) return;
    const { nx, ny, mm, flair } = slice;
    const scale = c.width / (nx * mm); // px per mm
    let max = 1;
    for (const v of flair) if (v > max) max = v;
    const img = ctx.createImageData(nx, ny);
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        // Anterior up, as the course's other slice views show it.
        const g = Math.min(255, (flair[(ny - 1 - y) * nx + x] / max) * 320);
        img.data.set([g, g, g, 255], (y * nx + x) * 4);
      }
    const tmp = document.createElement('canvas');
    tmp.width = nx;
    tmp.height = ny;
    tmp.getContext('2d')!.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(tmp, 0, 0, c.width, c.height);
    // Centred on the tumour, shifted to stay inside the field of view where the patch fits in it.
    const w = widthMm * scale;
    const hgt = heightMm * scale;
    const fit = (centre: number, size: number) => (size >= c.width ? c.width / 2 : Math.min(Math.max(centre, size / 2), c.width - size / 2));
    const cx = fit(slice.cx * mm * scale, w);
    const cy = fit((ny - 1 - slice.cy) * mm * scale, hgt);
    ctx.strokeStyle = '#ffb000';
    ctx.lineWidth = 2;
    ctx.setLineDash([6, 4]);
    ctx.strokeRect(cx - w / 2, cy - hgt / 2, w, hgt);
  }, [slice, widthMm, heightMm]);

  if (error) return <p role="status">{fill(strings.overlayFailed, { error })}</p>;
  const fov = slice ? slice.nx * slice.mm : 240;
  return (
    <figure className="planner-overlay">
      <canvas
        ref={canvas}
        width={240}
        height={240}
        role="img"
        data-testid="planner-overlay"
        aria-label={fill(strings.overlayAlt, { case: slice?.caseId ?? '', w: Math.round(widthMm), h: Math.round(heightMm), fov })}
      />
      <figcaption>{slice ? strings.overlayTitle : strings.overlayLoading}</figcaption>
    </figure>
  );
}
