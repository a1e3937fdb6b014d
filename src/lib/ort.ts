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

/** Name of the WebGPU adapter the browser offers, or null with the reason. */
export async function probeWebGpu(): Promise<{ adapter: string | null; reason?: string }> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ info?: { vendor?: string; architecture?: string; description?: string } } | null> } }).gpu;
  if (!gpu) return { adapter: null, reason: 'this browser has no WebGPU (navigator.gpu is missing)' };
  try {
    const a = await gpu.requestAdapter();
    if (!a) return { adapter: null, reason: 'the browser offered no WebGPU adapter' };
    const info = a.info ?? {};
    return { adapter: [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unnamed adapter' };
  } catch (e) {
    return { adapter: null, reason: (e as Error).message };
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
