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
import { CONTRAST_NAMES, CONTRASTS, contrastOf, permutations, physicsScores, relationVector, structured, type CaseRelations } from './identity';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const r2 = (x: number) => +x.toFixed(2);
const chName = (plan: DatasetPlan, c: number) => `_${String(c).padStart(4, '0')} (${plan.config?.channels[c] ?? '?'})`;

/** Fewer cases than this give no trustworthy consensus. */
const SWAP_MIN_CASES = 4;
/** A case's relations must fit a reordering this many times better than the declared order (mean squared z). */
const CONSENSUS_RATIO = 4;
const CONSENSUS_FLOOR = 1;
/** Physics: the best ordering must beat the reference ordering by this much (sum of rule values, robust z units). */
const PHYSICS_GAP = 1;
/** One method alone decides only with this much more evidence. */
const PHYSICS_ALONE = 2;
const CONSENSUS_ALONE = 12;

/**
 * Channel identity across a dataset (identity.ts):
 * - physics (four channels named like the BraTS contrasts): each case's best assignment of
 *   contrasts to files; when most cases agree on one that is not what channel_names declare, the
 *   whole dataset is mislabelled (`dataset.channel-names-mismatch`);
 * - consensus: each case's scale-free channel relations against the dataset's median; a case whose
 *   files fit the others much better reordered is permuted (`dataset.channel-swap`), when physics
 *   agrees (or one method is overwhelming). Nothing is said on weak evidence.
 */
function channelIdentity(plan: DatasetPlan, results: CaseResult[], out: Finding[]): void {
  const cfg = plan.config;
  const n = cfg?.channels.length ?? 0;
  if (!cfg || n < 2 || n > 6) return;
  // Channels without shared anatomy (noise, phantoms) are not judged: silence on weak evidence.
  const usable = results.filter((r) => r.relations && r.relations.corr.length === n && structured(r.relations));
  const perms = permutations(n);
  const isId = (p: number[]) => p.every((c, i) => c === i);
  const same = (a: number[], b: number[]) => a.every((c, i) => c === b[i]);
  const rels = (r: CaseResult) => r.relations as CaseRelations;

  // Physics, where channel_names name the four BraTS contrasts. A perm p says: file p[i] holds
  // what channel i declares.
  const declared = cfg.channels.map(contrastOf);
  const physics = n === 4 && declared.every((c) => c !== null) && new Set(declared).size === 4;
  const physicsOf = (r: CaseResult, p: number[]) => physicsScores(rels(r), CONTRASTS.map((c) => p[declared.indexOf(c)]));
  const total = (o: Record<string, number>) => Object.values(o).reduce((s, x) => s + x, 0);
  const phys = physics
    ? new Map(
        usable.map((r) => {
          const scores = perms.map((p) => total(physicsOf(r, p)));
          let b = 0;
          for (let k = 1; k < perms.length; k++) if (scores[k] > scores[b]) b = k;
          return [r, { scores, best: perms[b] }];
        }),
      )
    : undefined;
  const physScore = (r: CaseResult, p: number[]) => phys!.get(r)!.scores[perms.findIndex((q) => same(q, p))];

  // Whole dataset: most cases agree on an assignment that is not the declared one.
  let reference = perms.find(isId)!;
  if (phys && usable.length >= 3) {
    const votes = new Map<string, CaseResult[]>();
    for (const r of usable) {
      const { best } = phys.get(r)!;
      if (!isId(best) && physScore(r, best) - physScore(r, reference) >= PHYSICS_GAP) votes.set(best.join(), [...(votes.get(best.join()) ?? []), r]);
    }
    const [key, voters] = [...votes].sort((a, b) => b[1].length - a[1].length)[0] ?? [];
    if (key && voters.length >= Math.max(3, Math.ceil(0.6 * usable.length))) {
      const best = key.split(',').map(Number);
      const gap = median(voters.map((r) => physScore(r, best) - physScore(r, reference)));
      const rules = (p: number[]) => Object.fromEntries(Object.keys(physicsOf(voters[0], p)).map((k) => [k, r2(median(voters.map((r) => physicsOf(r, p)[k] ?? 0)))]));
      // File f holds what channel i declares: best[i] = f.
      const holds = best.map((f, i) => ({ file: f, is: declared[i]! })).filter((x, i) => x.file !== i).sort((a, b) => a.file - b.file);
      out.push(
        finding('dataset.channel-names-mismatch', {
          path: plan.root ? `${plan.root}/dataset.json` : 'dataset.json',
          message: `${plan.name}: channel_names do not match the files: in ${voters.length} of ${usable.length} cases ${holds.map((x) => `${chName(plan, x.file)} behaves like ${CONTRAST_NAMES[x.is]}`).join(', ')}.`,
          evidence: {
            confidence: voters.length === usable.length && gap >= 2 * PHYSICS_GAP ? 'high' : 'medium',
            cases: voters.length,
            casesJudged: usable.length,
            filesBehaveLike: Object.fromEntries(best.map((f, i) => [`_${String(f).padStart(4, '0')}`, CONTRAST_NAMES[declared[i]!]])),
            scoreGap: r2(gap),
            rulesDeclared: rules(reference),
            rulesFound: rules(best),
          },
        }),
      );
      reference = best;
    }
  }

  // Consensus of the relations, in each case's declared file order.
  let consensus: { cost: (r: CaseResult, p: number[]) => number } | undefined;
  if (usable.length >= SWAP_MIN_CASES) {
    const vecs = usable.map((r) => relationVector(rels(r), perms.find(isId)!));
    const dim = vecs[0].length;
    const mid = Array.from({ length: dim }, (_, k) => median(vecs.map((v) => v[k])));
    const scale = Array.from({ length: dim }, (_, k) => Math.max(0.1, 1.4826 * median(vecs.map((v) => Math.abs(v[k] - mid[k])))));
    consensus = { cost: (r, p) => relationVector(rels(r), p).reduce((s, x, k) => s + ((x - mid[k]) / scale[k]) ** 2, 0) / dim };
  }

  for (const r of usable) {
    // Consensus: which reordering of this case fits the others best (p[i] = file holding the others' channel i).
    let cBest: number[] | undefined;
    let cRatio = 0;
    let cCost: number[] = [];
    if (consensus) {
      cCost = perms.map((p) => consensus!.cost(r, p));
      let b = 0;
      for (let k = 1; k < perms.length; k++) if (cCost[k] < cCost[b]) b = k;
      const id = cCost[perms.findIndex(isId)];
      cBest = perms[b];
      cRatio = id / (cCost[b] + CONSENSUS_FLOOR);
    }
    // Physics relative to the reference: file best[j] holds contrast declared[j]; in the others it is file reference[j].
    let pBest: number[] | undefined;
    let pGap = 0;
    if (phys) {
      const { best } = phys.get(r)!;
      pBest = Array.from({ length: n }, (_, i) => best[reference.indexOf(i)]);
      pGap = physScore(r, best) - physScore(r, reference);
    }
    const consensusSays = cBest && !isId(cBest) && cRatio >= CONSENSUS_RATIO;
    const physicsSays = pBest && !isId(pBest) && pGap >= PHYSICS_GAP;
    let perm: number[] | undefined;
    let confidence: 'high' | 'medium' = 'medium';
    if (consensusSays && physicsSays && same(cBest!, pBest!)) {
      perm = cBest;
      confidence = 'high';
    } else if (physicsSays && pGap >= PHYSICS_ALONE && (!consensus || !consensusSays)) perm = pBest;
    else if (consensusSays && !phys) perm = cBest;
    else if (consensusSays && cRatio >= CONSENSUS_ALONE && !physicsSays && physScore(r, reference.map((f) => cBest![f])) >= physScore(r, reference)) perm = cBest;
    if (!perm) continue;
    const moved = perm.map((f, i) => ({ file: f, looksLike: i })).filter((x) => x.file !== x.looksLike).sort((a, b) => a.file - b.file);
    out.push(
      finding('dataset.channel-swap', {
        case: r.id,
        path: `${r.dataset ? r.dataset + '/' : ''}${r.split === 'train' ? 'imagesTr' : 'imagesTs'}/${r.id}_${String(moved[0].file).padStart(4, '0')}${cfg.fileEnding}`,
        message: `Case "${r.id}": ${moved.map((x) => `${chName(plan, x.file)} looks like ${chName(plan, x.looksLike)}`).join('; ')} of the other cases.`,
        evidence: {
          confidence,
          permutation: perm,
          ...(consensus ? { consensusCostDeclared: r2(cCost[perms.findIndex(isId)]), consensusCostBest: r2(Math.min(...cCost)), consensusRatio: r2(cRatio) } : {}),
          ...(phys ? { physicsGap: r2(pGap), rulesDeclared: roundAll(physicsOf(r, reference)), rulesFound: roundAll(physicsOf(r, phys.get(r)!.best)) } : {}),
          lesionRules: rels(r).lesion !== undefined,
          brainSamples: rels(r).brainSamples,
        },
      }),
    );
  }
}

/** The BraTS grid (Baid et al. 2021): 240 × 240 × 155 voxels of 1 mm, SRI24 space. */
const BRATS_SHAPE = [240, 240, 155];

/** Channels named like the four BraTS contrasts, on another grid: say what that means (info). */
function bratsGeometry(plan: DatasetPlan, results: CaseResult[], out: Finding[]): void {
  const names = plan.config?.channels ?? [];
  const contrasts = names.map(contrastOf);
  if (names.length !== 4 || contrasts.some((c) => c === null) || new Set(contrasts).size !== 4) return;
  const withGrid = results.filter((r) => r.grid);
  const off = withGrid.filter((r) => !r.grid!.shape.every((d, i) => d === BRATS_SHAPE[i]) || !r.grid!.spacing.every((s) => Math.abs(s - 1) < 1e-3));
  if (!off.length) return;
  const g = (r: CaseResult) => `${r.grid!.shape.join('×')} at ${r.grid!.spacing.map((s) => +s.toFixed(3)).join('×')} mm`;
  out.push(
    finding('dataset.brats-geometry', {
      path: plan.root || undefined,
      message: `${plan.name}: the channels are named like BraTS (${names.join(', ')}), but ${off.length} of ${withGrid.length} cases are not on the BraTS grid of 240×240×155 voxels at 1 mm (e.g. ${off[0].id}: ${g(off[0])}). nnU-Net plans for whatever grid it gets, so training works; but a model trained here sees a different resolution than BraTS models and BraTS labels, and its predictions must be resampled to the BraTS grid before they are scored against BraTS labels or submitted.`,
      evidence: { bratsGrid: { shape: BRATS_SHAPE, spacing: [1, 1, 1] }, casesOff: off.length, cases: withGrid.length, examples: off.slice(0, 5).map((r) => ({ case: r.id, shape: r.grid!.shape, spacing: r.grid!.spacing })) },
    }),
  );
}

const roundAll = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, r2(v)]));

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

  bratsGeometry(plan, results, out);
  channelIdentity(plan, results, out);
  return out;
}
