// Benchmark: one full-size synthetic case (240×240×155, four int16 images and a uint8 label,
// each written as .nii.gz with Node's zlib), against a baseline in the same run that only fills
// the same arrays with noise inside a brain-sized ellipsoid and gzips them the same way. The
// ratio says what the anatomy and lesion model cost on top of the unavoidable work.
// Target (issue 3): under 2 s per case on one core.
// Run: node bench/synth.bench.mjs [repeats]
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const repeats = Number(process.argv[2] ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'synth-bench-'));
const entry = join(dir, 'entry.mjs');
await build({
  stdin: {
    contents: `export { generateCase } from './labs/synth/case';\nexport { encodeNifti1 } from './labs/nifti/write';`,
    resolveDir: process.cwd(),
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: entry,
  logLevel: 'warning',
});
const { generateCase, encodeNifti1 } = await import(pathToFileURL(entry).href);

const dims = [240, 240, 155];
const affine = [
  [-1, 0, 0, 0],
  [0, -1, 0, 239],
  [0, 0, 1, 0],
  [0, 0, 0, 1],
];
const write = (data, datatype) => gzipSync(encodeNifti1({ dims, datatype, data, affine })).byteLength;

function baseline(seed) {
  // Same arrays, same gzip, noise of similar amplitude inside an ellipsoid of brain volume.
  const n = dims[0] * dims[1] * dims[2];
  let s = seed | 1;
  const rnd = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  let bytes = 0;
  const seg = new Uint8Array(n);
  for (let m = 0; m < 4; m++) {
    const img = new Int16Array(n);
    for (let k = 0; k < dims[2]; k++)
      for (let j = 0; j < dims[1]; j++)
        for (let i = 0; i < dims[0]; i++) {
          const x = (i - 120) / 68;
          const y = (j - 122) / 85;
          const z = (k - 80) / 58;
          if (x * x + y * y + z * z < 1) img[(k * dims[1] + j) * dims[0] + i] = 600 + Math.round((rnd() - 0.5) * 200);
        }
    bytes += write(img, 'int16');
  }
  return bytes + write(seg, 'uint8');
}

function synth(seed) {
  const c = generateCase({ id: 'bench', patientId: 'P', patientSeed: seed, scan: 0, size: 'full', scanners: ['a', 'b'] });
  let bytes = 0;
  for (const m of ['t1', 't1ce', 't2', 'flair']) bytes += write(c.images[m], 'int16');
  return bytes + write(c.seg, 'uint8');
}

// CPU time (user + system) as well as wall time: on a shared machine the wall clock mostly
// measures the neighbours, while CPU time is what one core spends on the work.
const time = (fn, seed) => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const bytes = fn(seed);
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpu: (c.user + c.system) / 1000, bytes };
};

// Warm-up (JIT), then interleave so that load from other processes hits both sides alike.
synth(1);
baseline(1);
const b = [];
const s = [];
for (let r = 0; r < repeats; r++) {
  b.push(time(baseline, 100 + r));
  s.push(time(synth, 100 + r));
}
rmSync(dir, { recursive: true, force: true });
const median = (xs) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)];
const stat = (xs, k) => median(xs.map((x) => x[k]));
const mb = (x) => (x / 1e6).toFixed(2);
const line = (name, xs) => `${name}: cpu ${stat(xs, 'cpu').toFixed(0)} ms, wall ${stat(xs, 'ms').toFixed(0)} ms, ${mb(stat(xs, 'bytes'))} MB gzipped`;
console.log(line('baseline (fill + gzip the same 5 arrays)', b));
console.log(line('synth    (generate + gzip one full case) ', s));
const cpu = stat(s, 'cpu');
console.log(`ratio synth / baseline (cpu): ${(cpu / stat(b, 'cpu')).toFixed(2)}; target under 2000 ms cpu per case: ${cpu < 2000 ? 'met' : 'not met'}`);
