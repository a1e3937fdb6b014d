// `npm test`: unit and CLI tests (Vitest), the site build, the e2e suite (Playwright), then one
// summary line built from the runners' JSON reports. Exits non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { summarise } from './test-summary.mjs';
import { chromiumExecutable } from './browser-path.mjs';

const run = (cmd, args, env = {}) => {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  return spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;
};

// JSON reports go to reports/, not test-results/: Playwright empties test-results/ when it starts.
rmSync('reports', { recursive: true, force: true });
mkdirSync('reports', { recursive: true });

let status = 0;
status |= run('node', ['scripts/build-cli.mjs']) ? 1 : 0;
status |= run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=reports/vitest.json']) ? 1 : 0;

const reports = [{ path: 'reports/vitest.json', kind: 'vitest' }];
if (!chromiumExecutable()) {
  const fetched = spawnSync('npx', ['playwright', 'install', 'chromium'], { stdio: 'inherit' }).status === 0;
  if (!fetched) {
    console.error(
      '\nNo Chromium found for the e2e tests. Install one, then run npm test again:\n' +
        '  Debian/Ubuntu: sudo apt-get install -y chromium\n' +
        '  elsewhere:     npx playwright install chromium\n',
    );
    status = 1;
  }
}
if (run('npx', ['astro', 'build']) !== 0) status = 1;
else {
  reports.push({ path: 'reports/playwright.json', kind: 'playwright' });
  status |= run('npx', ['playwright', 'test']) ? 1 : 0;
}

const summary = summarise(reports);
if (summary.failed > 0) status = 1;
console.log(`\n${summary.line}`);
process.exit(status);
