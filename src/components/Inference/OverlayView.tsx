/**
 * The run's prediction in NiiVue (through src/lib/niivue.ts): one input channel with the predicted
 * labels overlaid, and a switch to the reference labels on the same slice. The volumes are the
 * ones the lab already holds, written as in-memory NIfTI (labs/nifti) for NiiVue to read. Without
 * WebGL2 the lab falls back to the 2D SliceView.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { NVImage } from '@niivue/niivue';
import { SCHEMES, type SchemeId, type TissueId } from '../../../labs/shared/labels';
import { encodeNifti1 } from '../../../labs/nifti';
import { rawColours, toLabelColormap } from '../../../labs/viewer/labels';
import type { MultiVolume, Vec3 } from '../../../labs/inference/volume';
import { CHANNEL_KEYS } from '../../../labs/inference/load';
import { affineFor, axisMap } from '../../../labs/inference/orient';
import { createViewerGroup, decodeVolume, watchVisibility, type ViewerGroup } from '../../lib/niivue';
import strings from '../../i18n/en/inference.json';
import { fill } from '../../i18n/fill';
import { ErrorBox, Field, Segmented, Toolbar } from '../ui/lab-ui';
import { counts } from './SliceView';

interface Props {
  input: MultiVolume;
  labels: Uint8Array;
  reference?: Uint8Array;
  referenceScheme: SchemeId;
  /** Axial slice (0-based) to open on. */
  startSlice: number;
}

type Shown = 'prediction' | 'reference';

declare global {
  interface Window {
    /** Test hook (tests/e2e/inference.spec.ts): a voxel (x, y, z) → the framebuffer colour NiiVue drew there. */
    __bratslabInference?: {
      shown: Shown;
      /** A voxel where exactly one of prediction and reference has a label, and which of them does. */
      oneSided(): { voxel: Vec3; labelled: Shown } | null;
      pixelAt(v: Vec3): number[] | null;
      /** The whole drawn frame, RGBA rows from the top (orientation tests read where labels appear on screen). */
      frame(): { width: number; height: number; rgba: number[] } | null;
    };
  }
}

const ALL_TISSUES = new Set<TissueId>(['NCR', 'ED', 'ET', 'RC']);

/**
 * In-memory NIfTI of one volume with the case's voxel orientation (a file of unknown orientation
 * is taken as RAS, NIfTI's own default), so NiiVue shows it as the file lies in the head.
 */
function toImage(data: Float32Array | Uint8Array, input: MultiVolume, name: string): Promise<NVImage> {
  const { shape, spacing } = input;
  const bytes = encodeNifti1({
    dims: [shape[2], shape[1], shape[0]],
    datatype: data instanceof Uint8Array ? 'uint8' : 'float32',
    data,
    pixdim: [spacing[2], spacing[1], spacing[0]],
    affine: affineFor(input.orientation ?? 'RAS', spacing),
  });
  return decodeVolume(bytes, name);
}

function labelImage(img: NVImage, scheme: SchemeId): NVImage {
  const top = Math.max(...SCHEMES[scheme].labels.map((l) => l.value));
  img.setColormapLabel(toLabelColormap(rawColours(scheme, ALL_TISSUES), top));
  img.opacity = 0.6;
  return img;
}

export default function OverlayView({ input, labels, reference, referenceScheme, startSlice }: Props) {
  const [nz, ny, nx] = input.shape;
  const [channel, setChannel] = useState(3);
  const [shown, setShown] = useState<Shown>('prediction');
  const [z, setZ] = useState(startSlice);
  const [visible, setVisible] = useState(false);
  const [evicted, setEvicted] = useState(false);
  const [images, setImages] = useState<{ back: NVImage; prediction: NVImage; reference: NVImage | null } | null>(null);
  const [group, setGroup] = useState<ViewerGroup | null>(null);
  const [error, setError] = useState('');
  const root = useRef<HTMLDivElement>(null);
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => setZ(startSlice), [startSlice]);
  useEffect(() => watchVisibility(root.current!, setVisible), []);

  // Label volumes change only with the run; the background changes with the chosen channel.
  const overlays = useMemo(
    () =>
      Promise.all([
        toImage(labels, input, 'prediction.nii').then((img) => labelImage(img, 'brats2021')),
        reference ? toImage(reference, input, 'reference.nii').then((img) => labelImage(img, referenceScheme)) : null,
      ]),
    [input, labels, reference, referenceScheme],
  );
  useEffect(() => {
    let stale = false;
    Promise.all([toImage(input.channels[channel], input, `${CHANNEL_KEYS[channel]}.nii`), overlays])
      .then(([back, [prediction, ref]]) => {
        if (!stale) setImages({ back, prediction, reference: ref });
      })
      .catch((e: Error) => setError(e.message));
    return () => {
      stale = true;
    };
  }, [input, channel, overlays]);

  // The viewer lives while the view is on screen; a fresh canvas each time (a released WebGL context cannot be reused).
  const canDraw = visible && !evicted && images !== null;
  useEffect(() => {
    if (!canDraw || !host.current) return;
    const canvas = host.current.appendChild(document.createElement('canvas'));
    let mine: ViewerGroup | null = null;
    let cancelled = false;
    createViewerGroup([canvas], { dragAndDropEnabled: false, isOrientationTextVisible: true, logLevel: 'warn' }, () => {
      setGroup(null);
      setEvicted(true);
    })
      .then((g) => {
        mine = g;
        if (cancelled) return g.dispose();
        setGroup(g);
      })
      .catch((e: Error) => setError(e.message));
    return () => {
      cancelled = true;
      mine?.dispose();
      setGroup(null);
      canvas.remove();
    };
  }, [canDraw]);

  const which = shown === 'reference' && images?.reference ? images.reference : images?.prediction;
  useEffect(() => {
    if (!group || group.disposed || !images || !which) return;
    const nv = group.viewers[0];
    if (nv.volumes[0] !== images.back || nv.volumes[1] !== which) {
      nv.volumes = [images.back, which];
      nv.setVolume(images.back, 0);
    }
    nv.setSliceType(nv.sliceTypeAxial);
    // No crosshair: it would hide the very voxels being compared.
    nv.setCrosshairWidth(0);
    nv.updateGLVolume();
  }, [group, images, which]);

  useEffect(() => {
    if (!group || group.disposed || !images) return;
    const nv = group.viewers[0];
    const [fx, fy] = nv.scene.crosshairPos;
    nv.scene.crosshairPos = [fx, fy, (z + 0.5) / nz];
    nv.drawScene();
  }, [group, images, which, z, nz]);

  useEffect(() => {
    if (!group || !images) {
      delete window.__bratslabInference;
      return;
    }
    window.__bratslabInference = {
      shown,
      oneSided: () => {
        if (!reference) return null;
        const n = nx * ny;
        for (let k = 0; k < labels.length; k++) {
          if (!labels[k] === !reference[k]) continue;
          const x = k % nx;
          const y = Math.floor(k / nx) % ny;
          if (x === 0 || x === nx - 1 || y === 0 || y === ny - 1) continue;
          // Away from label edges in-plane, so the pixel read does not fall on a neighbour's colour.
          const same = [-1, 1, -nx, nx].every((d) => !labels[k + d] === !labels[k] && !reference[k + d] === !reference[k]);
          if (same) return { voxel: [x, y, Math.floor(k / n)], labelled: labels[k] ? 'prediction' : 'reference' };
        }
        return null;
      },
      pixelAt: (v) => {
        const nv = group.viewers[0];
        if (group.disposed) return null;
        setZ(v[2]);
        nv.scene.crosshairPos = [nv.scene.crosshairPos[0], nv.scene.crosshairPos[1], (v[2] + 0.5) / nz];
        // NiiVue indexes voxels after turning the volume to RAS; v is in the file's own order.
        const m = axisMap(input.orientation ?? 'RAS', 'RAS');
        const dims = [nx, ny, nz];
        const ras = m.from.map((a, t) => (m.flip[t] ? dims[a] - 1 - v[a] : v[a]));
        const pos = nv.frac2canvasPos(nv.vox2frac(ras));
        if (!pos) return null;
        nv.drawScene();
        // Read right after drawing, before the browser presents and clears the buffer.
        const gl = nv.gl as WebGL2RenderingContext;
        const px = new Uint8Array(4);
        gl.readPixels(Math.floor(pos[0]), gl.drawingBufferHeight - 1 - Math.floor(pos[1]), 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
        return [...px];
      },
      frame: () => {
        const nv = group.viewers[0];
        if (group.disposed) return null;
        nv.drawScene();
        const gl = nv.gl as WebGL2RenderingContext;
        const [width, height] = [gl.drawingBufferWidth, gl.drawingBufferHeight];
        const px = new Uint8Array(width * height * 4);
        gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, px);
        // WebGL rows start at the bottom; flip to screen order.
        const rgba: number[] = new Array(px.length);
        for (let y = 0; y < height; y++) for (let i = 0; i < width * 4; i++) rgba[y * width * 4 + i] = px[(height - 1 - y) * width * 4 + i];
        return { width, height, rgba };
      },
    };
    return () => {
      delete window.__bratslabInference;
    };
  }, [group, images, shown, labels, reference, nx, ny, nz, input.orientation]);

  const shownLabels = shown === 'reference' && reference ? reference : labels;
  const shownScheme = shown === 'reference' && reference ? referenceScheme : 'brats2021';
  return (
    <div className="inference-overlay" ref={root} data-testid="inference-niivue">
      <Toolbar className="inference-overlay-controls">
        <Field label={strings.channel}>
          <select value={channel} onChange={(e) => setChannel(Number(e.target.value))}>
            {CHANNEL_KEYS.map((k, i) => (
              <option key={k} value={i}>
                {k.toUpperCase()}
              </option>
            ))}
          </select>
        </Field>
        {reference && (
          <Segmented
            legend={strings.overlay}
            name="inference-overlay"
            value={shown}
            onChange={setShown}
            options={(['prediction', 'reference'] as const).map((s) => ({ value: s, label: strings[s] }))}
          />
        )}
        <Field
          label={
            <>
              {strings.slice}: <output>{z + 1}</output> / {nz}
            </>
          }
        >
          <input type="range" min={0} max={nz - 1} value={z} onChange={(e) => setZ(Number(e.target.value))} />
        </Field>
      </Toolbar>
      <div
        className="inference-overlay-canvas"
        ref={host}
        role="img"
        aria-label={fill(strings.overlayAlt, {
          z: z + 1,
          nz,
          channel: CHANNEL_KEYS[channel].toUpperCase(),
          which: strings[shown === 'reference' && reference ? 'reference' : 'prediction'].toLowerCase(),
          counts: counts(shownLabels, shownScheme, z, nx * ny),
        })}
      />
      {evicted && (
        <button type="button" onClick={() => setEvicted(false)}>
          {strings.reactivate}
        </button>
      )}
      {error && <ErrorBox>{fill(strings.failed, { error })}</ErrorBox>}
    </div>
  );
}
