import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleCli, runCli } from './cli-bundle';

interface Key {
  dataset: string;
  faults: { rule: string; path: string | null; also?: string[] }[];
}

let bundle = '';
beforeAll(async () => {
  bundle = await bundleCli();
});

describe('bratslab check on a zip file', () => {
  it('reads the zip in place and finds every fault of its answer key', () => {
    const name = 'Dataset511_Starter';
    const key = JSON.parse(readFileSync(`public/data/broken/keys/${name}.faults.json`, 'utf8')) as Key;
    const r = runCli(bundle, ['check', `public/data/broken/${name}.zip`, '--json', '--jobs', '2']);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: { rule: string; path?: string }[] };
    const found = new Set(report.findings.map((f) => `${f.rule} ${f.path}`));
    for (const f of key.faults) {
      // The zip holds the dataset folder itself, so paths carry its name in front.
      if (f.path) expect(found, `${f.rule} at ${f.path}`).toContain(`${f.rule} ${key.dataset}/${f.path}`);
      else expect(report.findings.map((x) => x.rule)).toContain(f.rule);
    }
  });

  it('says what is wrong with a file that is neither a folder nor a zip', () => {
    const r = runCli(bundle, ['check', 'package.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/package\.json: neither a folder nor a \.zip file/);
  });

  it('reports a truncated zip as unreadable, naming it, with exit code 2', () => {
    const whole = readFileSync('public/data/broken/Dataset511_Starter.zip');
    const dir = mkdtempSync(join(tmpdir(), 'check-zip-'));
    const cut = join(dir, 'cut.zip');
    writeFileSync(cut, whole.subarray(0, whole.byteLength >> 1));
    const r = runCli(bundle, ['check', cut]);
    rmSync(dir, { recursive: true, force: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cut\.zip: not a readable zip file \(no end-of-central-directory record/);
  });
});
