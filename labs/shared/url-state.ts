/**
 * Assignment links: a lab's settings in the query string, namespaced by lab id
 * (`?leakage.seed=7&leakage.subjects=40`). Pure functions over URLSearchParams, so the same
 * code runs in tests; src/lib/url-state.ts binds them to the page's location.
 */
import type { LabId } from './registry';

export type FieldType = 'int' | 'number' | 'string' | 'bool' | readonly string[];

export type StateSchema = Record<string, { type: FieldType; default: unknown; min?: number; max?: number }>;

type ValueOf<F> = F extends 'int' | 'number' ? number : F extends 'bool' ? boolean : F extends readonly (infer U)[] ? U : string;

export type StateOf<S extends StateSchema> = { -readonly [K in keyof S]: ValueOf<S[K]['type']> };

function decodeField(raw: string, spec: StateSchema[string]): unknown {
  const { type } = spec;
  if (Array.isArray(type)) return (type as readonly string[]).includes(raw) ? raw : undefined;
  if (type === 'string') return raw;
  if (type === 'bool') return raw === '1' || raw === 'true' ? true : raw === '0' || raw === 'false' ? false : undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) return undefined;
  if (type === 'int' && !Number.isInteger(n)) return undefined;
  if (spec.min !== undefined && n < spec.min) return undefined;
  if (spec.max !== undefined && n > spec.max) return undefined;
  return n;
}

/** Reads a lab's state; invalid or missing values fall back to the schema's defaults. */
export function readState<S extends StateSchema>(lab: LabId, schema: S, params: URLSearchParams): StateOf<S> {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(schema)) {
    const raw = params.get(`${lab}.${key}`);
    const v = raw === null ? undefined : decodeField(raw, spec);
    out[key] = v === undefined ? spec.default : v;
  }
  return out as StateOf<S>;
}

/** Writes a lab's state into `params` (a copy); values equal to defaults are left out. */
export function writeState<S extends StateSchema>(
  lab: LabId,
  schema: S,
  state: Partial<StateOf<S>>,
  params: URLSearchParams,
): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [key, spec] of Object.entries(schema)) {
    const name = `${lab}.${key}`;
    const v = state[key as keyof S];
    if (v === undefined || v === spec.default) next.delete(name);
    else next.set(name, typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
  }
  return next;
}
