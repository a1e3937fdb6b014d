/**
 * The validator against the fault generator's answer key (labs/synth): over several seeds every
 * injected fault is found with the right rule and file, and clean generated datasets give no
 * error. Expected findings come from the key, never from the validator's own output.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeCodec } from '../../labs/cli/node-codec';
import { nodeSink, nodeSource } from '../../labs/cli/node-files';
import { checkDataset } from '../../labs/dataset-check/index';
import { FAULT_IDS, type FaultEntry } from '../../labs/synth/faults';
import { writeNnunet, type SynthOptions } from '../../labs/synth/dataset';
import type { Finding } from '../../labs/shared/findings';
import { seedBlock, tinyNnunet } from '../helpers/synth';

const tmp = mkdtempSync(join(tmpdir(), 'dc-synth-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const base = (seed: number, cases: number, faults: SynthOptions['faults']): SynthOptions => tinyNnunet(seedBlock(seed, cases), { faults });

/** A finding reports a fault when rule matches and it names the key's file (or, for whole-case faults, the case). */
const reports = (f: Finding, k: FaultEntry) => f.rule === k.rule && (k.path !== null ? f.path === k.path : f.case === k.case);

describe('dataset check vs the synth answer key', () => {
  for (const seed of [11, 12, 13]) {
    it(`finds every injected fault, and no other error, seed ${seed}`, async () => {
      const dir = join(tmp, `faults-${seed}`);
      const written = await writeNnunet(nodeSink(dir), base(seed, 16, [...FAULT_IDS]), nodeCodec, seed);
      expect(written.length).toBeGreaterThan(1);
      for (const ds of written) {
        const key = ds.key!.faults;
        expect(key.length).toBeGreaterThan(0);
        // Check the dataset folder itself, so finding paths are relative to it like the key's.
        const report = await checkDataset(nodeSource(join(dir, ds.folder)), { codec: nodeCodec });
        const missed = key.filter((k) => !report.findings.some((f) => reports(f, k)));
        expect(missed, `${ds.folder}: faults not reported`).toEqual([]);
        const unexplained = report.findings.filter((f) => f.severity === 'error' && !key.some((k) => reports(f, k)));
        expect(unexplained.map((f) => `${f.rule}: ${f.message}`), `${ds.folder}: errors not in the key`).toEqual([]);
      }
    });
  }

  for (const seed of [21, 22]) {
    it(`reports no error on a clean dataset, seed ${seed}`, async () => {
      const dir = join(tmp, `clean-${seed}`);
      const [ds] = await writeNnunet(nodeSink(dir), base(seed, 8, []), nodeCodec, seed);
      for (const mode of ['full', 'headers'] as const) {
        const report = await checkDataset(nodeSource(join(dir, ds.folder)), { codec: nodeCodec, mode });
        expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
        expect(report.details?.casesChecked).toBe(8);
      }
    });
  }
});
