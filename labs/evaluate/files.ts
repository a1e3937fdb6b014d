/**
 * Files in, results out: pairs predictions with references by file name (nnU-Net's rule: the
 * same name in both folders), reads a pair through FileSources and evaluates it.
 */
import type { FileEntry, FileSource } from '../shared/files';
import { NiftiError, readImage, type Codec } from '../nifti/index';
import { evaluateCase, type CaseOptions, type CaseResult } from './case';
import { EvaluateError } from './errors';
import type { RegionSet } from './regions';
import { labelVolume, type LabelVolume } from './volume';

/** File endings a segmentation may have. */
export const SEG_ENDING = /\.nii(\.gz)?$/i;

export interface Pairing {
  pairs: { id: string; prediction: string; reference: string }[];
  /** Predictions with no reference of the same name, and the reverse. */
  predictionOnly: string[];
  referenceOnly: string[];
}

/** Files directly in a listing (no sub-folders, no hidden files) that look like segmentations. */
export function segmentationFiles(entries: readonly FileEntry[], folder = ''): string[] {
  const prefix = folder ? folder.replace(/\/$/, '') + '/' : '';
  return entries
    .filter((e) => e.kind === 'file' && e.path.startsWith(prefix) && !e.path.slice(prefix.length).includes('/'))
    .map((e) => e.path)
    .filter((p) => SEG_ENDING.test(p) && !p.slice(prefix.length).startsWith('.'))
    .sort();
}

const base = (p: string) => p.slice(p.lastIndexOf('/') + 1);
const caseId = (p: string) => base(p).replace(SEG_ENDING, '');

/** Pairs two lists of paths by base name, sorted by name as nnU-Net does. */
export function pairFiles(predictions: readonly string[], references: readonly string[]): Pairing {
  const refs = new Map(references.map((r) => [base(r), r]));
  const preds = new Set(predictions.map(base));
  const pairs = [];
  const predictionOnly = [];
  for (const p of [...predictions].sort((a, b) => (base(a) < base(b) ? -1 : 1))) {
    const r = refs.get(base(p));
    if (r) pairs.push({ id: caseId(p), prediction: p, reference: r });
    else predictionOnly.push(p);
  }
  return { pairs, predictionOnly, referenceOnly: references.filter((r) => !preds.has(base(r))) };
}

export interface ReadPairOptions extends CaseOptions {
  codec?: Codec;
  /** Names shown in results and errors (default: the paths in the sources). */
  predictionName?: string;
  referenceName?: string;
}

/** Reads one pair and evaluates it; unreadable files become EvaluateError 'read' naming the file. */
export async function evaluateFiles(
  id: string,
  predSource: FileSource,
  predPath: string,
  refSource: FileSource,
  refPath: string,
  set: RegionSet,
  opts: ReadPairOptions,
): Promise<CaseResult> {
  const predName = opts.predictionName ?? predPath;
  const refName = opts.referenceName ?? refPath;
  const load = (source: FileSource, path: string, name: string) => readLabelVolume(source, path, set, { codec: opts.codec, name });
  const ref = await load(refSource, refPath, refName);
  const pred = await load(predSource, predPath, predName);
  return evaluateCase(id, pred, ref, set, opts);
}

/** Reads one segmentation as a LabelVolume; unreadable files become EvaluateError 'read' naming the file. */
export async function readLabelVolume(source: FileSource, path: string, set: RegionSet, opts: { codec?: Codec; name?: string } = {}): Promise<LabelVolume> {
  const name = opts.name ?? path;
  try {
    const { header, data } = await readImage(source, path, { codec: opts.codec });
    return labelVolume(header, data, name, set.allowed);
  } catch (e) {
    if (e instanceof EvaluateError) throw e;
    if (e instanceof NiftiError) throw new EvaluateError('read', `${name}: ${e.problem}`, [name]);
    throw e;
  }
}
