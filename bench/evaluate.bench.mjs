// Benchmark: `bratslab evaluate`'s core (labs/evaluate: nnU-Net's metrics and the BraTS 2023
// lesion-wise metrics, WT/TC/ET) on full-size 240×240×155 pairs, on one core, against
// bench/evaluate-baseline.py (the same steps with nibabel/numpy/scipy, as the reference tools do
// them) on the same files in the same run. Prints seconds per pair and the ratio, and checks
// that both give the same numbers.
//   node bench/evaluate.bench.mjs      (needs dist-cli/bratslab.mjs: node scripts/build-cli.mjs)
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'dist-cli/bratslab.mjs');
if (!existsSync(cli)) throw new Error('dist-cli/bratslab.mjs is missing: run node scripts/build-cli.mjs first');
const python = [process.env.PYTHON, '/usr/bin/python3', 'python3'].find(
  (p) => p && spawnSync(p, ['-c', 'import nibabel, scipy'], { stdio: 'ignore' }).status === 0,
);

const dir = mkdtempSync(join(tmpdir(), 'evaluate-bench-'));
try {
  const entry = join(dir, 'entry.ts');
  writeFileSync(
    entry,
    `export * from '${root}labs/evaluate/index';
     export { readImage, writeNiftiGz } from '${root}labs/nifti/index';
     export { surfelAreas } from '${root}labs/evaluate/surfels';
     export { nodeCodec } from '${root}labs/cli/node-codec';
     export { nodeSource } from '${root}labs/cli/node-files';`,
  );
  await build({ entryPoints: [entry], outfile: join(dir, 'lib.mjs'), bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
  const lib = await import(pathToFileURL(join(dir, 'lib.mjs')).href);

  // Two synthetic full-size cases (BraTS 2023 values: 1 NCR, 2 ED, 3 ET) and two predictions
  // each: shifted by 3 voxels with a far false-positive blob, and ET eroded into NCR.
  const synth = spawnSync(process.execPath, [cli, 'synth', join(dir, 'raw'), '--layout', 'nnunet', '--scheme', 'keep', '--size', 'full', '--cases', '2', '--seed', '300', '--id', '611', '--name', 'Bench'], { stdio: 'ignore' });
  if (synth.status !== 0) throw new Error('bratslab synth failed');
  const gtDir = join(dir, 'raw/Dataset611_Bench/labelsTr');
  const predDir = join(dir, 'pred');
  const refDir = join(dir, 'ref');
  mkdirSync(predDir);
  mkdirSync(refDir);
  const pairs = [];
  for (const id of ['BraTS2021_00300', 'BraTS2021_00301']) {
    const { header, data } = await lib.readImage(lib.nodeSource(gtDir), `${id}.nii.gz`, { codec: lib.nodeCodec });
    const [X, Y, Z] = header.dims;
    const gt = Uint8Array.from(data);
    const shifted = new Uint8Array(gt.length);
    for (let i = 0; i < gt.length; i++) if (i % X >= 3) shifted[i] = gt[i - 3];
    for (let z = 20; z < 32; z++) for (let y = 20; y < 32; y++) for (let x = 20; x < 32; x++) shifted[x + X * (y + Y * z)] = 2;
    const eroded = gt.slice();
    for (let i = 0; i < gt.length; i++)
      if (gt[i] === 3 && [1, -1, X, -X, X * Y, -X * Y].some((d) => gt[i + d] !== 3)) eroded[i] = 1;
    for (const [variant, pred] of [['shifted', shifted], ['et-eroded', eroded]]) {
      const name = `${id}__${variant}.nii.gz`;
      const write = async (folder, volume) =>
        writeFileSync(join(folder, name), await lib.writeNiftiGz({ dims: [X, Y, Z], datatype: 'uint8', data: volume, affine: header.affine }, lib.nodeCodec));
      await write(predDir, pred);
      await write(refDir, gt);
      pairs.push(name);
    }
  }
  const set = lib.schemeRegions('keep');
  // CPU seconds as well as wall-clock: on a shared machine the wall clock measures the neighbours.
  const evaluate = (name) => lib.evaluateFiles(name, lib.nodeSource(predDir), name, lib.nodeSource(refDir), name, set, { metrics: ['nnunet', 'brats'], codec: lib.nodeCodec });
  // Warm-up, not counted: one pass over every pair lets the JIT compile the hot loops (a cold
  // first pair costs about twice as much CPU).
  for (const name of pairs) await evaluate(name);
  const ours = [];
  for (const name of pairs) {
    const t = performance.now();
    const c = process.cpuUsage();
    const r = await evaluate(name);
    const used = process.cpuUsage(c);
    ours.push({ name, seconds: (performance.now() - t) / 1000, cpu: (used.user + used.system) / 1e6, r });
  }
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const oursPerPair = mean(ours.map((o) => o.cpu));
  const oursWall = mean(ours.map((o) => o.seconds));
  console.log(`node ${process.version}, ${pairs.length} full-size pairs (240×240×155, uint8 .nii.gz), WT/TC/ET, nnU-Net + BraTS 2023 metrics, one core`);
  for (const o of ours) console.log(`  labs/evaluate  ${o.name}: ${o.cpu.toFixed(2)} s CPU, ${o.seconds.toFixed(2)} s wall`);
  if (!python) {
    console.log('baseline skipped: no python3 with nibabel and scipy (apt-get install python3-nibabel python3-scipy)');
    if (process.env.CI === 'true') process.exitCode = 1;
  } else {
    writeFileSync(join(dir, 'pairs.json'), JSON.stringify(pairs.map((n) => [join(predDir, n), join(refDir, n)])));
    writeFileSync(join(dir, 'areas.json'), JSON.stringify([...lib.surfelAreas([1, 1, 1])]));
    const run = spawnSync(python, [join(root, 'bench/evaluate-baseline.py'), join(dir, 'pairs.json'), join(dir, 'areas.json')], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (run.status !== 0) throw new Error(`baseline failed: ${run.stderr}`);
    const base = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    let worst = 0;
    for (const [i, b] of base.entries()) {
      console.log(`  baseline       ${pairs[i]}: ${b.cpu.toFixed(2)} s CPU, ${b.seconds.toFixed(2)} s wall`);
      for (const [region, m] of Object.entries(b.metrics)) {
        const o = ours[i].r.brats[region];
        const n = ours[i].r.nnunet[set.regions.find((r) => r.name === region).key];
        const diffs = [
          Math.abs((m.nnunet_dice ?? NaN) - n.Dice) || 0,
          Math.abs(m.tn - n.TN),
          Math.abs(m.legacy_dice - o.Legacy_Dice),
          Math.abs(m.legacy_hd95 - o.Legacy_HD95),
          Math.abs(m.lesionwise_dice - o.LesionWise_Score_Dice),
          Math.abs(m.lesionwise_hd95 - o.LesionWise_Score_HD95),
        ];
        worst = Math.max(worst, ...diffs);
      }
    }
    const basePerPair = mean(base.map((b) => b.cpu));
    console.log(`baseline (nibabel + numpy + scipy): ${basePerPair.toFixed(2)} s CPU per pair (${mean(base.map((b) => b.seconds)).toFixed(2)} s wall)`);
    console.log(`labs/evaluate:                      ${oursPerPair.toFixed(2)} s CPU per pair (${oursWall.toFixed(2)} s wall)  ratio ${(oursPerPair / basePerPair).toFixed(3)}, ${(basePerPair / oursPerPair).toFixed(1)}× faster`);
    console.log(`largest difference in any metric: ${worst.toExponential(2)}${worst > 1e-3 ? '  MISMATCH' : ''}`);
    if (worst > 1e-3) process.exitCode = 1;
  }
  console.log(`target: < 1 s CPU per pair on one core — ${oursPerPair < 1 ? 'met' : 'NOT met'}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
