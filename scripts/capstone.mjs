#!/usr/bin/env node
/**
 * Builds the graded capstone dataset, public/data/capstone/Dataset520_Capstone.zip, and its key.
 * Made with the course generator and its fault tool only:
 *   1. `bratslab synth --layout nnunet --seeds 601-606 --faults channel-swap,duplicate-case,empty-label`
 *      (Dataset137 label scheme; the generator writes the fault key);
 *   2. `bratslab synth --layout nnunet --seeds 611-613 --scheme keep`: three more cases whose label
 *      files use the "keep" values (1 necrosis, 2 edema, 3 enhancing);
 *   3. those three cases go into the first dataset, under its Dataset137 dataset.json
 *      (numTraining and patients.csv updated). That is the silent scheme mix of lesson 4: every
 *      value is declared and consecutive, and no validator rule can fire on it.
 * The key (keys/Dataset520_Capstone.key.json) is the generator's fault key plus one entry per
 * mixed-scheme case. Run `node scripts/build-cli.mjs` first; then `npm run data:manifest`.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { zipSync } from 'fflate';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist-cli/bratslab.mjs');
const OUT = join(ROOT, 'public/data/capstone');
const NAME = 'Dataset520_Capstone';
const FAULTS = 'channel-swap,duplicate-case,empty-label';
const MAIN = '601-606';
const KEEP = '611-613';

const tmp = mkdtempSync(join(tmpdir(), 'capstone-'));
const synth = (dir, args) => execFileSync(process.execPath, [CLI, 'synth', dir, '--layout', 'nnunet', '--size', 'small', '--id', '520', '--name', 'Capstone', ...args], { stdio: 'inherit' });
try {
  synth(join(tmp, 'main'), ['--seeds', MAIN, '--faults', FAULTS, '--keys', join(tmp, 'keys')]);
  synth(join(tmp, 'keep'), ['--seeds', KEEP, '--scheme', 'keep']);
  const ds = join(tmp, 'main', NAME);
  const keepDs = join(tmp, 'keep', NAME);
  for (const sub of ['imagesTr', 'labelsTr']) cpSync(join(keepDs, sub), join(ds, sub), { recursive: true });
  const keepCases = readdirSync(join(keepDs, 'labelsTr')).map((f) => f.replace(/\.nii\.gz$/, '')).sort();

  const json = JSON.parse(readFileSync(join(ds, 'dataset.json'), 'utf8'));
  json.numTraining += keepCases.length;
  writeFileSync(join(ds, 'dataset.json'), JSON.stringify(json, null, 2) + '\n');
  const patients = readFileSync(join(keepDs, 'patients.csv'), 'utf8').trim().split('\n').slice(1);
  writeFileSync(join(ds, 'patients.csv'), readFileSync(join(ds, 'patients.csv'), 'utf8').trimEnd() + '\n' + patients.join('\n') + '\n');

  const key = JSON.parse(readFileSync(join(tmp, 'keys', `${NAME}.faults.json`), 'utf8'));
  for (const c of keepCases) {
    key.faults.push({
      fault: 'scheme-mix',
      rule: null,
      path: `labelsTr/${c}.nii.gz`,
      case: c,
      description: 'label values in the "keep" scheme (1 necrosis, 2 edema, 3 enhancing) under a dataset.json with Dataset137 regions: its tumour core [2, 3] is edema plus enhancing tumour; no check reports it',
    });
  }
  key.reproduce = `node scripts/capstone.mjs (synth --seeds ${MAIN} --faults ${FAULTS}; synth --seeds ${KEEP} --scheme keep; merged)`;

  const entries = {};
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else entries[`${NAME}/${relative(ds, p).split('\\').join('/')}`] = [new Uint8Array(readFileSync(p)), { level: name.endsWith('.gz') ? 0 : 6 }];
    }
  };
  walk(ds);
  mkdirSync(join(OUT, 'keys'), { recursive: true });
  writeFileSync(join(OUT, `${NAME}.zip`), zipSync(entries, { mtime: new Date('2026-01-01T00:00:00Z') }));
  writeFileSync(join(OUT, 'keys', `${NAME}.key.json`), JSON.stringify(key, null, 2) + '\n');
  writeFileSync(
    join(OUT, 'SOURCE.json'),
    JSON.stringify(
      {
        source: "the graded capstone: BraTS Lab's synthetic generator (labs/synth) with injected faults and three cases in another label scheme; key in keys/ (for instructors: honour system, not secret)",
        licence: 'CC BY 4.0',
        reproduce: 'node scripts/build-cli.mjs && node scripts/capstone.mjs',
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`wrote ${join(OUT, `${NAME}.zip`)}: ${Object.keys(entries).length} files, ${key.faults.length} key entries`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
