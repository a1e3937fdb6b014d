// Benchmark: scanning a full-size BraTS volume (240×240×155 int16, .nii.gz) with labs/nifti,
// against plain zlib.gunzipSync of the same file in the same run. Prints the ratios.
//   node bench/nifti-read.bench.mjs        (Node 20; `npx node bench/...` for Node 24)
// The TypeScript core is bundled on the fly with esbuild into a temporary file.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';

const dir = mkdtempSync(join(tmpdir(), 'nifti-bench-'));
try {
  const entry = join(dir, 'entry.ts');
  const root = new URL('..', import.meta.url).pathname;
  writeFileSync(
    entry,
    `export * from '${root}labs/nifti/index';
     export { nodeCodec } from '${root}labs/cli/node-codec';
     export { nodeSource } from '${root}labs/cli/node-files';
     export { createRng } from '${root}labs/shared/prng';`,
  );
  await build({ entryPoints: [entry], outfile: join(dir, 'lib.mjs'), bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
  const lib = await import(pathToFileURL(join(dir, 'lib.mjs')).href);

  // A brain-sized ellipsoid with smooth structure and noise, so the file compresses about as
  // well as a real BraTS volume (≈2 MB): a file of zeros would flatter every number.
  const [X, Y, Z] = [240, 240, 155];
  const data = new Int16Array(X * Y * Z);
  const rng = lib.createRng(7);
  for (let z = 0, i = 0; z < Z; z++)
    for (let y = 0; y < Y; y++)
      for (let x = 0; x < X; x++, i++) {
        const r = ((x - 120) / 70) ** 2 + ((y - 125) / 85) ** 2 + ((z - 75) / 60) ** 2;
        if (r < 1) data[i] = Math.round(400 + 200 * Math.sin(x / 9) * Math.cos(y / 11) + 120 * Math.sin(z / 7) + rng.normal(0, 25));
      }
  const affine = [[-1, 0, 0, 0], [0, -1, 0, 239], [0, 0, 1, 0], [0, 0, 0, 1]];
  const file = await lib.writeNiftiGz({ dims: [X, Y, Z], datatype: 'int16', data, affine }, lib.nodeCodec);
  writeFileSync(join(dir, 'vol.nii.gz'), file);
  const src = lib.nodeSource(dir);
  console.log(`volume: ${X}×${Y}×${Z} int16, ${(file.byteLength / 1e6).toFixed(2)} MB gzipped`);

  const time = async (fn, reps) => {
    await fn(); // warm-up
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) await fn();
    return (performance.now() - t0) / reps;
  };
  const reps = 5;
  const baseline = await time(() => {
    const raw = gunzipSync(readFileSync(join(dir, 'vol.nii.gz')), { chunkSize: 1 << 20 });
    let lo = Infinity;
    let hi = -Infinity;
    const v = new Int16Array(raw.buffer, raw.byteOffset + 352, X * Y * Z);
    for (let i = 0; i < v.length; i++) {
      if (v[i] < lo) lo = v[i];
      if (v[i] > hi) hi = v[i];
    }
  }, reps);
  const scanNode = await time(() => lib.intensityStats(src, 'vol.nii.gz', { codec: lib.nodeCodec }), reps);
  const scanWeb = await time(() => lib.intensityStats(src, 'vol.nii.gz'), reps);
  const header = await time(() => lib.readHeader(src, 'vol.nii.gz', { codec: lib.nodeCodec }), 50);
  const headerWeb = await time(() => lib.readHeader(src, 'vol.nii.gz'), 50);

  console.log(`node ${process.version}`);
  console.log(`baseline  gunzipSync(1 MiB chunks) + min/max: ${baseline.toFixed(1)} ms`);
  console.log(`scanVoxels + stats, Node zlib codec:         ${scanNode.toFixed(1)} ms  (ratio ${(scanNode / baseline).toFixed(2)})`);
  console.log(`scanVoxels + stats, web DecompressionStream: ${scanWeb.toFixed(1)} ms  (ratio ${(scanWeb / baseline).toFixed(2)})`);
  console.log(`readHeader (.nii.gz), Node zlib codec:       ${header.toFixed(2)} ms`);
  console.log(`readHeader (.nii.gz), web codec:             ${headerWeb.toFixed(2)} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
