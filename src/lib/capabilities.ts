/** Capability pre-flight: what this browser offers the labs. */
import type { Capabilities } from '../../labs/shared/registry';

export interface CapabilityReport {
  caps: Capabilities;
  webgpu: { adapter: string | null; limits: Record<string, number> | null; error?: string };
  webgl2Renderer: string | null;
  deviceMemoryGiB: number | null;
  hardwareConcurrency: number | null;
  crossOriginIsolated: boolean;
  userAgent: string;
}

interface GpuAdapterLike {
  info?: { vendor?: string; architecture?: string; description?: string };
  limits: Record<string, number>;
}

const LIMITS = ['maxBufferSize', 'maxStorageBufferBindingSize', 'maxComputeWorkgroupStorageSize', 'maxComputeInvocationsPerWorkgroup'];

async function probeWebGpu(): Promise<CapabilityReport['webgpu']> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } }).gpu;
  if (!gpu) return { adapter: null, limits: null, error: 'navigator.gpu is not available' };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { adapter: null, limits: null, error: 'no WebGPU adapter was offered' };
    const info = adapter.info ?? {};
    const name = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unnamed adapter';
    const limits: Record<string, number> = {};
    for (const k of LIMITS) limits[k] = adapter.limits[k];
    return { adapter: name, limits };
  } catch (e) {
    return { adapter: null, limits: null, error: (e as Error).message };
  }
}

function probeWebGl2(): string | null {
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return null;
    const dbg = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = dbg ? gl.getParameter(dbg.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return String(renderer);
  } catch {
    return null;
  }
}

export async function detectCapabilities(): Promise<CapabilityReport> {
  const webgl2Renderer = probeWebGl2();
  const webgpu = await probeWebGpu();
  const caps: Capabilities = {
    webgl2: webgl2Renderer !== null,
    webgpu: webgpu.adapter !== null,
    workers: typeof Worker !== 'undefined',
    wasm: typeof WebAssembly === 'object' && typeof WebAssembly.instantiate === 'function',
    fsAccess: 'showDirectoryPicker' in window,
  };
  const nav = navigator as Navigator & { deviceMemory?: number };
  return {
    caps,
    webgpu,
    webgl2Renderer,
    deviceMemoryGiB: nav.deviceMemory ?? null,
    hardwareConcurrency: nav.hardwareConcurrency ?? null,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    userAgent: nav.userAgent,
  };
}
