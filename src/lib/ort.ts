/**
 * ONNX Runtime Web for the inference lab: loaded on first use, only on the page that runs a model.
 * One build serves both backends: `onnxruntime-web/webgpu` bundles its JavaScript glue and fetches
 * a single WebAssembly file (the asyncify variant, which carries the WebGPU and the CPU kernels),
 * served from this site through Vite's `?url` import, never from a CDN.
 */
import type * as Ort from 'onnxruntime-web';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';

export type OrtModule = typeof Ort;
export type Backend = 'webgpu' | 'wasm';

let loading: Promise<OrtModule> | null = null;

/** Threads the wasm backend may use: more than one needs cross-origin isolation (SharedArrayBuffer). */
export function wasmThreads(): { threads: number; isolated: boolean } {
  const isolated = typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated;
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 1 : 1;
  return { isolated, threads: isolated ? Math.max(1, Math.min(4, cores)) : 1 };
}

export function loadOrt(threads?: number): Promise<OrtModule> {
  loading ??= import('onnxruntime-web/webgpu').then((m) => {
    const ort = ((m as { default?: OrtModule }).default ?? m) as OrtModule;
    ort.env.wasm.wasmPaths = { wasm: wasmUrl };
    ort.env.wasm.numThreads = threads ?? wasmThreads().threads;
    ort.env.logLevel = 'error';
    return ort;
  });
  return loading;
}

/** How long the adapter request may take before the lab gives up on WebGPU (some browsers never answer). */
export const ADAPTER_TIMEOUT_MS = 3000;

/** Adapter names that mean a CPU renderer behind the WebGPU API (SwiftShader, Mesa's llvmpipe/lavapipe, Windows WARP). */
const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|basic render|warp|software/i;

interface AdapterLike {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean };
}

/** Whether an adapter is a software (CPU) one: the browser says so, or its name does. */
export function isSoftwareAdapter(a: AdapterLike): boolean {
  const info = a.info ?? {};
  return a.isFallbackAdapter === true || info.isFallbackAdapter === true || SOFTWARE.test([info.vendor, info.architecture, info.description].join(' '));
}

/**
 * The WebGPU adapter the browser offers: its name and whether it is a software renderer (on which
 * WebAssembly is far faster: 60 s against 1.9 s measured on SwiftShader), or null with the reason.
 */
export async function probeWebGpu(): Promise<{ adapter: string | null; software: boolean; reason?: string }> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<AdapterLike | null> } }).gpu;
  if (!gpu) return { adapter: null, software: false, reason: 'this browser has no WebGPU (navigator.gpu is missing)' };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ADAPTER_TIMEOUT_MS)));
  try {
    const a = await Promise.race([gpu.requestAdapter(), timeout]);
    if (a === 'timeout') return { adapter: null, software: false, reason: `the browser did not offer a WebGPU adapter within ${ADAPTER_TIMEOUT_MS / 1000} s` };
    if (!a) return { adapter: null, software: false, reason: 'the browser offered no WebGPU adapter' };
    const info = a.info ?? {};
    return { adapter: [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unnamed adapter', software: isSoftwareAdapter(a) };
  } catch (e) {
    return { adapter: null, software: false, reason: (e as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** A session on one backend; no silent fallback, so the lab reports the backend that really ran. */
export async function createSession(model: Uint8Array, backend: Backend): Promise<{ ort: OrtModule; session: Ort.InferenceSession }> {
  const ort = await loadOrt();
  const session = await ort.InferenceSession.create(model, { executionProviders: [backend],
    graphOptimizationLevel: 'all',
    // 3 = errors only: ORT reports shape ops it keeps on the CPU as a warning on the console.
    logSeverityLevel: 3,
  });
  return { ort, session };
}
