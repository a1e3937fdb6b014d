/**
 * The sample catalogue (`public/data/samples/index.json`, written by the synthetic generator and,
 * for the real case, scripts/real-sample.py):
 * parsed and checked here so that a broken catalogue gives a message, not a blank viewer.
 */
import { CHANNELS, type Role } from './modalities';

export interface SampleCase {
  id: string;
  title: string;
  description: string;
  hasET: boolean;
  hasNCR: boolean;
  shape: [number, number, number];
  spacing: [number, number, number];
  /** Paths relative to the catalogue's folder. */
  files: Record<Role, string>;
  /** The label's volumes in ml: the generator's answer key, or a real case's consensus labels. */
  volumesMl: { NCR: number; ED: number; ET: number };
  /** Credit and licence of a real case (shown under the viewer); absent for generated cases. */
  attribution?: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isTriple = (v: unknown): v is [number, number, number] =>
  Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number' && Number.isFinite(x) && x > 0);

/** Parses the catalogue; throws an Error naming `source` and the first problem found. */
export function parseSampleIndex(text: string, source = 'index.json'): SampleCase[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${source}: not valid JSON (${(e as Error).message})`);
  }
  if (!isObj(raw) || raw.schemaVersion !== 1 || !Array.isArray(raw.cases)) {
    throw new Error(`${source}: expected { "schemaVersion": 1, "cases": [...] }`);
  }
  return raw.cases.map((c, i) => {
    const where = `${source}: case ${i + 1}`;
    if (!isObj(c) || typeof c.id !== 'string' || !c.id) throw new Error(`${where} has no "id"`);
    if (!isTriple(c.shape) || !isTriple(c.spacing)) throw new Error(`${where} (${c.id}): "shape" and "spacing" must be three positive numbers`);
    if (!isObj(c.files)) throw new Error(`${where} (${c.id}): "files" is missing`);
    const files = c.files;
    for (const role of [...CHANNELS, 'seg'] as const) {
      const f = files[role];
      // Paths stay inside the samples folder: no absolute paths, no "..", no other origin.
      if (typeof f !== 'string' || !f || f.startsWith('/') || f.split('/').includes('..') || /^[a-z]+:/i.test(f)) {
        throw new Error(`${where} (${c.id}): files.${role} must be a relative path inside the samples folder`);
      }
    }
    const vol = isObj(c.volumesMl) ? c.volumesMl : {};
    const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : 0);
    return {
      id: c.id,
      title: typeof c.title === 'string' ? c.title : c.id,
      description: typeof c.description === 'string' ? c.description : '',
      hasET: c.hasET === true,
      hasNCR: c.hasNCR === true,
      shape: c.shape,
      spacing: c.spacing,
      files: files as Record<Role, string>,
      volumesMl: { NCR: num(vol.NCR), ED: num(vol.ED), ET: num(vol.ET) },
      ...(typeof c.attribution === 'string' && c.attribution ? { attribution: c.attribution } : {}),
    };
  });
}
