// Benchmark: the full leakage experiment (both splits, 5 folds, default settings: 40 subjects ×
// 8 slices, kNN k = 5) must finish in under 1 s. Baseline in the same run: the same experiment
// with a straightforward kNN (all distances into an array of objects, full sort per test slice),
// which must give the same accuracies. Also times logistic regression. Prints the ratios.
//   node bench/leakage.bench.mjs        (Node 20; `npx node bench/...` for Node 24)
// The TypeScript core is bundled on the fly with esbuild into a temporary file.
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const BUDGET_MS = 1000;
const dir = mkdtempSync(join(tmpdir(), 'leakage-bench-'));
try {
  const root = new URL('..', import.meta.url).pathname;
  const entry = join(dir, 'entry.ts');
  writeFileSync(entry, `export * from '${root}labs/leakage/index';\nexport { createRng } from '${root}labs/shared/prng';\n`);
  await build({ entryPoints: [entry], outfile: join(dir, 'lib.mjs'), bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
  const { DEFAULT_OPTIONS: o, runExperiment, makeDataset, makeLabels, splitSlices, createRng } = await import(pathToFileURL(join(dir, 'lib.mjs')).href);

  // The baseline: same data, labels and folds, naive kNN.
  function naive() {
    const data = makeDataset(o);
    const y = makeLabels(data, o.labels, o.seed);
    const rows = Array.from({ length: y.length }, (_, i) => Array.from(data.x.subarray(i * data.dim, (i + 1) * data.dim)));
    const means = {};
    for (const kind of ['slice', 'subject']) {
      const foldOf = splitSlices(kind, data.subjectOf, data.subjects, o.folds, createRng(o.seed).fork(`split-${kind}-0`));
      let acc = 0;
      for (let f = 0; f < o.folds; f++) {
        const train = rows.map((_, i) => i).filter((i) => foldOf[i] !== f);
        const test = rows.map((_, i) => i).filter((i) => foldOf[i] === f);
        let right = 0;
        for (const q of test) {
          const d = train.map((t) => ({ t, d: rows[q].reduce((s, v, j) => s + (v - rows[t][j]) ** 2, 0) })).sort((a, b) => a.d - b.d);
          const ones = d.slice(0, o.k).reduce((s, n) => s + y[n.t], 0);
          if ((ones * 2 > o.k ? 1 : 0) === y[q]) right++;
        }
        acc += right / test.length / o.folds;
      }
      means[kind] = acc;
    }
    return means;
  }

  const time = (fn, reps) => {
    fn(); // warm-up
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    return (performance.now() - t0) / reps;
  };
  const reps = 5;
  const ours = runExperiment(o);
  const ref = naive();
  const same = Math.abs(ours.slice.meanAccuracy - ref.slice) < 1e-9 && Math.abs(ours.subject.meanAccuracy - ref.subject) < 1e-9;
  const tOurs = time(() => runExperiment(o), reps);
  const tNaive = time(naive, reps);
  const tLogistic = time(() => runExperiment({ ...o, classifier: 'logistic' }), reps);
  console.log(`settings: ${o.subjects} subjects × ${o.slicesPerSubject} slices, ${o.folds} folds, both splits, kNN k=${o.k}; mean of ${reps} runs, Node ${process.versions.node}`);
  console.log(`baseline (naive kNN):      ${tNaive.toFixed(1)} ms`);
  console.log(`labs/leakage, kNN:         ${tOurs.toFixed(1)} ms   (${(tNaive / tOurs).toFixed(1)}× faster than the baseline)`);
  console.log(`labs/leakage, logistic:    ${tLogistic.toFixed(1)} ms   (${(tLogistic / tNaive).toFixed(2)}× the baseline)`);
  console.log(`same accuracies as the baseline: ${same ? 'yes' : 'NO'} (slice ${(100 * ours.slice.meanAccuracy).toFixed(1)}%, subject ${(100 * ours.subject.meanAccuracy).toFixed(1)}%)`);
  const worst = Math.max(tOurs, tLogistic);
  console.log(`budget: ${worst.toFixed(1)} ms of ${BUDGET_MS} ms (${(worst / BUDGET_MS).toFixed(2)} of the budget)`);
  if (!same || worst > BUDGET_MS) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
