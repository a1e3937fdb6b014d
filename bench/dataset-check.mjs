// Benchmark of `bratslab check` (issue 4, "Speed and robustness"), all in one run:
//  1. full check of a generated BraTS-size dataset (240×240×155, four int16 channels + uint8
//     label per case) with the CLI bundle on Node 20, against the nibabel baseline
//     (bench/dataset-check-baseline.py: nnU-Net's per-file work), both on the same number of
//     processes/threads; prints the ratio and the time projected to 1,251 cases;
//  2. `--headers` on 1,251 cases (hard links of the generated cases under 1,251 names);
//  3. peak memory (maximum resident set size, from /usr/bin/time) of each CLI run.
// Targets: ratio ≥ 3, projection ≤ 75 s, headers < 5 s, peak memory < 1 GB.
// The dataset is generated once with `bratslab synth` and cached in $BENCH_DIR (default
// /tmp/bratslab-bench-dc); generating 40 full-size cases takes several minutes.
// Run: node bench/dataset-check.mjs [cases=40] [jobs=2]
import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const cases = Number(process.argv[2] ?? 40);
const jobs = Number(process.argv[3] ?? 2);
const ROOT = resolve(new URL('..', import.meta.url).pathname);
const BENCH = process.env.BENCH_DIR ?? '/tmp/bratslab-bench-dc';
const NODE20 = existsSync('/usr/bin/node') ? '/usr/bin/node' : process.execPath;
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const CLI = join(ROOT, 'dist-cli/bratslab.mjs');
const ID = 540;
const DS = join(BENCH, `raw-${cases}`, `Dataset${ID}_Bench`);
const HDR = join(BENCH, 'headers-1251', `Dataset${ID + 1}_Bench1251`);

const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r;
};
/** Wall seconds, CPU seconds (user + system, all threads) and peak RSS (MB) of one command. */
const timed = (cmd, args) => {
  const t0 = performance.now();
  const r = run('/usr/bin/time', ['-f', 'maxrss_kb=%M cpu=%U+%S', cmd, ...args]);
  const seconds = (performance.now() - t0) / 1000;
  const kb = Number(/maxrss_kb=(\d+)/.exec(r.stderr)?.[1] ?? NaN);
  const [user, sys] = (/cpu=([\d.]+)\+([\d.]+)/.exec(r.stderr) ?? [0, NaN, NaN]).slice(1).map(Number);
  return { seconds, cpu: user + sys, peakMB: kb / 1024, stdout: r.stdout, code: r.status };
};

run(process.execPath, [join(ROOT, 'scripts/build-cli.mjs')], { cwd: ROOT });
if (!existsSync(join(DS, 'dataset.json'))) {
  console.log(`generating ${cases} full-size cases in ${DS} (once; several minutes)…`);
  run(NODE20, [CLI, 'synth', join(BENCH, `raw-${cases}`), '--layout', 'nnunet', '--cases', String(cases), '--size', 'full', '--seed', '1000', '--id', String(ID), '--name', 'Bench', '--force']);
}
if (!existsSync(join(HDR, 'dataset.json'))) {
  // 1,251 cases as hard links of the generated ones (same bytes, new names).
  rmSync(join(BENCH, 'headers-1251'), { recursive: true, force: true });
  for (const sub of ['imagesTr', 'labelsTr']) mkdirSync(join(HDR, sub), { recursive: true });
  const ids = readdirSync(join(DS, 'labelsTr')).map((f) => f.replace(/\.nii\.gz$/, '')).sort();
  for (let i = 0; i < 1251; i++) {
    const src = ids[i % ids.length];
    const id = `BraTS2021_${String(i).padStart(5, '0')}`;
    for (let c = 0; c < 4; c++) linkSync(join(DS, 'imagesTr', `${src}_000${c}.nii.gz`), join(HDR, 'imagesTr', `${id}_000${c}.nii.gz`));
    linkSync(join(DS, 'labelsTr', `${src}.nii.gz`), join(HDR, 'labelsTr', `${id}.nii.gz`));
  }
  const json = JSON.parse(readFileSync(join(DS, 'dataset.json'), 'utf8'));
  writeFileSync(join(HDR, 'dataset.json'), JSON.stringify({ ...json, numTraining: 1251 }, null, 2));
}

const gz = readdirSync(join(DS, 'imagesTr')).length;
console.log(`dataset: ${DS} (${gz / 4} cases); ${jobs} processes/threads each; Node 20 = ${NODE20}`);

const base = JSON.parse(run(PYTHON, [join(ROOT, 'bench/dataset-check-baseline.py'), DS, String(jobs)]).stdout.trim());
const full = timed(NODE20, [CLI, 'check', DS, '--json', '--jobs', String(jobs), '--no-progress']);
const report = JSON.parse(full.stdout);
const node24 = process.versions.node.startsWith('24') ? timed(process.execPath, [CLI, 'check', DS, '--json', '--jobs', String(jobs), '--no-progress']) : undefined;
const headers = timed(NODE20, [CLI, 'check', HDR, '--headers', '--json', '--jobs', String(jobs), '--no-progress']);
const hreport = JSON.parse(headers.stdout);

const n = report.details.casesChecked;
const lines = [
  `nibabel baseline (nnU-Net's per-file work, ${base.processes} processes): ${base.seconds.toFixed(1)} s for ${base.cases} cases`,
  `bratslab check, full (Node 20, ${jobs} threads): ${full.seconds.toFixed(1)} s for ${n} cases (CPU ${full.cpu.toFixed(1)} s), ${report.summary.error} errors; peak RSS ${full.peakMB.toFixed(0)} MB`,
  node24 ? `bratslab check, full (Node ${process.versions.node}): ${node24.seconds.toFixed(1)} s (CPU ${node24.cpu.toFixed(1)} s); peak RSS ${node24.peakMB.toFixed(0)} MB` : undefined,
  `speed-up vs baseline: ${(base.seconds / full.seconds).toFixed(2)}× (target ≥ 3)`,
  `projected full check of 1,251 cases: ${((full.seconds / n) * 1251).toFixed(0)} s wall (target ≤ 75 s); from CPU time on ${jobs} free cores: ${((full.cpu / n / jobs) * 1251).toFixed(0)} s`,
  `load average during the run: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} (the wall figures assume the cores are not shared)`,
  `--headers on ${hreport.details.casesChecked} cases: ${headers.seconds.toFixed(2)} s wall, CPU ${headers.cpu.toFixed(2)} s (target < 5 s); peak RSS ${headers.peakMB.toFixed(0)} MB`,
].filter(Boolean);
console.log(lines.join('\n'));
