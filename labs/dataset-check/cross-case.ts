/**
 * Checks across cases, run once every case result is in: declared labels no case contains,
 * orientation that varies, identical content under two ids, and channels that look permuted.
 * None of these exist in nnU-Net (nnunet-facts.md §7).
 */
import type { Finding } from '../shared/findings';
import type { CaseResult } from './case';
import type { DatasetPlan } from './layout';
import { finding } from './rules';
import { groupBy } from './group';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  const out: number[][] = [];
  for (const p of permutations(n - 1)) for (let i = 0; i <= p.length; i++) out.push([...p.slice(0, i), n - 1, ...p.slice(i)]);
  return out;
}

/** Fewer cases than this give no trustworthy consensus fingerprint. */
export const SWAP_MIN_CASES = 4;

/**
 * Channel-swap detector. Each channel's fingerprint (scale-free intensity percentiles inside the
 * brain) is compared with the dataset's consensus for every channel; a case is flagged when a
 * permutation of its channels fits the consensus much better than the declared order.
 */
function channelSwaps(plan: DatasetPlan, results: CaseResult[], out: Finding[]): void {
  const n = plan.config?.channels.length ?? 0;
  if (n < 2 || n > 6) return;
  const usable = results.filter((r) => r.fingerprints?.length === n && r.fingerprints.every((f) => f !== null && f !== undefined));
  if (usable.length < SWAP_MIN_CASES) return;
  const dim = usable[0].fingerprints![0]!.length;
  const consensus = Array.from({ length: n }, (_, c) => Array.from({ length: dim }, (_, k) => median(usable.map((r) => r.fingerprints![c]![k]))));
  // Per-feature scale: the typical spread of that feature across cases (median absolute deviation), floored.
  const scale = Array.from({ length: dim }, (_, k) =>
    Math.max(0.02, median(Array.from({ length: n }, (_, c) => 1.4826 * median(usable.map((r) => Math.abs(r.fingerprints![c]![k] - consensus[c][k])))))),
  );
  const cost = (fp: number[], c: number) => fp.reduce((s, x, k) => s + ((x - consensus[c][k]) / scale[k]) ** 2, 0);
  const perms = permutations(n);
  for (const r of usable) {
    const fps = r.fingerprints as number[][];
    const m = fps.map((fp) => consensus.map((_, c) => cost(fp, c)));
    const total = (p: number[]) => p.reduce((s, c, i) => s + m[i][c], 0);
    const identity = total(perms.find((p) => p.every((c, i) => c === i))!);
    let best = perms[0];
    for (const p of perms) if (total(p) < total(best)) best = p;
    const bestCost = total(best);
    // Clearly better: the declared order costs several times the best order, beyond normal variation.
    if (best.some((c, i) => c !== i) && identity > 4 * bestCost + 10 * n) {
      const moved = best.map((c, i) => ({ file: i, looksLike: c })).filter((x) => x.file !== x.looksLike);
      const name = (c: number) => `${String(c).padStart(4, '0')} (${plan.config!.channels[c] ?? '?'})`;
      out.push(
        finding('dataset.channel-swap', {
          case: r.id,
          path: `${r.dataset ? r.dataset + '/' : ''}imagesTr/${r.id}_${String(moved[0].file).padStart(4, '0')}${plan.config!.fileEnding}`,
          message: `Case "${r.id}": ${moved.map((x) => `channel _${name(x.file)} looks like _${name(x.looksLike)}`).join('; ')} of the other cases.`,
          evidence: { permutation: best, costDeclared: +identity.toFixed(2), costBest: +bestCost.toFixed(2), fingerprints: fps.map((f) => f.map((x) => +x.toFixed(4))), consensus: consensus.map((f) => f.map((x) => +x.toFixed(4))) },
        }),
      );
    }
  }
}

export function crossCaseFindings(plan: DatasetPlan, results: CaseResult[], full: boolean): Finding[] {
  const out: Finding[] = [];
  const train = results.filter((r) => r.split === 'train');
  const cfg = plan.config;

  // Declared labels no case contains (verify_dataset_integrity.py never looks).
  const read = train.filter((r) => r.labelValues);
  if (full && cfg && read.length) {
    const seen = new Set(read.flatMap((r) => r.labelValues!));
    for (const l of cfg.labels) {
      if (l.name === 'background') continue;
      const miss = l.values.filter((v) => !seen.has(v));
      if (miss.length === l.values.length) {
        out.push(finding('dataset.label-unused', { path: plan.root ? `${plan.root}/dataset.json` : 'dataset.json', message: `Label "${l.name}" (${l.values.join(', ')}) occurs in none of the ${read.length} label files read.`, evidence: { label: l.name, values: l.values, labelFiles: read.length } }));
      }
    }
  }

  // Orientation (nnU-Net's SimpleITK reader does not reorient).
  const byOri = new Map([...groupBy(results, (r) => r.orientation)].map(([o, rs]) => [o, rs.map((r) => r.id)]));
  if (byOri.size > 1) {
    const counts = [...byOri].sort((a, b) => b[1].length - a[1].length);
    out.push(
      finding('dataset.orientation-varies', {
        path: plan.root || undefined,
        message: `${plan.name}: cases come in ${byOri.size} orientations: ${counts.map(([o, ids]) => `${o} ×${ids.length}`).join(', ')} (e.g. ${counts[1][0]}: ${counts[1][1].slice(0, 3).join(', ')}).`,
        evidence: Object.fromEntries(counts.map(([o, ids]) => [o, ids.length > 20 ? ids.slice(0, 20).concat(`… ${ids.length - 20} more`) : ids])),
      }),
    );
  }

  // Identical image content under two ids: a copied case, or one patient twice (leaks across folds).
  const byHash = groupBy(results, (r) => r.contentHash);
  for (const group of byHash.values()) {
    if (group.length < 2) continue;
    const [first, ...rest] = group;
    for (const r of rest) {
      out.push(
        finding('dataset.duplicate-case', {
          case: r.id,
          path: `${r.dataset ? r.dataset + '/' : ''}${r.split === 'train' ? 'imagesTr' : 'imagesTs'}/${r.id}_0000${cfg?.fileEnding ?? ''}`,
          message: `Case "${r.id}" has the same image content as "${first.id}"${r.split !== first.split ? ` (one in ${first.split === 'train' ? 'imagesTr' : 'imagesTs'}, one in ${r.split === 'train' ? 'imagesTr' : 'imagesTs'})` : ''}.`,
          evidence: { ids: group.map((g) => g.id), hash: r.contentHash },
        }),
      );
    }
  }

  channelSwaps(plan, train, out);
  return out;
}
