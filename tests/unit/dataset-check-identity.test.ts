/**
 * Channel identity (labs/dataset-check/identity.ts) on datasets built from real MRI (one real
 * case, flipped, shifted and re-"scanned" with its own gain, offset, bias field and noise per case)
 * and from the generator (each scanner setting). The planted permutation is the expected value:
 * every ordered pair swap and three random 4-cycles in one case must be reported with the right
 * files, a permutation of every case as a channel_names mismatch, and a clean dataset must give no
 * channel finding, with labels and without (labels dropped, as for imagesTs cases).
 *
 * Each case is checked once; a planted permutation re-checks only its case, reading the same
 * files in the permuted order, then runs the cross-case step on all results.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeCodec } from '../../labs/cli/node-codec';
import { nodeSink, nodeSource } from '../../labs/cli/node-files';
import { convertBrats } from '../../labs/convert';
import { checkCase, checkDataset, contrastOf, finishCheck, planCheck, type CaseResult, type CheckPlan } from '../../labs/dataset-check/index';
import { readImage, writeNiftiGz } from '../../labs/nifti/index';
import { memorySource, type FileSource } from '../../labs/shared/files';
import type { Finding } from '../../labs/shared/findings';
import { createRng } from '../../labs/shared/prng';
import type { ScannerId } from '../../labs/synth/contrast';
import { writeBrats, writeNnunet } from '../../labs/synth/dataset';
import { seedBlock, tinyNnunet } from '../helpers/synth';
import { DU, FG, hasReal, writeRealDataset } from '../helpers/real-dataset';
import { memorySink } from '../helpers/memory-sink';

const tmp = mkdtempSync(join(tmpdir(), 'dc-identity-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const CHANNEL_RULES = new Set(['dataset.channel-swap', 'dataset.channel-names-mismatch']);
/** What a user would read for each declared name (written out by hand). */
const SHOWN: Record<string, string> = { T1: 'T1', T1ce: 'T1ce', T2: 'T2', FLAIR: 'FLAIR', Flair: 'FLAIR' };

describe('contrast names', () => {
  it('reads the contrast from the usual spellings of channel_names, and nothing from others', () => {
    const expected: Record<string, string | null> = {
      T1: 't1', t1n: 't1', T1w: 't1', T1ce: 't1ce', t1c: 't1ce', T1Gd: 't1ce', 'T1-CE': 't1ce', 'T1 post-contrast': 't1ce',
      T2: 't2', t2w: 't2', FLAIR: 'flair', Flair: 'flair', t2f: 'flair', 'T2-FLAIR': 'flair', CT: null, PET: null, noNorm: null, T2star: null,
    };
    for (const [name, c] of Object.entries(expected)) expect(contrastOf(name), name).toBe(c);
  });
});

/** The 12 ordered pairs (a, b): channels a and b trade files. */
const PAIRS = [0, 1, 2, 3].flatMap((a) => [0, 1, 2, 3].filter((b) => b !== a).map((b) => [a, b] as const));
const swapOf = (a: number, b: number) => [0, 1, 2, 3].map((c) => (c === a ? b : c === b ? a : c));
/** Three distinct 4-cycles (file i gets channel perm[i]), drawn with the project's PRNG. */
function fourCycles(seed: number): number[][] {
  const rng = createRng(seed);
  const out: number[][] = [];
  while (out.length < 3) {
    const order = rng.shuffle([1, 2, 3]);
    const perm = new Array<number>(4);
    let at = 0;
    for (const next of order) {
      perm[at] = next;
      at = next;
    }
    perm[at] = 0;
    if (!out.some((p) => p.join() === perm.join())) out.push(perm);
  }
  return out;
}

interface Checked {
  source: FileSource;
  plan: CheckPlan;
  results: CaseResult[];
  names: string[];
}

async function checkOnce(folder: string, labels: boolean): Promise<Checked> {
  const source = nodeSource(folder);
  const plan = await planCheck(source);
  if (!labels) for (const t of plan.tasks) t.task = { ...t.task, label: undefined };
  const results = [];
  for (const { task, ctx } of plan.tasks) results.push(await checkCase(source, task, ctx, { codec: nodeCodec }));
  return { source, plan, results, names: plan.datasets[0].config!.channels };
}

/** Re-checks case k with file i reading channel perm[i]'s file (every case when k is 'all'); returns the channel findings. */
async function planted(c: Checked, k: number | 'all', perm: number[]): Promise<Finding[]> {
  const results = [...c.results];
  for (const [i, { task, ctx }] of c.plan.tasks.entries()) {
    if (k !== 'all' && i !== k) continue;
    const images = perm.map((src, f) => ({ channel: f, path: task.images[src].path }));
    results[i] = await checkCase(c.source, { ...task, images }, ctx, { codec: nodeCodec });
  }
  return finishCheck(c.plan, results).findings.filter((f) => CHANNEL_RULES.has(f.rule));
}

const inverse = (perm: number[]) => perm.map((_, i) => perm.indexOf(i));
const file = (c: Checked, f: number) => `_${String(f).padStart(4, '0')} (${c.names[f]})`;

async function expectFound(c: Checked, k: number, perm: number[]): Promise<void> {
  const found = await planted(c, k, perm);
  const id = c.plan.tasks[k].task.id;
  expect(found.map((f) => [f.rule, f.case]), `perm ${perm} in ${id}`).toEqual([['dataset.channel-swap', id]]);
  expect(found[0].evidence?.permutation).toEqual(inverse(perm));
  // File f now holds channel perm[f]: the message says so in words.
  for (let f = 0; f < 4; f++) if (perm[f] !== f) expect(found[0].message).toContain(`${file(c, f)} looks like ${file(c, perm[f])}`);
  expect(['high', 'medium']).toContain(found[0].evidence?.confidence);
}

async function expectDatasetWide(c: Checked, perm: number[]): Promise<void> {
  const found = await planted(c, 'all', perm);
  expect(found.map((f) => f.rule)).toEqual(['dataset.channel-names-mismatch']);
  const expected = Object.fromEntries(perm.map((src, f) => [`_${String(f).padStart(4, '0')}`, SHOWN[c.names[src]]]));
  expect(found[0].evidence?.filesBehaveLike).toEqual(expected);
  for (let f = 0; f < 4; f++) if (perm[f] !== f) expect(found[0].message).toContain(`${file(c, f)} behaves like ${SHOWN[c.names[perm[f]]]}`);
}

/** The whole battery on one dataset folder, with and without labels. */
function battery(name: string, folder: () => Promise<string>, opts: { cycles: number; caseCount: number }) {
  describe(name, () => {
    for (const labels of [true, false]) {
      const state: { c?: Checked } = {};
      const get = async () => (state.c ??= await checkOnce(await folder(), labels));
      const tag = labels ? 'with labels' : 'without labels';
      it(`clean: no channel finding (${tag})`, async () => {
        const c = await get();
        expect(c.results.length).toBe(opts.caseCount);
        expect(c.results.every((r) => r.relations)).toBe(true);
        expect(finishCheck(c.plan, c.results).findings.filter((f) => CHANNEL_RULES.has(f.rule))).toEqual([]);
      });
      it(`every ordered pair swap in one case is found with its files (${tag})`, async () => {
        const c = await get();
        for (const [a, b] of PAIRS) await expectFound(c, a < b ? 1 : 4, swapOf(a, b));
      });
      it(`three random 4-cycles in one case are found with their files (${tag})`, async () => {
        const c = await get();
        for (const [i, perm] of fourCycles(opts.cycles).entries()) await expectFound(c, [2, 3, 5][i], perm);
      });
      it(`a whole dataset whose channel_names do not match the files (${tag})`, async () => {
        const c = await get();
        await expectDatasetWide(c, [3, 1, 2, 0]); // FLAIR written as _0000, T1 as _0003
        await expectDatasetWide(c, [1, 2, 3, 0]);
      });
    }
  });
}

for (const scanner of ['a', 'b', 'c'] as ScannerId[]) {
  let made: Promise<string> | undefined;
  const folder = () =>
    (made ??= (async () => {
      const dir = join(tmp, `synth-${scanner}`);
      const [ds] = await writeNnunet(nodeSink(dir), tinyNnunet(seedBlock(60 + scanner.charCodeAt(0), 6), { size: 'web', scanners: [scanner] }), nodeCodec, 60);
      return join(dir, ds.folder);
    })());
  battery(`generator, scanner ${scanner}, 2 mm`, folder, { cycles: scanner.charCodeAt(0), caseCount: 6 });
}

for (const real of [DU, FG]) {
  let made: Promise<string> | undefined;
  const folder = () => (made ??= writeRealDataset(join(tmp, real.id), real, { cases: 6, testCases: 2, mm: 2, seed: 3 }).then((d) => d.folder));
  describe.skipIf(!hasReal(real))(`real ${real === DU ? 'TCGA-DU-7294' : 'TCGA-FG-6692 (held out, local only)'}`, () => {
    battery('8 re-scanned copies at 2 mm', folder, { cycles: 7, caseCount: 8 });
  });
}

describe.skipIf(!hasReal(DU))('real TCGA-DU-7294 at 1 mm', () => {
  let made: Promise<string> | undefined;
  const folder = () => (made ??= writeRealDataset(join(tmp, 'du-1mm'), DU, { cases: 6, mm: 1, seed: 5 }).then((d) => d.folder));
  for (const labels of [true, false]) {
    it(`clean: no channel finding; a T1/FLAIR swap is found (${labels ? 'with' : 'without'} labels)`, async () => {
      const c = await checkOnce(await folder(), labels);
      expect(finishCheck(c.plan, c.results).findings.filter((f) => CHANNEL_RULES.has(f.rule))).toEqual([]);
      await expectFound(c, 1, swapOf(0, 3));
    });
  }
});

/** BraTS 2023 names and labels (t1n, t1c, t2w, t2f; ET 3) from generated BraTS 2021 files, with some files exchanged. */
async function brats2023(files: Record<string, Uint8Array>, swaps: { cases: 'all' | string; a: string; b: string }[]): Promise<Record<string, Uint8Array>> {
  const names: Record<string, string> = { t1: 't1n', t1ce: 't1c', t2: 't2w', flair: 't2f', seg: 'seg' };
  const out: Record<string, Uint8Array> = {};
  for (const [path, bytes] of Object.entries(files)) {
    const m = /^(?:.*\/)?BraTS2021_(\d+)\/BraTS2021_\d+_(t1|t1ce|t2|flair|seg)\.nii\.gz$/.exec(path);
    if (!m) continue;
    const id = `BraTS-GLI-${m[1].padStart(5, '0')}-000`;
    let role = names[m[2]];
    for (const s of swaps) if (s.cases === 'all' || s.cases === id) role = role === s.a ? s.b : role === s.b ? s.a : role;
    let data = bytes;
    if (role === 'seg') {
      const { data: seg, header } = await readImage(memorySource('m', { f: bytes }), 'f', { codec: nodeCodec });
      const lab = Uint8Array.from(seg as Uint8Array, (v) => (v === 4 ? 3 : v));
      data = await writeNiftiGz({ dims: header.dims.slice(0, 3), datatype: 'uint8', data: lab, affine: header.affine, pixdim: header.zooms.slice(0, 3) }, nodeCodec);
    }
    out[`raw/${id}/${id}-${role}.nii.gz`] = data;
  }
  return out;
}

describe('generator → BraTS 2023 names → bratslab convert → check', () => {
  let raw: Promise<Record<string, Uint8Array>> | undefined;
  const generated = () =>
    (raw ??= (async () => {
      const sink = memorySink();
      await writeBrats(sink, { ...tinyNnunet(seedBlock(70, 6), { size: 'web', scanners: ['a', 'b', 'c'] }), layout: 'brats' }, nodeCodec);
      return sink.files;
    })());
  const convertAndCheck = async (swaps: Parameters<typeof brats2023>[1]) => {
    const out = memorySink();
    const report = await convertBrats(memorySource('raw', await brats2023(await generated(), swaps)), out, { id: 137, name: 'BraTS2023', scheme: 'nnunet137', regions: true, link: false, force: false, codec: nodeCodec });
    expect(report.findings).toEqual([]);
    const check = await checkDataset(memorySource('nnUNet_raw', out.files), { codec: nodeCodec });
    return check.findings.filter((f) => f.severity === 'error' || CHANNEL_RULES.has(f.rule));
  };
  it('a clean conversion: no error, no channel finding', async () => {
    expect(await convertAndCheck([])).toEqual([]);
  });
  it('t1c and t2f exchanged in one case: that case, those files', async () => {
    const found = await convertAndCheck([{ cases: 'BraTS-GLI-07002-000', a: 't1c', b: 't2f' }]);
    expect(found.map((f) => [f.rule, f.case])).toEqual([['dataset.channel-swap', 'BraTS-GLI-07002-000']]);
    expect(found[0].message).toContain('_0001 (T1ce) looks like _0003 (Flair)');
    expect(found[0].message).toContain('_0003 (Flair) looks like _0001 (T1ce)');
  });
  it('t1n and t2f exchanged in every case: channel_names do not match', async () => {
    const found = await convertAndCheck([{ cases: 'all', a: 't1n', b: 't2f' }]);
    expect(found.map((f) => f.rule)).toEqual(['dataset.channel-names-mismatch']);
    expect(found[0].evidence?.filesBehaveLike).toEqual({ _0000: 'FLAIR', _0001: 'T1ce', _0002: 'T2', _0003: 'T1' });
  });
});

