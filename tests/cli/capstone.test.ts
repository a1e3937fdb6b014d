/**
 * The graded capstone (public/data/capstone, made by scripts/capstone.mjs): the validator finds
 * exactly the keyed faults it has rules for and stays silent on the mixed-scheme cases, and the
 * label counts the instructor page computes at build time agree with NiBabel's, whose counts alone
 * single out the mixed-scheme cases (value 2, edema in the keep scheme, outnumbering value 1).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { capstoneLabelCounts } from '../../src/content/instructors/_capstone';
import { requirePython } from '../helpers/python';
import { bundleCli, runCli } from './cli-bundle';

const ROOT = resolve(__dirname, '../..');
const ZIP = join(ROOT, 'public/data/capstone/Dataset520_Capstone.zip');
const KEY = JSON.parse(readFileSync(join(ROOT, 'public/data/capstone/keys/Dataset520_Capstone.key.json'), 'utf8')) as {
  faults: { fault: string; rule: string | null; case: string | null }[];
};
const PYTHON = requirePython('nibabel, numpy', 'python3-nibabel') ?? undefined;
const mixed = KEY.faults.filter((f) => f.fault === 'scheme-mix').map((f) => f.case!);

let cli = '';
beforeAll(async () => {
  cli = await bundleCli();
});

describe('capstone dataset', () => {
  it('hides three validator-detectable faults and a silent scheme mix in three cases', () => {
    expect(KEY.faults.map((f) => f.fault).sort()).toEqual(['channel-swap', 'duplicate-case', 'empty-label', 'scheme-mix', 'scheme-mix', 'scheme-mix']);
    expect(mixed).toHaveLength(3);
  });

  it('bratslab check reports each keyed fault at its case, and nothing about the mixed-scheme cases', () => {
    const r = runCli(cli, ['check', ZIP, '--json']);
    expect(r.code).toBe(1);
    const all = JSON.parse(r.stdout).findings as { rule: string; case?: string; severity: string }[];
    // The capstone's cases are small synthetic volumes under BraTS channel names: the geometry note
    // is true and no fault of the key.
    expect(all.filter((f) => f.rule === 'dataset.brats-geometry').map((f) => f.severity)).toEqual(['info']);
    const findings = all.filter((f) => f.rule !== 'dataset.brats-geometry');
    const keyed = KEY.faults.filter((f) => f.rule).map((f) => `${f.rule} ${f.case}`).sort();
    expect(findings.map((f) => `${f.rule} ${f.case}`).sort()).toEqual(keyed);
    for (const c of mixed) expect(JSON.stringify(findings)).not.toContain(c);
  });

  it.skipIf(!PYTHON)('the build-time label counts match NiBabel, and they single out exactly the keyed cases', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'capstone-'));
    try {
      const py = `
import sys, json, zipfile, numpy as np, nibabel as nib
from pathlib import Path
zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])
out = {}
for p in sorted(Path(sys.argv[2]).glob("*/labelsTr/*.nii.gz")):
    d = np.asanyarray(nib.load(str(p)).dataobj)
    out[p.name[:-7]] = [int((d == v).sum()) for v in (1, 2, 3)]
print(json.dumps(out))`;
      const nibabel = JSON.parse(execFileSync(PYTHON!, ['-c', py, ZIP, tmp], { encoding: 'utf8' })) as Record<string, number[]>;
      const ours = await capstoneLabelCounts(new Uint8Array(readFileSync(ZIP)));
      expect(Object.fromEntries(ours.map((c) => [c.case, c.counts]))).toEqual(nibabel);
      const signature = Object.entries(nibabel)
        .filter(([, [one, two]]) => two > one)
        .map(([c]) => c)
        .sort();
      expect(signature).toEqual([...mixed].sort());
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);
});
