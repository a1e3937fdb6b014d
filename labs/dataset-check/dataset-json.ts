/**
 * dataset.json: syntax, required keys and types, label and region rules. Mirrors the assertions
 * of nnunetv2/experiment_planning/verify_dataset_integrity.py and LabelManager._sanity_check in
 * nnunetv2/utilities/label_handling/label_handling.py, and adds the checks nnU-Net skips
 * (integer numTraining, leading dot in file_ending, negative or duplicate labels, region values).
 */
import type { Finding } from '../shared/findings';
import { regionMismatches, type RegionId } from '../shared/labels';
import { getKey, hasKey, isJsonObject, keysOf, parseJson, type JsonObject, type JsonValue } from './json';
import { finding } from './rules';

/** What the rest of the check needs from dataset.json, in nnU-Net's reading order. */
export interface DatasetConfig {
  /** Channel names in FILE order (nnU-Net's planner iterates values in this order). */
  channels: string[];
  /** Label entries in file order; a region has several values. */
  labels: { name: string; values: number[] }[];
  /** Every integer a label file may contain: declared values plus the ignore label. */
  allowed: number[];
  ignore?: number;
  hasRegions: boolean;
  regionsClassOrder?: number[];
  /** The file ending to match, as declared (may be invalid; see findings). */
  fileEnding: string;
  numTraining?: number;
  /** The custom `dataset` file list (nnunetv2/utilities/utils.py), when present. */
  customFiles?: { id: string; images: string[]; label?: string }[];
  /** The BraTS scheme the labels or regions declare, when recognisable. */
  bratsScheme?: 'nnunet137' | 'keep';
}

export const KNOWN_ENDINGS = ['.nii.gz', '.nii', '.nrrd', '.mha', '.gipl', '.png', '.bmp', '.tif', '.tiff'];

const isInt = (v: JsonValue | undefined): v is number => typeof v === 'number' && Number.isInteger(v);

const REGION_NAMES: [RegionId, RegExp][] = [
  ['WT', /^(wt|whole[ _-]?tumou?r)$/i],
  ['TC', /^(tc|tumou?r[ _-]?core)$/i],
  ['ET', /^(et|enhancing([ _-]?tumou?r)?)$/i],
];
const TISSUE_NAMES: [string, RegExp][] = [
  ['ED', /^(ed|edema|oedema|peritumou?ral[ _-]?edema|snfh)$/i],
  ['NCR', /^(ncr|necrosis|necrotic|ncr[ _/-]?net|non[ _-]?enhancing([ _-]?and[ _-]?necrosis)?|netc)$/i],
];

/** Reads the BraTS scheme a label table implies: tissue names first, then the region lists. */
function bratsSchemeOf(labels: { name: string; values: number[] }[], path: string, out: Finding[]): 'nnunet137' | 'keep' | undefined {
  const regions: Record<string, number[]> = {};
  const tissues: Record<string, number> = {};
  for (const l of labels) {
    const r = REGION_NAMES.find(([, re]) => re.test(l.name.trim()));
    if (r && (l.values.length > 1 || r[0] === 'ET')) regions[r[0]] = l.values;
    const t = TISSUE_NAMES.find(([, re]) => re.test(l.name.trim()));
    if (t && l.values.length === 1) tissues[t[0]] = l.values[0];
  }
  let scheme: 'nnunet137' | 'keep' | undefined;
  if (tissues.ED === 1 || tissues.NCR === 2) scheme = 'nnunet137';
  else if (tissues.ED === 2 || tissues.NCR === 1) scheme = 'keep';
  if (!regions.TC && !regions.WT) return scheme;
  const bad137 = regionMismatches('nnunet137', regions);
  const badKeep = regionMismatches('keep', regions);
  if (scheme) {
    const bad = scheme === 'nnunet137' ? bad137 : badKeep;
    if (bad.length) {
      out.push(
        finding('dataset.regions-mixed-scheme', {
          path,
          message: `${path}: the labels use the ${scheme === 'nnunet137' ? 'Dataset137' : '"keep"'} values (${scheme === 'nnunet137' ? '1 edema, 2 necrosis' : '1 necrosis, 2 edema'}), but region ${bad.join(', ')} is defined for the other scheme.`,
          evidence: { scheme, regions, mismatched: bad },
        }),
      );
    }
    return scheme;
  }
  if (bad137.length === 0) return 'nnunet137';
  if (badKeep.length === 0) return 'keep';
  out.push(
    finding('dataset.regions-mixed-scheme', {
      path,
      message: `${path}: the BraTS regions match neither scheme (region ${bad137.join(', ')} differs from Dataset137, region ${badKeep.join(', ')} from "keep"); the tumour core then contains edema or misses necrosis.`,
      evidence: { regions, mismatchedDataset137: bad137, mismatchedKeep: badKeep },
    }),
  );
  return undefined;
}

/**
 * Parses and checks dataset.json. Returns the findings and, when the file is usable at all, the
 * configuration the file checks need (falling back to `fallbackEnding` when file_ending is unusable).
 */
export function checkDatasetJson(text: string, path: string, fallbackEnding: string): { findings: Finding[]; config?: DatasetConfig } {
  const out: Finding[] = [];
  const parsed = parseJson(text, { recover: true });
  if (!parsed.ok) {
    const e = parsed.error;
    out.push(
      finding('dataset.json-syntax', {
        path,
        message: `${path}, line ${e.line}, column ${e.column}: ${e.problem}.`,
        hint: `Fix line ${e.line}: ${e.fix}.`,
        evidence: { line: e.line, column: e.column, kind: e.kind },
      }),
    );
    return { findings: out };
  }
  for (const e of parsed.recovered) {
    out.push(
      finding('dataset.json-syntax', {
        path,
        message: `${path}, line ${e.line}, column ${e.column}: ${e.problem}; nnU-Net's json.load stops here (the rest of the file was checked without it).`,
        hint: `Fix line ${e.line}: ${e.fix}.`,
        evidence: { line: e.line, column: e.column, kind: e.kind },
      }),
    );
  }
  for (const w of parsed.warnings) {
    out.push(finding('dataset.json-syntax', { path, severity: 'warning', message: `${path}, line ${w.line}: ${w.problem} (Python accepts it, other tools do not).`, hint: w.fix, evidence: { line: w.line, column: w.column, kind: w.kind } }));
  }
  const root = parsed.value;
  if (!isJsonObject(root)) {
    out.push(finding('dataset.json-keys', { path, message: `${path}: the top level must be an object ({ … }).` }));
    return { findings: out };
  }
  for (const k of root.dupes) {
    out.push(finding('dataset.json-syntax', { path, severity: 'warning', message: `${path}: the key "${k}" appears twice; Python keeps the last one silently.`, hint: `Keep one "${k}" entry.` }));
  }

  // Channels. nnU-Net v2's integrity check requires channel_names; other stages still fall back to v1's modality.
  let channelObj: JsonObject | undefined;
  const channelNames = getKey(root, 'channel_names');
  const modality = getKey(root, 'modality');
  if (modality !== undefined) {
    out.push(
      finding('dataset.json-v1-modality', {
        path,
        severity: channelNames === undefined ? 'error' : 'warning',
        message:
          channelNames === undefined
            ? `${path}: uses the nnU-Net v1 key "modality" instead of "channel_names"; nnUNetv2_plan_and_preprocess --verify_dataset_integrity stops on it.`
            : `${path}: has both "modality" (nnU-Net v1) and "channel_names"; "modality" is ignored.`,
        hint: channelNames === undefined ? undefined : 'Delete the "modality" key.',
      }),
    );
  }
  const chSrc = channelNames ?? modality;
  if (chSrc !== undefined && !isJsonObject(chSrc)) {
    out.push(finding('dataset.json-keys', { path, message: `${path}: "channel_names" must be an object like {"0": "T1", "1": "T1ce"}.` }));
  } else if (chSrc) channelObj = chSrc;
  const channels: string[] = [];
  if (channelObj) {
    const keys = keysOf(channelObj);
    keys.forEach((k, i) => {
      const v = getKey(channelObj!, k);
      if (typeof v !== 'string') {
        out.push(finding('dataset.json-keys', { path, message: `${path}: channel_names["${k}"] must be a string (the channel's name), got ${JSON.stringify(v)}.`, hint: 'Map channel index to name: {"0": "T1", "1": "T1ce", …} (an inverted mapping breaks nnU-Net\'s normalisation choice).' }));
      }
      channels.push(typeof v === 'string' ? v : String(v));
      if (k !== String(i)) {
        out.push(
          finding('dataset.json-keys', {
            path,
            message: `${path}: channel_names key number ${i + 1} is "${k}", expected "${i}"; nnU-Net uses the entries in file order, so ${JSON.stringify(channels[i])} is treated as channel ${i}.`,
            hint: 'Write the keys "0", "1", … in ascending order without gaps, each naming the file suffix _0000, _0001, …',
            evidence: { keys },
          }),
        );
      }
    });
    if (keys.length === 0) out.push(finding('dataset.json-keys', { path, message: `${path}: channel_names is empty.` }));
  }

  const missing = ['labels', 'channel_names', 'numTraining', 'file_ending'].filter((k) => !hasKey(root, k) && !(k === 'channel_names' && modality !== undefined));
  if (missing.length) {
    out.push(finding('dataset.json-keys', { path, message: `${path}: required key${missing.length > 1 ? 's' : ''} missing: ${missing.join(', ')}.`, evidence: { missing, present: keysOf(root) } }));
  }

  const nt = getKey(root, 'numTraining');
  let numTraining: number | undefined;
  if (nt !== undefined) {
    if (isInt(nt) && nt >= 0) numTraining = nt;
    else out.push(finding('dataset.json-keys', { path, message: `${path}: numTraining must be a whole number, got ${JSON.stringify(nt)}.`, hint: 'Write the number without quotes or decimals, e.g. "numTraining": 1251.' }));
  }

  const fe = getKey(root, 'file_ending');
  let fileEnding = fallbackEnding;
  if (fe !== undefined) {
    if (typeof fe !== 'string') out.push(finding('dataset.json-keys', { path, message: `${path}: file_ending must be a string such as ".nii.gz".` }));
    else if (!fe.startsWith('.')) {
      out.push(finding('dataset.file-ending', { path, message: `${path}: file_ending "${fe}" lacks the leading dot; nnU-Net then derives case ids one character too long and finds no channel files.`, hint: `Write "file_ending": ".${fe}".`, evidence: { fileEnding: fe } }));
      fileEnding = `.${fe}`;
    } else {
      fileEnding = fe;
      const orw = getKey(root, 'overwrite_image_reader_writer');
      if (!KNOWN_ENDINGS.includes(fe.toLowerCase()) && (orw === undefined || orw === 'None')) {
        out.push(finding('dataset.file-ending', { path, message: `${path}: no nnU-Net reader handles file_ending "${fe}".`, hint: `Use one of ${KNOWN_ENDINGS.join(', ')}.`, evidence: { fileEnding: fe } }));
      }
    }
  }
  const orw = getKey(root, 'overwrite_image_reader_writer');
  if (orw !== undefined && typeof orw !== 'string') {
    // null crashes nnU-Net's class lookup (MIC-DKFZ/nnUNet#2539); "None" is its way of saying "unset".
    out.push(finding('dataset.json-keys', { path, message: `${path}: overwrite_image_reader_writer is ${JSON.stringify(orw)}; nnU-Net expects a class name or the string "None".`, hint: 'Delete the key, or write "None" or a reader class such as "SimpleITKIO".' }));
  }

  // Labels (label_handling.py).
  const labelsV = getKey(root, 'labels');
  const labels: { name: string; values: number[] }[] = [];
  let ignore: number | undefined;
  let hasRegions = false;
  if (labelsV !== undefined && !isJsonObject(labelsV)) {
    out.push(finding('dataset.json-keys', { path, message: `${path}: labels must be an object mapping names to values, e.g. {"background": 0, "tumour": 1}.` }));
  } else if (labelsV) {
    const v1 = labelsV.entries.length > 0 && labelsV.entries.every(([k, v]) => /^\d+$/.test(k) && typeof v === 'string');
    if (v1) {
      out.push(finding('dataset.labels-background', { path, message: `${path}: labels map values to names ({"0": "background", …}), the nnU-Net v1 layout; v2 stops with "Background label not declared".`, hint: 'Invert the mapping: {"background": 0, "edema": 1, …}.' }));
    } else {
      for (const k of keysOf(labelsV)) {
        const v = getKey(labelsV, k)!;
        if (k === 'ignore') {
          if (!isInt(v)) out.push(finding('dataset.labels-ignore', { path, message: `${path}: the ignore label must be one integer, got ${JSON.stringify(v)}.` }));
          else ignore = v;
          continue;
        }
        const vals = Array.isArray(v) ? v : [v];
        if (Array.isArray(v) && v.length > 1) hasRegions = true;
        if (vals.length === 0 || !vals.every(isInt)) {
          out.push(finding('dataset.json-keys', { path, message: `${path}: label "${k}" must be an integer or a list of integers, got ${JSON.stringify(v)}; nnU-Net truncates non-integers silently.` }));
          continue;
        }
        labels.push({ name: k, values: vals as number[] });
      }
      const bg = getKey(labelsV, 'background');
      if (bg === undefined) out.push(finding('dataset.labels-background', { path, message: `${path}: labels has no "background" entry; nnU-Net requires "background": 0.` }));
      else if (bg !== 0) out.push(finding('dataset.labels-background', { path, message: `${path}: background is ${JSON.stringify(bg)}; it must be the single value 0.` }));
    }
  }

  const values = [...new Set(labels.flatMap((l) => l.values))].sort((a, b) => a - b);
  const singleValues = labels.filter((l) => l.values.length === 1).map((l) => l.values[0]);
  const dup = singleValues.filter((v, i) => singleValues.indexOf(v) !== i);
  if (!hasRegions && dup.length) {
    out.push(finding('dataset.labels-consecutive', { path, message: `${path}: label value${dup.length > 1 ? 's' : ''} ${[...new Set(dup)].join(', ')} declared under two names; nnU-Net merges them into one class.`, hint: 'Give every class its own value.' }));
  }
  const neg = values.filter((v) => v < 0);
  if (neg.length) out.push(finding('dataset.labels-consecutive', { path, message: `${path}: negative label value${neg.length > 1 ? 's' : ''} ${neg.join(', ')}; nnU-Net uses -1 internally while cropping.`, hint: 'Use values 0, 1, 2, …' }));
  if (labels.length) {
    // verify_dataset_integrity.py: the sorted unique values must step by exactly 1 (the ignore
    // label, appended there too, is checked on its own below).
    const after: number[] = [];
    for (let i = 1; i < values.length; i++) if (values[i] - values[i - 1] !== 1) after.push(values[i]);
    if (after.length) {
      out.push(
        finding('dataset.labels-consecutive', {
          path,
          message: `${path}: label values ${values.join(', ')} are not consecutive (gap before ${after.join(', ')}); nnU-Net stops with "Labels must be in consecutive order".`,
          hint: 'Renumber the labels 0, 1, 2, … in the label files and in dataset.json (a raw BraTS 0/1/2/4 table must become 0/1/2/3).',
          evidence: { values },
        }),
      );
    }
  }
  if (ignore !== undefined && values.length && ignore !== values[values.length - 1] + 1) {
    out.push(finding('dataset.labels-ignore', { path, message: `${path}: the ignore label is ${ignore} but the highest other label is ${values[values.length - 1]}; nnU-Net requires ignore = highest + 1.`, evidence: { ignore, values } }));
  }

  let regionsClassOrder: number[] | undefined;
  const rco = getKey(root, 'regions_class_order');
  if (rco !== undefined) {
    if (!Array.isArray(rco) || !rco.every(isInt)) out.push(finding('dataset.regions-class-order', { path, message: `${path}: regions_class_order must be a list of integers.` }));
    else regionsClassOrder = rco as number[];
  }
  if (hasRegions) {
    const regionCount = labels.filter((l) => l.name !== 'background').length;
    if (!regionsClassOrder) {
      out.push(finding('dataset.regions-class-order', { path, message: `${path}: labels define regions (lists of values) but regions_class_order is missing; nnU-Net refuses region-based training without it.`, evidence: { regions: regionCount } }));
    } else {
      if (regionsClassOrder.length !== regionCount) {
        out.push(finding('dataset.regions-class-order', { path, message: `${path}: regions_class_order has ${regionsClassOrder.length} entries for ${regionCount} regions; it needs one per region.`, evidence: { regionsClassOrder, regions: regionCount } }));
      }
      const unknown = regionsClassOrder.filter((v) => !values.includes(v) || v === 0 || v === ignore);
      if (unknown.length) out.push(finding('dataset.regions-class-order', { path, message: `${path}: regions_class_order contains ${unknown.join(', ')}, not a declared foreground label.`, evidence: { regionsClassOrder } }));
    }
  }
  const bratsScheme = bratsSchemeOf(labels, path, out);

  let customFiles: DatasetConfig['customFiles'];
  const ds = getKey(root, 'dataset');
  if (ds !== undefined) {
    if (!isJsonObject(ds)) out.push(finding('dataset.json-keys', { path, message: `${path}: "dataset" must map case ids to {"images": [...], "label": "..."}.` }));
    else {
      customFiles = [];
      for (const id of keysOf(ds)) {
        const e = getKey(ds, id);
        const imgs = isJsonObject(e) ? getKey(e, 'images') : undefined;
        const lab = isJsonObject(e) ? getKey(e, 'label') : undefined;
        if (!Array.isArray(imgs) || !imgs.every((p) => typeof p === 'string') || (lab !== undefined && typeof lab !== 'string')) {
          out.push(finding('dataset.json-keys', { path, case: id, message: `${path}: dataset["${id}"] needs "images" (a list of paths) and "label" (a path).` }));
          continue;
        }
        customFiles.push({ id, images: imgs as string[], label: lab as string | undefined });
      }
    }
  }

  return {
    findings: out,
    config: {
      channels,
      labels,
      allowed: ignore !== undefined ? [...values, ignore] : values,
      ignore,
      hasRegions,
      regionsClassOrder,
      fileEnding,
      numTraining,
      customFiles,
      bratsScheme,
    },
  };
}
