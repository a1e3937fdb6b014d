import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countPlaywright, countVitest, summarise } from '../../scripts/test-summary.mjs';

describe('CI summary line', () => {
  it('counts a failing Vitest report', () => {
    expect(countVitest({ numPassedTests: 5, numFailedTests: 2, numPendingTests: 1, numTodoTests: 0 })).toEqual({ passed: 5, failed: 2, skipped: 1 });
  });

  it('counts unexpected and flaky Playwright results as failures', () => {
    expect(countPlaywright({ stats: { expected: 7, unexpected: 1, flaky: 1, skipped: 2 }, errors: [] })).toEqual({ passed: 7, failed: 2, skipped: 2 });
  });

  it('adds the runners and treats a missing report as a failure', () => {
    const dir = mkdtempSync(join(tmpdir(), 'summary-'));
    writeFileSync(join(dir, 'v.json'), JSON.stringify({ numPassedTests: 3, numFailedTests: 1, numPendingTests: 0 }));
    const s = summarise([
      { path: join(dir, 'v.json'), kind: 'vitest' },
      { path: join(dir, 'missing.json'), kind: 'playwright' },
    ]);
    expect(s.line).toBe('3 passed, 2 failed, 0 skipped');
  });
});
