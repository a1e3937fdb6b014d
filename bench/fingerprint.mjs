// Benchmark of the planner's dataset fingerprint (issue 13), all in one run, on the 8 full-size
// cases of Dataset601 (`bratslab synth --cases 8 --seed 100 --size full`, cached in $BENCH_DIR,
// default /tmp/bratslab-bench-fp):
//  1. baseline: nnU-Net's fingerprint extraction as numpy runs it (bench/fingerprint-baseline.py,
//     2 processes, as the 31.8 s measurement of nnU-Net itself);
//  2. `bratslab plan DATASET --json` (Node 20 bundle): fingerprint with the expected-count weighting;
//  3. the same with --exact-sampling (numpy's own draws, identical values);
//  4. `bratslab check` with and without --fingerprint (same full pass), CPU seconds of all threads,
//     median of 3 runs each: the fingerprint's extra cost on the check (target < 15 %).
// Prints seconds per case and the ratios. Target: ≥ 5× faster per case than the baseline.
// Run: node bench/fingerprint.mjs   (or npm run bench -- fingerprint)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const BENCH = process.env.BENCH_DIR ?? '/tmp/bratslab-bench-fp';
const NODE20 = existsSync('/usr/bin/node') ? '/usr/bin/node' : process.execPath;
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const CLI = join(ROOT, 'dist-cli/bratslab.mjs');
const DS = join(BENCH, 'Dataset601_SynthFull');

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, cwd: ROOT });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
};

run(process.execPath, [join(ROOT, 'scripts/build-cli.mjs')]);
if (!existsSync(join(DS, 'dataset.json'))) {
  console.log(`generating Dataset601 (8 full-size cases) in ${BENCH} (once; about a minute)…`);
  run(NODE20, [CLI, 'synth', BENCH, '--layout', 'nnunet', '--cases', '8', '--seed', '100', '--size', 'full', '--id', '601', '--name', 'SynthFull', '--force']);
}

const base = JSON.parse(run(PYTHON, [join(ROOT, 'bench/fingerprint-baseline.py'), DS, '2']).trim());
const timedPlan = (extra) => {
  const t0 = performance.now();
  const out = JSON.parse(run(NODE20, [CLI, 'plan', DS, '--json', ...extra]));
  return { wall: (performance.now() - t0) / 1000, fingerprint: out.fingerprintSeconds, patch: out.configurations['3d_fullres'].patchSize, plans: out.plans };
};
const fast = timedPlan([]);
const exact = timedPlan(['--exact-sampling']);

/** Median CPU seconds (user + system, all threads) of three runs. */
const cpu = (args) => {
  const runs = [0, 1, 2].map(() => {
    const r = spawnSync('/usr/bin/time', ['-f', 'cpu=%U+%S', NODE20, CLI, ...args], { encoding: 'utf8', cwd: ROOT });
    const [u, sy] = /cpu=([\d.]+)\+([\d.]+)/.exec(r.stderr).slice(1).map(Number);
    return u + sy;
  });
  return runs.sort((a, b) => a - b)[1];
};
const checkArgs = ['check', DS, '--jobs', '2', '--no-progress'];
const plainCpu = cpu(checkArgs);
const fpCpu = cpu([...checkArgs, '--fingerprint', join(BENCH, 'check-fingerprint.json')]);

const n = base.cases;
const ref = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/nnunet-plans/Dataset601_SynthFull/dataset_fingerprint.json'), 'utf8'));
const perCase = (s) => `${(s / n).toFixed(2)} s/case`;
console.log(
  [
    `baseline, nnU-Net's extraction in numpy (${base.processes} processes): ${base.seconds.toFixed(1)} s for ${n} cases, ${perCase(base.seconds)}; shapes after crop ${JSON.stringify(base.shapes) === JSON.stringify(ref.shapes_after_crop) ? 'match' : 'DIFFER from'} nnU-Net's`,
    `bratslab plan, fingerprint (expected counts, 1 thread): ${fast.fingerprint.toFixed(1)} s, ${perCase(fast.fingerprint)} → ${(base.seconds / fast.fingerprint).toFixed(1)}× faster per case (target ≥ 5×); whole command ${fast.wall.toFixed(1)} s`,
    `bratslab plan --exact-sampling (numpy's draws): ${exact.fingerprint.toFixed(1)} s, ${perCase(exact.fingerprint)} → ${(base.seconds / exact.fingerprint).toFixed(1)}×; channel 0 mean ${exact.plans.foreground_intensity_properties_per_channel['0'].mean} (nnU-Net: ${ref.foreground_intensity_properties_per_channel['0'].mean})`,
    `bratslab check, CPU of all threads (median of 3): ${plainCpu.toFixed(2)} s; with --fingerprint ${fpCpu.toFixed(2)} s → +${((fpCpu / plainCpu - 1) * 100).toFixed(0)} % (target < 15 %)`,
    `3d_fullres patch: ${fast.patch.join('×')}`,
    `load average: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} (shared cores slow every figure; the ratio is what compares)`,
  ].join('\n'),
);
