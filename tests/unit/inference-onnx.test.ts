// The exported ONNX model, run by onnxruntime-web's wasm backend in Node, reproduces PyTorch's
// output on a committed fixture (tests/fixtures/inference, written by training/export.py from the
// same checkpoint as public/data/model/model.onnx, with the network as trained, before the export
// rewrites its transposed convs).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';

const root = new URL('../../', import.meta.url);
const read = (p: string) => readFileSync(new URL(p, root));
const floats = (p: string) => {
  const b = read(p);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
};

describe('ONNX export', () => {
  const spec = JSON.parse(read('public/data/model/model.json').toString());
  const fixture = JSON.parse(read('tests/fixtures/inference/fixture.json').toString());

  it('is small and says what it expects', () => {
    const bytes = read(`public/data/model/${spec.file}`).byteLength;
    expect(bytes).toBe(spec.bytes);
    expect(bytes).toBeLessThanOrEqual(5 * 1024 * 1024);
    expect(spec.parameters).toBeLessThan(1_000_000);
    expect(spec.opset).toBe(17);
    expect(spec.channels).toEqual(['T1', 'T1ce', 'T2', 'FLAIR']);
    expect(spec.regions).toEqual(['WT', 'TC', 'ET']);
  });

  it('reproduces PyTorch within 1e-4 on wasm (dynamic, non-cubic shape)', async () => {
    ort.env.wasm.numThreads = 1;
    const session = await ort.InferenceSession.create(read(`public/data/model/${spec.file}`), { executionProviders: ['wasm'] });
    const input = new ort.Tensor('float32', floats('tests/fixtures/inference/input.f32').slice(), fixture.inputShape);
    const out = (await session.run({ [spec.input]: input }))[spec.output];
    expect(out.dims).toEqual(fixture.outputShape);
    const want = floats('tests/fixtures/inference/output.f32');
    const got = out.data as Float32Array;
    let maxDiff = 0;
    for (let i = 0; i < want.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i] - want[i]));
    expect(maxDiff).toBeLessThan(1e-4);
    await session.release();
  });
});
