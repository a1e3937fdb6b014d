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

const base = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/** File endings a segmentation may have. */
export const SEG_ENDING = /\.nii(\.gz)?$/i;

export interface Pairing {
  pairs: { id: string; prediction: string; reference: string }[];
  /** Predictions with no reference of the same name, and the reverse. */
  predictionOnly: string[];
  referenceOnly: string[];
}

/**
 * Segmentation files directly in `folder` of a listing (no sub-folders, no hidden files). Without
 * a folder: the top level, or, when the segmentations all sit in one folder below it (a dropped or
 * zipped folder arrives like that), that folder.
 */
export function segmentationFiles(entries: readonly FileEntry[], folder?: string): string[] {
  const segs = entries.filter((e) => e.kind === 'file' && SEG_ENDING.test(e.path) && !base(e.path).startsWith('.')).map((e) => e.path);
  const dir = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
  if (folder === undefined) {
    const dirs = new Set(segs.map(dir));
    folder = dirs.size === 1 ? [...dirs][0] : '';
  }
  const want = folder.replace(/\/$/, '');
  return segs.filter((p) => dir(p) === want).sort();
}

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
