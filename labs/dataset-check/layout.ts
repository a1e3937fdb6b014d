/**
 * Finding the datasets in a source and checking names: folder name and id, sub-folders, case
 * identifiers, channel suffixes, labels, hidden and non-regular files, imagesTs.
 *
 * Case identifiers follow nnunetv2/utilities/utils.py exactly: `get_identifiers_from_splitted_dataset_folder`
 * lists the top-level files of imagesTr ending in file_ending (case-sensitive, hidden files
 * included), chops `len(file_ending) + 5` characters and takes the sorted unique rest; a case's
 * channel files are those whose whole name matches `escape(id) + "_\d\d\d\d" + escape(file_ending)`.
 */
import type { FileEntry } from '../shared/files';
import { basename, dirname, joinPath } from '../shared/files';
import type { Finding } from '../shared/findings';
import type { DatasetConfig } from './dataset-json';
import { KNOWN_ENDINGS } from './dataset-json';
import { finding } from './rules';
import { groupBy } from './group';

/** One case to check: serialisable, so it can travel to a worker. */
export interface CaseTask {
  /** Dataset folder, relative to the source root ('' when the root is the dataset). */
  dataset: string;
  id: string;
  split: 'train' | 'test';
  /** Channel files in channel order; `channel` is the number in the _XXXX suffix. */
  images: { channel: number; path: string }[];
  label?: string;
  /** Whether the voxels can be read (NIfTI); other formats get name and structure checks only. */
  nifti: boolean;
}

export interface DatasetPlan {
  /** Folder relative to the source root ('' when the root is the dataset). */
  root: string;
  name: string;
  config?: DatasetConfig;
  cases: CaseTask[];
  /** nnU-Net's identifiers (including phantom ones from badly named files). */
  nnunetIds: string[];
}

const DATASET_NAME = /^Dataset(\d{3})_.+$/;

/** Link targets and kinds that must never be opened. */
export function nonRegular(e: FileEntry): string | undefined {
  if (e.kind === 'other') return e.target ? `not a regular file (${e.target})` : 'not a regular file (FIFO, socket or device)';
  if (e.kind === 'link' && !e.targetInside) return `symbolic link to ${e.target ? JSON.stringify(e.target) : 'an unknown target'} that leaves the dataset, dangles or loops`;
  return undefined;
}

/** Which folders of the listing are datasets: the root itself, or its DatasetXXX_* / dataset-like children. */
export function findDatasets(entries: FileEntry[]): string[] {
  const has = new Set(entries.map((e) => e.path));
  const looksLike = (p: string) => has.has(joinPath(p, 'dataset.json')) || has.has(joinPath(p, 'imagesTr')) || has.has(joinPath(p, 'labelsTr'));
  if (looksLike('')) return [''];
  const top = entries.filter((e) => e.kind === 'folder' && !e.path.includes('/')).map((e) => e.path);
  const found = top.filter((p) => /^Dataset/.test(p) || looksLike(p));
  if (found.length) return found.sort();
  // A zip often wraps the dataset (or nnUNet_raw) in one more folder.
  if (top.length === 1) {
    const inner = entries.filter((e) => e.kind === 'folder' && dirname(e.path) === top[0]).map((e) => e.path);
    if (looksLike(top[0])) return [top[0]];
    return inner.filter((p) => /^Dataset/.test(basename(p)) || looksLike(p)).sort();
  }
  return [];
}

/** Folder-name rules for every dataset and id collisions between them (dataset_name_id_conversion.py). */
export function checkNames(roots: { root: string; name: string }[]): Finding[] {
  const out: Finding[] = [];
  for (const { root, name } of roots) {
    const m = DATASET_NAME.exec(name);
    const path = root || undefined;
    if (!m) {
      out.push(
        finding('dataset.folder-name', {
          path,
          message: `Dataset folder "${name}" does not match DatasetXXX_Name; nnU-Net finds datasets by the prefix "Dataset" plus a three-digit id.`,
          hint: /^Dataset_\d/.test(name) ? `Remove the underscore before the digits: "${name.replace(/^Dataset_/, 'Dataset')}".` : undefined,
          evidence: { name },
        }),
      );
      continue;
    }
    const id = Number(m[1]);
    if (id >= 1 && id <= 10) {
      out.push(finding('dataset.reserved-id', { path, message: `Dataset id ${m[1]} in "${name}" is reserved for the Medical Segmentation Decathlon (001–010).`, evidence: { id } }));
    }
  }
  const byId = groupBy(roots, ({ name }) => DATASET_NAME.exec(name)?.[1]);
  for (const [id, group] of byId) {
    const names = group.map((g) => g.name);
    if (names.length > 1) {
      out.push(finding('dataset.folder-name', { message: `Dataset id ${id} is used by ${names.join(' and ')}; nnU-Net stops with "More than one dataset name found for dataset id".`, hint: 'Give each dataset its own id.', evidence: { id, names } }));
    }
  }
  return out;
}

/** Reports hidden/system files and non-regular entries anywhere in a dataset, once each. */
function hygiene(entries: FileEntry[], out: Finding[]): Set<string> {
  const skip = new Set<string>();
  for (const e of entries) {
    const name = basename(e.path);
    const bad = nonRegular(e);
    if (bad) {
      out.push(finding('dataset.non-regular-file', { path: e.path, message: `${e.path}: ${bad}; not opened.`, evidence: { kind: e.kind, target: e.target } }));
      skip.add(e.path);
      continue;
    }
    if (name.startsWith('.')) {
      const what = name === '.DS_Store' ? 'a macOS folder-settings file (.DS_Store)' : name.startsWith('._') ? 'a macOS AppleDouble file (._*)' : 'a hidden file';
      const risk = /\.(nii(\.gz)?|nrrd|mha|gipl|png|bmp|tiff?)$/i.test(name) ? '; nnU-Net would count it as a case' : '';
      out.push(finding('dataset.hidden-file', { path: e.path, message: `${e.path}: ${what}${risk}.` }));
      skip.add(e.path);
      // Everything inside a hidden folder is skipped with it.
      if (e.kind === 'folder') for (const x of entries) if (x.path.startsWith(e.path + '/')) skip.add(x.path);
    }
  }
  return skip;
}

/** Stray files are reported individually up to this many per folder, then summarised. */
const STRAY_LIMIT = 20;

function reportStray(folder: string, stray: FileEntry[], ending: string, what: string, out: Finding[]): void {
  stray.slice(0, STRAY_LIMIT).forEach((e) => {
    const near = e.path.toLowerCase().endsWith(ending.toLowerCase()) ? ` (the ending differs from "${ending}" only in letter case; nnU-Net matches it exactly)` : KNOWN_ENDINGS.some((k) => e.path.toLowerCase().endsWith(k)) ? ` (another image format than "${ending}")` : '';
    out.push(finding('dataset.wrong-ending', { path: e.path, message: `${e.path}: ${e.kind === 'folder' ? 'a sub-folder' : `does not end in "${ending}"`}${near}; nnU-Net ignores it in ${what}.` }));
  });
  if (stray.length > STRAY_LIMIT) {
    out.push(
      finding('dataset.wrong-ending', {
        path: folder,
        message: `${folder}: ${stray.length - STRAY_LIMIT} more entries that nnU-Net ignores (${stray.length} in all).`,
        hint: 'Move files that are not images of this dataset out of the folder.',
        evidence: { count: stray.length, examples: stray.slice(STRAY_LIMIT, STRAY_LIMIT + 5).map((e) => e.path) },
      }),
    );
  }
}

interface Channelled {
  id: string;
  channel: number;
  path: string;
}

/** Splits a folder's files into well-named channel files and the rest (nnU-Net's id rule). */
function channelFiles(files: FileEntry[], ending: string): { good: Channelled[]; badSuffix: { path: string; nnunetId: string; guess: string }[]; nnunetIds: Set<string> } {
  const good: Channelled[] = [];
  const badSuffix: { path: string; nnunetId: string; guess: string }[] = [];
  const nnunetIds = new Set<string>();
  for (const f of files) {
    const name = basename(f.path);
    nnunetIds.add(name.slice(0, Math.max(0, name.length - ending.length - 5)));
    const stem = name.slice(0, name.length - ending.length);
    const m = /^(.+)_(\d{4})$/.exec(stem);
    if (m) good.push({ id: m[1], channel: Number(m[2]), path: f.path });
    else badSuffix.push({ path: f.path, nnunetId: name.slice(0, Math.max(0, name.length - ending.length - 5)), guess: stem.replace(/_[^_]*$/, '') || stem });
  }
  return { good, badSuffix, nnunetIds };
}

/**
 * Checks the files of one dataset and returns its cases. `entries` are the listing entries below
 * the dataset folder; `config` is undefined when dataset.json is unusable (names are then checked
 * against `fallbackEnding` and the channel count is taken from the cases).
 */
export function planDataset(root: string, name: string, entries: FileEntry[], config: DatasetConfig | undefined, fallbackEnding: string): { plan: DatasetPlan; findings: Finding[] } {
  const out: Finding[] = [];
  const at = (p: string) => joinPath(root, p);
  const skip = hygiene(entries, out);
  const ending = config?.fileEnding ?? fallbackEnding;
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const plan: DatasetPlan = { root, name, config, cases: [], nnunetIds: [] };
  const isNifti = /\.nii(\.gz)?$/i.test(ending);

  if (config?.customFiles) return { plan: customPlan(plan, config, byPath, out, isNifti), findings: out };

  for (const sub of ['imagesTr', 'labelsTr']) {
    const e = byPath.get(at(sub));
    if (!e || e.kind !== 'folder') out.push(finding('dataset.missing-folder', { path: at(sub), message: `${name}: the folder ${sub}/ is missing${e ? ` (${at(sub)} is not a folder)` : ''}.` }));
  }
  const topLevel = (sub: string) => entries.filter((e) => dirname(e.path) === at(sub) && !skip.has(e.path));
  const usable = (e: FileEntry) => (e.kind === 'file' || e.kind === 'link') && e.path.endsWith(ending);

  // imagesTr
  const trEntries = topLevel('imagesTr');
  const tr = channelFiles(trEntries.filter(usable), ending);
  if (config && tr.good.length + tr.badSuffix.length === 0) {
    // Nothing matches file_ending: usually the ending, not the files, is wrong.
    const endings = groupBy(trEntries.filter((e) => e.kind !== 'folder'), (e) => KNOWN_ENDINGS.find((k) => e.path.toLowerCase().endsWith(k) && !(k === '.nii' && e.path.toLowerCase().endsWith('.nii.gz'))));
    const [common] = [...endings].sort((a, b) => b[1].length - a[1].length);
    if (common) {
      const actual = common[1][0].path.slice(-common[0].length);
      out.push(
        finding('dataset.file-ending', {
          path: at('dataset.json'),
          message: `${at('dataset.json')}: file_ending is "${ending}" but no file in imagesTr ends with it; ${common[1].length} end in "${actual}". nnU-Net would find no cases.`,
          hint: `Set "file_ending": "${actual}" (exact letter case), or rename the files.`,
          evidence: { fileEnding: ending, found: actual, files: common[1].length },
        }),
      );
    }
  }
  plan.nnunetIds = [...tr.nnunetIds].sort();
  reportStray(at('imagesTr'), trEntries.filter((e) => !usable(e) && !(e.kind === 'file' && /\.json$/.test(e.path) && /^\.tiff?$/.test(ending))), ending, 'imagesTr', out);
  const cases = groupBy(tr.good, (c) => c.id);
  for (const b of tr.badSuffix) {
    const phantom = !cases.has(b.nnunetId);
    out.push(
      finding('dataset.channel-suffix', {
        path: b.path,
        case: b.guess,
        message: `${b.path}: the name lacks a channel suffix _XXXX (four digits) before "${ending}"; nnU-Net ${phantom ? `derives a phantom case "${b.nnunetId}" from it` : 'silently ignores it'}.`,
        hint: `Rename it to ${b.guess}_XXXX${ending} with the channel number it holds (e.g. ${b.guess}_0000${ending}).`,
        evidence: { nnunetId: b.nnunetId },
      }),
    );
  }
  // Ids that differ only in letter case collide on macOS and Windows file systems.
  const lower = groupBy(cases.keys(), (id) => id.toLowerCase());
  for (const ids of lower.values()) {
    if (ids.length > 1) out.push(finding('dataset.case-collision', { case: ids[0], path: at('imagesTr'), message: `${at('imagesTr')}: case ids ${ids.map((i) => `"${i}"`).join(' and ')} differ only in letter case.`, evidence: { ids } }));
  }

  const nChannels = config?.channels.length || Math.max(0, ...[...cases.values()].map((c) => c.length));
  const checkChannels = (id: string, files: Channelled[], folder: string, testSplit: boolean) => {
    const present = [...new Set(files.map((f) => f.channel))].sort((a, b) => a - b);
    const want = Array.from({ length: nChannels }, (_, i) => i);
    const missing = want.filter((c) => !present.includes(c));
    const extra = present.filter((c) => c >= nChannels);
    const chName = (c: number) => (config?.channels[c] ? ` (${config.channels[c]})` : '');
    const file = (c: number) => at(`${folder}/${id}_${String(c).padStart(4, '0')}${ending}`);
    if (testSplit) {
      if (missing.length || extra.length) {
        out.push(
          finding('dataset.images-ts-channels', {
            path: missing.length ? file(missing[0]) : file(extra[0]),
            case: id,
            message: `${at(folder)}: test case "${id}" has channels ${present.join(', ') || 'none'}, the training cases ${want.join(', ')}.`,
            evidence: { present, expected: want },
          }),
        );
      }
      return;
    }
    if (missing.length && extra.length && present.length === nChannels) {
      out.push(
        finding('dataset.channel-gap', {
          path: file(missing[0]),
          case: id,
          message: `Case "${id}" has channel files ${present.map((c) => `_${String(c).padStart(4, '0')}`).join(', ')}: channel ${missing.join(', ')}${chName(missing[0])} is missing and nnU-Net silently uses _${String(extra[0]).padStart(4, '0')} in its place.`,
          evidence: { present, expected: want },
        }),
      );
      return;
    }
    for (const c of missing) {
      out.push(finding('dataset.channel-missing', { path: file(c), case: id, message: `Case "${id}": channel ${c}${chName(c)} is missing (${file(c)} not found).`, evidence: { present, expected: want } }));
    }
    for (const c of extra) {
      out.push(finding('dataset.channel-extra', { path: file(c), case: id, message: `Case "${id}": ${file(c)} is channel ${c}, but channel_names declares ${nChannels} channel${nChannels === 1 ? '' : 's'}.`, evidence: { present, expected: want } }));
    }
  };

  // labelsTr
  const lbEntries = topLevel('labelsTr');
  const labelFiles = lbEntries.filter(usable);
  reportStray(at('labelsTr'), lbEntries.filter((e) => !usable(e) && !(e.kind === 'file' && /\.json$/.test(e.path) && /^\.tiff?$/.test(ending))), ending, 'labelsTr', out);
  const labels = new Map<string, string>();
  const suffixed = new Set<string>();
  for (const f of labelFiles) {
    const stem = basename(f.path).slice(0, -ending.length);
    if (cases.has(stem)) {
      labels.set(stem, f.path);
      continue;
    }
    const m = /^(.+)_(\d{4})$/.exec(stem);
    if (m && cases.has(m[1])) {
      suffixed.add(m[1]);
      out.push(finding('dataset.label-suffix', { path: f.path, case: m[1], message: `${f.path}: the label carries a channel suffix (_${m[2]}); nnU-Net looks for ${at(`labelsTr/${m[1]}${ending}`)}.`, hint: `Rename it to ${m[1]}${ending}.` }));
      continue;
    }
    out.push(finding('dataset.label-without-image', { path: f.path, case: stem, message: `${f.path}: label of case "${stem}", which has no images in imagesTr.` }));
  }

  const ids = [...cases.keys()].sort();
  for (const id of ids) {
    const files = cases.get(id)!.sort((a, b) => a.channel - b.channel);
    checkChannels(id, files, 'imagesTr', false);
    const label = labels.get(id);
    if (!label) {
      out.push(
        finding('dataset.image-without-label', {
          case: id,
          path: at(`labelsTr/${id}${ending}`),
          message: `Case "${id}" has images but no label (${at(`labelsTr/${id}${ending}`)} not found${suffixed.has(id) ? '; see the label with a channel suffix' : ''}); nnU-Net stops with "not all training cases have a label file".`,
        }),
      );
    }
    plan.cases.push({ dataset: root, id, split: 'train', images: files.map((f) => ({ channel: f.channel, path: f.path })), label, nifti: isNifti });
  }
  if (config?.numTraining !== undefined && config.numTraining !== ids.length) {
    out.push(
      finding('dataset.num-training', {
        path: at('dataset.json'),
        message: `${at('dataset.json')}: numTraining is ${config.numTraining} but imagesTr holds ${ids.length} cases${plan.nnunetIds.length !== ids.length ? ` (nnU-Net would count ${plan.nnunetIds.length} ids)` : ''}.`,
        hint: `Set "numTraining": ${ids.length}, or add the missing cases.`,
        evidence: { declared: config.numTraining, found: ids.length, nnunetIds: plan.nnunetIds.length },
      }),
    );
  }

  // imagesTs: nnU-Net never reads it, but inference needs the same channels (dataset_format_inference.md).
  if (byPath.get(at('imagesTs'))?.kind === 'folder') {
    const tsEntries = topLevel('imagesTs');
    const ts = channelFiles(tsEntries.filter(usable), ending);
    reportStray(at('imagesTs'), tsEntries.filter((e) => !usable(e)), ending, 'imagesTs', out);
    for (const b of ts.badSuffix) out.push(finding('dataset.channel-suffix', { path: b.path, case: b.guess, message: `${b.path}: the name lacks a channel suffix _XXXX (four digits) before "${ending}"; inference would not find it.`, hint: `Rename it to ${b.guess}_XXXX${ending}.` }));
    const tcases = groupBy(ts.good, (c) => c.id);
    for (const id of [...tcases.keys()].sort()) {
      const files = tcases.get(id)!.sort((a, b) => a.channel - b.channel);
      checkChannels(id, files, 'imagesTs', true);
      plan.cases.push({ dataset: root, id, split: 'test', images: files.map((f) => ({ channel: f.channel, path: f.path })), nifti: isNifti });
      if (cases.has(id)) {
        out.push(
          finding('dataset.test-in-train', {
            path: files[0].path,
            case: id,
            message: `Case "${id}" is in imagesTs and in imagesTr: the model would be tested on a case it trained on, and its test score would look better than it is.`,
            evidence: { test: files.map((f) => f.path), train: cases.get(id)!.map((f) => f.path) },
          }),
        );
      }
    }
  }
  return { plan, findings: out };
}

/** Cases listed in dataset.json's `dataset` key (nnunetv2/utilities/utils.py, get_filenames_of_train_images_and_targets). */
function customPlan(plan: DatasetPlan, config: DatasetConfig, byPath: Map<string, FileEntry>, out: Finding[], isNifti: boolean): DatasetPlan {
  const at = (p: string) => joinPath(plan.root, p.replace(/^\.\//, ''));
  for (const c of config.customFiles!) {
    const resolve = (p: string) => {
      if (p.startsWith('/') || p.includes('$')) {
        out.push(finding('dataset.json-keys', { severity: 'warning', case: c.id, message: `dataset["${c.id}"]: "${p}" is an absolute path or uses an environment variable; it ties the dataset to one machine and was not checked.` }));
        return undefined;
      }
      const full = at(p);
      if (!byPath.has(full)) {
        out.push(finding('dataset.channel-missing', { path: full, case: c.id, message: `dataset["${c.id}"] lists ${full}, which does not exist.` }));
        return undefined;
      }
      return full;
    };
    const images = c.images.map((p, channel) => ({ channel, path: resolve(p) })).filter((x): x is { channel: number; path: string } => x.path !== undefined);
    if (c.images.length !== config.channels.length) {
      out.push(finding(c.images.length < config.channels.length ? 'dataset.channel-missing' : 'dataset.channel-extra', { case: c.id, message: `dataset["${c.id}"] lists ${c.images.length} images for ${config.channels.length} channels.` }));
    }
    const label = c.label !== undefined ? resolve(c.label) : undefined;
    if (c.label === undefined) out.push(finding('dataset.image-without-label', { case: c.id, message: `dataset["${c.id}"] has no "label".` }));
    plan.cases.push({ dataset: plan.root, id: c.id, split: 'train', images, label, nifti: isNifti });
  }
  plan.nnunetIds = config.customFiles!.map((c) => c.id);
  if (config.numTraining !== undefined && config.numTraining !== plan.cases.length) {
    out.push(finding('dataset.num-training', { path: at('dataset.json'), message: `numTraining is ${config.numTraining} but "dataset" lists ${plan.cases.length} cases.`, hint: `Set "numTraining": ${plan.cases.length}.` }));
  }
  return plan;
}
