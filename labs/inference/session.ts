/**
 * The bridge between an ONNX Runtime session and the pipeline's PatchModel. Only the few members
 * used are typed here, so the core does not depend on onnxruntime-web: the browser passes the
 * web package, Node tests pass the same package's Node build.
 */
import type { RegionId } from '../shared/labels';
import type { ModelSpec } from './pipeline';
import { parseCodes } from './orient';
import type { PatchModel } from './sliding';
import type { Vec3 } from './volume';

export interface TensorLike {
  data: unknown;
  dims: readonly number[];
}

export interface OrtLike {
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => unknown;
}

export interface SessionLike {
  inputNames: readonly string[];
  outputNames: readonly string[];
  run(feeds: Record<string, unknown>): Promise<Record<string, TensorLike>>;
}

/** The model card's machine-readable part (public/data/model/model.json, written by training/export.py). */
export interface ModelFile extends ModelSpec {
  file: string;
  input: string;
  output: string;
  channels: string[];
  patchDivisor: number;
  parameters: number;
  bytes: number;
}

function vec3(v: unknown, what: string): Vec3 {
  if (!Array.isArray(v) || v.length !== 3 || !v.every((x) => typeof x === 'number' && x > 0)) throw new Error(`model.json: ${what} must be three positive numbers`);
  return v as Vec3;
}

function orientation(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  try {
    return parseCodes(String(v));
  } catch (e) {
    throw new Error(`model.json: ${(e as Error).message}`);
  }
}

/** Validates model.json with messages that name the field. */
export function parseModelFile(json: unknown): ModelFile {
  const o = json as Record<string, unknown>;
  if (!o || typeof o !== 'object') throw new Error('model.json: not a JSON object');
  for (const k of ['file', 'input', 'output']) if (typeof o[k] !== 'string') throw new Error(`model.json: "${k}" must be a string`);
  const net = o.net as ModelSpec['net'];
  if (!net || !Array.isArray(net.features) || typeof net.inChannels !== 'number' || typeof net.outChannels !== 'number') throw new Error('model.json: "net" needs inChannels, outChannels and features');
  return {
    ...(o as unknown as ModelFile),
    spacing: vec3(o.spacing, 'spacing'),
    patch: vec3(o.patch, 'patch'),
    regions: (o.regions as RegionId[]) ?? ['WT', 'TC', 'ET'],
    orientation: orientation(o.orientation),
  };
}

/**
 * Checks a session against the spec: one input and one output with the expected names. Shapes are
 * checked on the first patch (sessionModel), where a wrong channel count surfaces as the
 * runtime's own error, wrapped with what was expected.
 */
export function checkSession(session: SessionLike, spec: Pick<ModelFile, 'input' | 'output'>): void {
  if (!session.inputNames.includes(spec.input)) throw new Error(`the ONNX model's inputs are [${session.inputNames.join(', ')}]; expected one named "${spec.input}"`);
  if (!session.outputNames.includes(spec.output)) throw new Error(`the ONNX model's outputs are [${session.outputNames.join(', ')}]; expected one named "${spec.output}"`);
}

/** A PatchModel that runs one (1, C, z, y, x) patch through the session. */
export function sessionModel(ort: OrtLike, session: SessionLike, spec: Pick<ModelFile, 'input' | 'output' | 'net'>): PatchModel {
  return async (input, patch) => {
    const dims = [1, spec.net.inChannels, ...patch];
    let out: Record<string, TensorLike>;
    try {
      out = await session.run({ [spec.input]: new ort.Tensor('float32', input, dims) });
    } catch (e) {
      throw new Error(`the ONNX model failed on a ${dims.join('×')} input (expected layout 1×${spec.net.inChannels}×z×y×x): ${(e as Error).message ?? e}`);
    }
    const t = out[spec.output];
    const want = [1, spec.net.outChannels, ...patch];
    if (!t || t.dims.length !== 5 || t.dims.some((d, i) => d !== want[i])) {
      throw new Error(`the ONNX model returned shape ${t ? t.dims.join('×') : 'nothing'}; expected ${want.join('×')}`);
    }
    return t.data as Float32Array;
  };
}
