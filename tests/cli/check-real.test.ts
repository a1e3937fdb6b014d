/**
 * `bratslab check` (Node 20 bundle) on a dataset made from a real scan (tests/helpers/real-dataset.ts)
 * with T1 and FLAIR exchanged in one case: the report names the case and both files. Skipped
 * where ../shared/eval/real is absent.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DU, hasReal, writeRealDataset } from '../helpers/real-dataset';
import { bundleCli, runCli } from './cli-bundle';

const tmp = mkdtempSync(join(tmpdir(), 'dc-cli-real-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!hasReal(DU))('bratslab check on real-derived data', () => {
  it('names the case whose T1 and FLAIR files are exchanged, and both files', async () => {
    const bundle = await bundleCli();
    const { folder } = await writeRealDataset(tmp, DU, { cases: 6, mm: 2, seed: 11, permuted: new Map([[2, [3, 1, 2, 0]]]) });
    const r = runCli(bundle, ['check', folder, '--jobs', '2']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('Case "REAL_002": _0000 (T1) looks like _0003 (FLAIR); _0003 (FLAIR) looks like _0000 (T1) of the other cases.');
    expect(r.stdout.match(/looks like/g)).toHaveLength(2);
  }, 180_000);
});
