/**
 * `bratslab check` through the Node 20 bundle (worker threads included), on datasets from the
 * fault generator; expected findings come from its answer key.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeCodec } from '../../labs/cli/node-codec';
import { nodeSink } from '../../labs/cli/node-files';
import { writeNnunet, type SynthOptions, type WrittenDataset } from '../../labs/synth/dataset';
import { FAULT_IDS } from '../../labs/synth/faults';
import { seedBlock, tinyNnunet } from '../helpers/synth';
import type { CheckReport } from '../../labs/shared/report';
import { bundleCli, runCli } from './cli-bundle';

const tmp = mkdtempSync(join(tmpdir(), 'dc-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let bundle = '';
let faulty: WrittenDataset[] = [];

const opts = (seed: number, cases: number, faults: SynthOptions['faults'], datasetId: number): SynthOptions =>
  tinyNnunet(seedBlock(seed, cases), { faults, datasetId });

beforeAll(async () => {
  bundle = await bundleCli();
  faulty = await writeNnunet(nodeSink(join(tmp, 'raw')), opts(31, 16, [...FAULT_IDS], 520), nodeCodec, 31);
  await writeNnunet(nodeSink(join(tmp, 'clean')), opts(32, 6, [], 530), nodeCodec, 32);
  mkdirSync(join(tmp, 'empty'));
}, 120_000);

describe('bratslab check (Node 20 bundle)', () => {
  it('exits 0 on a clean dataset, in full and --headers mode', () => {
    const full = runCli(bundle, ['check', join(tmp, 'clean', 'Dataset530_Synth'), '--jobs', '2']);
    expect(full.code, full.stderr).toBe(0);
    expect(full.stdout).toContain('No errors');
    const headers = runCli(bundle, ['check', join(tmp, 'clean', 'Dataset530_Synth'), '--headers', '--json']);
    expect(headers.code).toBe(0);
    const r = JSON.parse(headers.stdout) as CheckReport;
    expect(r.schemaVersion).toBe(1);
    expect(r.details?.mode).toBe('headers');
    expect(r.details?.casesChecked).toBe(6);
  });

  it('finds every fault of the answer key over an nnUNet_raw folder, with worker threads, and exits 1', () => {
    const res = runCli(bundle, ['check', join(tmp, 'raw'), '--json', '--jobs', '2']);
    expect(res.code, res.stderr).toBe(1);
    const r = JSON.parse(res.stdout) as CheckReport;
    expect(r.details?.jobs).toBe(2);
    for (const ds of faulty) {
      for (const k of ds.key!.faults) {
        // Paths in the key are relative to the dataset; here the root is nnUNet_raw.
        const hit = r.findings.some((f) => f.rule === k.rule && (k.path !== null ? f.path === `${ds.folder}/${k.path}` : f.case === k.case));
        expect(hit, `${ds.folder}: ${k.rule} ${k.path ?? k.case}`).toBe(true);
      }
    }
    for (const f of r.findings) expect(f.docs).toBe(`/validator-rules/#${f.rule}`);
  });

  it('prints a human report grouped by severity, with fixes', () => {
    const res = runCli(bundle, ['check', join(tmp, 'raw', faulty[0].folder)]);
    expect(res.code).toBe(1);
    const errors = res.stdout.indexOf('ERRORS');
    const warnings = res.stdout.indexOf('WARNINGS');
    expect(errors).toBeGreaterThan(0);
    expect(warnings).toBeGreaterThan(errors);
    expect(res.stdout).toContain('fix: ');
    expect(res.stdout).toContain('dataset.label-unconverted-brats');
  });

  it('exits 2 on a missing folder, a folder without a dataset, and a bad option', () => {
    expect(runCli(bundle, ['check', join(tmp, 'nope')]).code).toBe(2);
    const empty = runCli(bundle, ['check', join(tmp, 'empty')]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no nnU-Net dataset found');
    expect(runCli(bundle, ['check', join(tmp, 'clean'), '--jobs', 'many']).code).toBe(2);
  });
});
