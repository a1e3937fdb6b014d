// `npm run bench [name…]`: runs the benchmarks in bench/ one after another. Each compares the
// project's code with a baseline in the same run and prints a ratio. Without names it runs the
// quick ones (bench/*.bench.mjs); the dataset-check benchmark generates a 40-case full-size
// dataset first (minutes, about 330 MB in /tmp), so it runs only when named: `npm run bench -- dataset-check`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const names = process.argv.slice(2);
const files = names.length
  ? names.map((n) => [`bench/${n}.bench.mjs`, `bench/${n}.mjs`].find(existsSync) ?? `bench/${n}`)
  : readdirSync('bench').filter((f) => f.endsWith('.bench.mjs')).sort().map((f) => `bench/${f}`);

let failed = 0;
for (const file of files) {
  if (!existsSync(file)) {
    console.error(`no benchmark ${file}`);
    failed++;
    continue;
  }
  console.log(`\n=== ${file}`);
  const status = spawnSync(process.execPath, [file], { stdio: 'inherit' }).status;
  if (status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
