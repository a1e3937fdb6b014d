// The browser's pipeline (labs/inference) with the committed ONNX model, run in Node on every site
// sample case, the real one (TCGA-DU-7294, consensus labels) first: the Dice against the sample's
// seg file must reproduce the figure that training/evaluate.py measured with PyTorch and scipy and
// printed in the model card (public/data/model/model.json, `metrics.samples`) within 0.01.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { nodeSource } from '../../labs/cli/node-files';
import { loadCase, type CasePaths } from '../../labs/inference/load';
import { segment } from '../../labs/inference/pipeline';
import { regionDice } from '../../labs/inference/regions';
import { checkSession, parseModelFile, sessionModel } from '../../labs/inference/session';

const root = new URL('../../', import.meta.url);
const read = (p: string) => readFileSync(new URL(p, root));

describe('pipeline + ONNX model on a sample case', () => {
  const spec = parseModelFile(JSON.parse(read('public/data/model/model.json').toString()));
  const index = JSON.parse(read('public/data/samples/index.json').toString());
  const card = (spec as unknown as { metrics: { samples: Record<string, Record<string, number>> } }).metrics.samples;

  it('scores every sample, the real case first', () => {
    expect(index.cases[0].id).toBe('TCGA-DU-7294');
    expect(index.cases.map((c: { id: string }) => c.id).filter((id: string) => !card[id])).toEqual([]);
  });

  for (const sample of index.cases as { id: string; files: CasePaths }[]) {
    it(`segments ${sample.id} at the model card's Dice`, async () => {
      ort.env.wasm.numThreads = 1;
      const session = await ort.InferenceSession.create(read(`public/data/model/${spec.file}`), { executionProviders: ['wasm'] });
      checkSession(session, spec);
      const { input, reference } = await loadCase(nodeSource(new URL('public/data/samples/', root).pathname), sample.files);
      let progress = [0, 0];
      const res = await segment(input, { spec, model: sessionModel(ort, session, spec), onProgress: (d, t) => (progress = [d, t]) });
      await session.release();
      expect(progress[0]).toBe(progress[1]);
      expect(res.labels.length).toBe(reference!.length);
      expect(new Set(res.labels)).toEqual(new Set([0, 1, 2, 4]).intersection(new Set(res.labels))); // raw BraTS 2021 values only
      const d = regionDice(res.labels, 'brats2021', reference!, 'brats2021');
      for (const r of ['WT', 'TC', 'ET'] as const) expect(Math.abs(d[r] - card[sample.id][r]), r).toBeLessThanOrEqual(0.01);
    }, 120_000);
  }
});
