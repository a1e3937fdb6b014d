/**
 * Which file is which: assigns the four MRI channels and the label of one case from file names,
 * the way a student would read them. BraTS 2021 names its files `_t1 _t1ce _t2 _flair _seg`,
 * BraTS 2023+ `-t1n -t1c -t2w -t2f -seg`, preprocessing tools add suffixes such as `_bet`, and
 * nnU-Net numbers channels `_0000`…`_0003` (Dataset137 order: T1, T1ce, T2, FLAIR —
 * nnunetv2/dataset_conversion/Dataset137_BraTS21.py; see shared/reference/nnunet-facts.md §6).
 */

export type Channel = 't1' | 't1ce' | 't2' | 'flair';
export type Role = Channel | 'seg';

export const CHANNELS: readonly Channel[] = ['t1', 't1ce', 't2', 'flair'];
export const ROLES: readonly Role[] = [...CHANNELS, 'seg'];

/** Naming conventions a case can follow; they hint at the label scheme. */
export type Naming = 'brats2021' | 'brats2023' | 'nnunet' | 'mixed' | 'unknown';

/** Name tokens (lower case) that identify a role, and the convention each token belongs to. */
const TOKENS: Record<string, { role: Role; naming?: 'brats2021' | 'brats2023' }> = {
  t1: { role: 't1', naming: 'brats2021' },
  t1w: { role: 't1' },
  t1n: { role: 't1', naming: 'brats2023' },
  t1ce: { role: 't1ce', naming: 'brats2021' },
  t1c: { role: 't1ce', naming: 'brats2023' },
  t1gd: { role: 't1ce' },
  t2: { role: 't2', naming: 'brats2021' },
  t2w: { role: 't2', naming: 'brats2023' },
  flair: { role: 'flair', naming: 'brats2021' },
  fla: { role: 'flair' },
  t2f: { role: 'flair', naming: 'brats2023' },
  seg: { role: 'seg' },
  label: { role: 'seg' },
  labels: { role: 'seg' },
};

/** nnU-Net channel suffix → channel, in Dataset137's order. */
const NNUNET_ORDER: readonly Channel[] = ['t1', 't1ce', 't2', 'flair'];

export interface Assignment {
  /** The file name as given (a path is allowed; only its last part is read). */
  name: string;
  role: Role | null;
  /** How the role was found: a name token, an nnU-Net channel suffix, or by elimination. */
  how: 'token' | 'channel-suffix' | 'elimination' | 'none';
}

export interface AssignResult {
  files: Assignment[];
  /** The file chosen for each role (the first one, when several claim it). */
  byRole: Partial<Record<Role, string>>;
  missing: Role[];
  /** Roles claimed by more than one file: the user must pick. */
  duplicates: Role[];
  naming: Naming;
  /** Names that are not NIfTI files or are macOS side files, left out. */
  ignored: string[];
}

const baseName = (path: string): string => path.split(/[\\/]/).pop() ?? path;

/** True for `.nii` / `.nii.gz` files that are not macOS AppleDouble (`._x`) side files. */
export function isNiftiName(path: string): boolean {
  const name = baseName(path);
  return /\.nii(\.gz)?$/i.test(name) && !name.startsWith('._');
}

export function stripNiftiExtension(path: string): string {
  return baseName(path).replace(/\.nii(\.gz)?$/i, '');
}

/** The role one name announces by itself (no elimination), and the convention it follows. */
export function roleFromName(path: string): { role: Role | null; how: Assignment['how']; naming: Naming } {
  const tokens = stripNiftiExtension(path).toLowerCase().split(/[_\-.\s]+/).filter(Boolean);
  const last = tokens[tokens.length - 1] ?? '';
  // The channel suffix is exactly four digits at the very end (nnU-Net dataset_format.md).
  if (/^\d{4}$/.test(last) && tokens.length > 1) {
    const channel = NNUNET_ORDER[Number(last)];
    return channel ? { role: channel, how: 'channel-suffix', naming: 'nnunet' } : { role: null, how: 'none', naming: 'nnunet' };
  }
  // The last role token wins, so prefixes like "t1_reg_to_flair" read as FLAIR only when it ends so;
  // trailing processing suffixes (_bet, _brain, _n4) are not role tokens and are skipped.
  for (let i = tokens.length - 1; i >= 0; i--) {
    const hit = TOKENS[tokens[i]];
    if (hit) return { role: hit.role, how: 'token', naming: hit.naming ?? 'unknown' };
  }
  return { role: null, how: 'none', naming: 'unknown' };
}

/**
 * Assigns roles to the files of one case. A single file left over when all four channels are
 * known (nnU-Net's label `case.nii.gz`, or an oddly named label such as `_fusion`) becomes the label.
 */
export function assignRoles(paths: string[]): AssignResult {
  const ignored = paths.filter((p) => !isNiftiName(p));
  const files: Assignment[] = [];
  const namings = new Set<Naming>();
  for (const name of paths.filter(isNiftiName)) {
    const r = roleFromName(name);
    if (r.naming !== 'unknown') namings.add(r.naming);
    files.push({ name, role: r.role, how: r.how });
  }
  const claimed = (role: Role) => files.filter((f) => f.role === role);
  const unassigned = files.filter((f) => f.role === null);
  if (unassigned.length === 1 && CHANNELS.every((c) => claimed(c).length > 0) && claimed('seg').length === 0) {
    unassigned[0].role = 'seg';
    unassigned[0].how = 'elimination';
  }
  const byRole: Partial<Record<Role, string>> = {};
  const duplicates: Role[] = [];
  const missing: Role[] = [];
  for (const role of ROLES) {
    const c = claimed(role);
    if (c.length === 0) missing.push(role);
    else byRole[role] = c[0].name;
    if (c.length > 1) duplicates.push(role);
  }
  const naming: Naming = namings.size === 0 ? 'unknown' : namings.size === 1 ? [...namings][0] : 'mixed';
  return { files, byRole, missing, duplicates, naming, ignored };
}

/** A name without its role part: `BraTS2021_00000_t1ce_bet` → `BraTS2021_00000`. */
function stem(path: string): string {
  const name = stripNiftiExtension(path);
  if (/[_\-.\s]\d{4}$/.test(name)) return name.slice(0, -5);
  const parts = name.split(/([_\-.\s]+)/);
  for (let i = parts.length - 1; i >= 2; i -= 2) {
    if (TOKENS[parts[i].toLowerCase()]) return parts.slice(0, i - 1).join('');
  }
  return name;
}

/** The case id a set of files shares: the common start of their names without the role parts. */
export function caseIdFromNames(paths: string[]): string {
  const stems = paths.filter(isNiftiName).map(stem);
  if (stems.length === 0) return '';
  let prefix = stems[0];
  for (const n of stems.slice(1)) {
    let i = 0;
    while (i < prefix.length && i < n.length && prefix[i] === n[i]) i++;
    prefix = prefix.slice(0, i);
  }
  return prefix.replace(/[_\-.\s]+$/, '') || stems[0];
}

/**
 * Groups the files of a folder by case (a dataset folder holds many; nnU-Net keeps a case's
 * images in imagesTr and its label in labelsTr). A name without a recognised role
 * (`case_fusion.nii.gz`) joins the case whose id starts it. Non-NIfTI files are left out.
 */
export function groupByCase<T extends { path: string }>(files: T[]): Map<string, T[]> {
  const nifti = files.filter((f) => isNiftiName(f.path));
  const ids = [...new Set(nifti.filter((f) => roleFromName(f.path).role !== null).map((f) => caseIdFromNames([f.path])))];
  const longestFirst = [...ids].sort((a, b) => b.length - a.length);
  const groups = new Map<string, T[]>();
  for (const f of nifti) {
    const own = caseIdFromNames([f.path]);
    const key = ids.includes(own) ? own : (longestFirst.find((id) => stripNiftiExtension(f.path).startsWith(id)) ?? own);
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return groups;
}
