/**
 * The site's one NiiVue adapter. NiiVue (and its WebGL2 work) loads only on pages that show a
 * viewer, only when the viewer comes into view; at most one viewer group is active per page —
 * creating a group disposes the previous one — and a group links at most four instances (the
 * 2×2 modality grid). Browsers cap live WebGL contexts (Chromium: 16), so disposal also releases
 * each context instead of waiting for garbage collection.
 */
import type { Niivue, NVConfigOptions, NVImage } from '@niivue/niivue';

type NiivueModule = typeof import('@niivue/niivue');

let loading: Promise<NiivueModule> | null = null;

/** The NiiVue module, imported once per page on first use. */
export function loadNiivue(): Promise<NiivueModule> {
  loading ??= import('@niivue/niivue');
  return loading;
}

export const MAX_LINKED_VIEWERS = 4;

/**
 * Decodes one NIfTI volume (plain or gzipped) without any WebGL: the lab computes volumes and
 * windows from it before (or without) drawing. Errors name the file.
 */
export async function decodeVolume(bytes: ArrayBuffer | Uint8Array, name: string): Promise<NVImage> {
  const { NVImage } = await loadNiivue();
  const whole = bytes instanceof ArrayBuffer || (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength);
  const buffer = bytes instanceof ArrayBuffer ? bytes : whole ? (bytes.buffer as ArrayBuffer) : bytes.slice().buffer;
  try {
    const image = await NVImage.loadFromUrl({ url: buffer, name });
    if (!image.hdr || !image.img) throw new Error('no image data');
    return image;
  } catch (e) {
    throw new Error(`${name}: could not be read as NIfTI (${(e as Error).message})`);
  }
}

export interface ViewerGroup {
  readonly viewers: Niivue[];
  readonly disposed: boolean;
  dispose(): void;
}

let active: { group: ViewerGroup; onEvicted: () => void } | null = null;

function release(nv: Niivue): void {
  nv.cleanup();
  const gl = nv.gl as WebGL2RenderingContext | null;
  gl?.getExtension('WEBGL_lose_context')?.loseContext();
}

/**
 * Creates NiiVue instances on the given canvases (1 to 4), linked so that zoom, pan and 3D
 * rotation follow the instance being used. Any group already active on the page is disposed
 * first and its owner told through its `onEvicted`.
 */
export async function createViewerGroup(
  canvases: HTMLCanvasElement[],
  options: Partial<NVConfigOptions>,
  onEvicted: () => void,
): Promise<ViewerGroup> {
  if (canvases.length < 1 || canvases.length > MAX_LINKED_VIEWERS) {
    throw new Error(`a viewer group holds 1 to ${MAX_LINKED_VIEWERS} canvases, not ${canvases.length}`);
  }
  if (active) {
    const previous = active;
    active = null;
    previous.group.dispose();
    previous.onEvicted();
  }
  const { Niivue } = await loadNiivue();
  const viewers: Niivue[] = [];
  let disposed = false;
  const group: ViewerGroup = {
    viewers,
    get disposed() {
      return disposed;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const nv of viewers) release(nv);
      if (active?.group === group) active = null;
    },
  };
  active = { group, onEvicted };
  for (const canvas of canvases) {
    const nv = new Niivue(options);
    await nv.attachToCanvas(canvas, false);
    if (disposed) {
      release(nv);
      return group;
    }
    viewers.push(nv);
  }
  if (viewers.length > 1) {
    for (const nv of viewers) nv.broadcastTo(viewers.filter((o) => o !== nv), { '2d': true, '3d': true });
  }
  return group;
}

/**
 * Calls `onChange(true)` when the element comes within `margin` of the viewport and
 * `onChange(false)` when it leaves; returns the function that stops watching.
 */
export function watchVisibility(el: Element, onChange: (visible: boolean) => void, margin = '200px'): () => void {
  if (typeof IntersectionObserver === 'undefined') {
    onChange(true);
    return () => {};
  }
  const io = new IntersectionObserver((entries) => onChange(entries.some((e) => e.isIntersecting)), { rootMargin: margin });
  io.observe(el);
  return () => io.disconnect();
}
