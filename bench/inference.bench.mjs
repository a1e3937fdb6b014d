// Benchmark: one sample case (BraTS2021_90004, 2 mm) through the inference pipeline (labs/inference)
// with the committed ONNX model on onnxruntime-web's WebAssembly backend in Node, with 1 and with 2
// threads (each in a fresh process: the thread count is fixed when the runtime starts), and with 1
// thread plus test-time mirroring (8 passes per window). The plain 1-thread run is the baseline;
// prints the times and the ratios.
//   node bench/inference.bench.mjs        (Node 20 or 24)
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
// Inside node_modules so the bundle's bare import of onnxruntime-web resolves (ESM ignores NODE_PATH).
mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
const dir = mkdtempSync(join(root, 'node_modules/.cache/inference-bench-'));
try {
  const entry = join(dir, 'entry.ts');
  writeFileSync(
    entry,
    `import { readFileSync } from 'node:fs';
     import * as ort from 'onnxruntime-web';
     import { nodeSource } from '${root}labs/cli/node-files';
     import { loadCase } from '${root}labs/inference/load';
     import { segment } from '${root}labs/inference/pipeline';
     import { regionDice } from '${root}labs/inference/regions';
     import { parseModelFile, sessionModel } from '${root}labs/inference/session';
     const threads = Number(process.argv[2]);
     const mirror = process.argv[3] === 'mirror';
     ort.env.wasm.numThreads = threads;
     const spec = parseModelFile(JSON.parse(readFileSync('${root}public/data/model/model.json', 'utf8')));
     const index = JSON.parse(readFileSync('${root}public/data/samples/index.json', 'utf8'));
     const c = index.cases[0];
     const session = await ort.InferenceSession.create(readFileSync('${root}public/data/model/' + spec.file), { executionProviders: ['wasm'] });
     const { input, reference } = await loadCase(nodeSource('${root}public/data/samples'), c.files);
     const model = sessionModel(ort, session, spec);
     await model(new Float32Array(4 * 48 ** 3), [48, 48, 48]); // warm-up: first run compiles kernels
     const t0 = performance.now();
     const res = await segment(input, { spec, model, mirror });
     const ms = performance.now() - t0;
     const d = regionDice(res.labels, 'brats2021', reference, 'brats2021');
     console.log(JSON.stringify({ threads, mirror, ms, patches: res.patches, dice: d }));
     await session.release();`,
  );
  await build({ entryPoints: [entry], outfile: join(dir, 'run.mjs'), bundle: true, platform: 'node', format: 'esm', external: ['onnxruntime-web'], logLevel: 'warning' });
  const results = {};
  for (const [name, args] of [['1', ['1']], ['2', ['2']], ['1m', ['1', 'mirror']]]) {
    const r = spawnSync(process.execPath, [join(dir, 'run.mjs'), ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed:\n${r.stderr}`);
    results[name] = JSON.parse(r.stdout.trim().split('\n').pop());
  }
  for (const t of ['1', '2', '1m']) {
    const x = results[t];
    const what = `wasm ${x.threads} thread(s)${x.mirror ? ' + mirroring' : ''}`;
    const dice = ['WT', 'TC', 'ET'].map((r) => x.dice[r].toFixed(3)).join(' / ');
    console.log(`${what}: ${x.ms.toFixed(0)} ms for ${x.patches} windows (${(x.ms / x.patches).toFixed(0)} ms per window incl. pre/post), Dice WT/TC/ET ${dice}`);
  }
  console.log(`ratio 1 thread / 2 threads: ${(results['1'].ms / results['2'].ms).toFixed(2)}×`);
  console.log(`ratio mirrored / plain (1 thread): ${(results['1m'].ms / results['1'].ms).toFixed(2)}×`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
