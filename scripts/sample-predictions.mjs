// Writes public/data/predictions/: the inference demo's segmentation of each site sample
// (public/data/samples), made by the same pipeline and ONNX model as the browser's inference lab
// (labs/inference, public/data/model), here in Node with onnxruntime-web's WebAssembly backend on
// one thread. The evaluation lab's try-out scores them against the samples' labels.
//   node scripts/sample-predictions.mjs      (then: npm run data:manifest)
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as ort from 'onnxruntime-web';

const root = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'sample-predictions-'));
try {
  const entry = join(dir, 'entry.ts');
  writeFileSync(
    entry,
    `export { loadCase } from '${root}labs/inference/load';
     export { segment } from '${root}labs/inference/pipeline';
     export { checkSession, parseModelFile, sessionModel } from '${root}labs/inference/session';
     export { readHeader, writeNiftiGz } from '${root}labs/nifti/index';
     export { nodeCodec } from '${root}labs/cli/node-codec';
     export { nodeSource } from '${root}labs/cli/node-files';`,
  );
  await build({ entryPoints: [entry], outfile: join(dir, 'lib.mjs'), bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
  const lib = await import(pathToFileURL(join(dir, 'lib.mjs')).href);
  const spec = lib.parseModelFile(JSON.parse(readFileSync(join(root, 'public/data/model/model.json'), 'utf8')));
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(readFileSync(join(root, 'public/data/model', spec.file)), { executionProviders: ['wasm'] });
  lib.checkSession(session, spec);
  const samples = lib.nodeSource(join(root, 'public/data/samples'));
  const index = JSON.parse(readFileSync(join(root, 'public/data/samples/index.json'), 'utf8'));
  for (const c of index.cases) {
    const { input } = await lib.loadCase(samples, c.files, { codec: lib.nodeCodec });
    const res = await lib.segment(input, { spec, model: lib.sessionModel(ort, session, spec) });
    const header = await lib.readHeader(samples, c.files.seg, { codec: lib.nodeCodec });
    const file = await lib.writeNiftiGz({ dims: header.dims, datatype: 'uint8', data: res.labels, affine: header.affine, description: 'BraTS Lab inference demo prediction' }, lib.nodeCodec);
    writeFileSync(join(root, 'public/data/predictions', `${c.id}.nii.gz`), file);
    console.log(`${c.id}: ${res.patches} patches, scheme ${res.scheme}, ${file.byteLength} bytes`);
  }
  await session.release();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
