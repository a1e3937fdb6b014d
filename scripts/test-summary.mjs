// Turns the runners' JSON reports into the one closing line CI reads: "N passed, N failed, N skipped".
import { existsSync, readFileSync } from 'node:fs';

/** Counts from a Vitest JSON report (the Jest-compatible shape). */
export function countVitest(report) {
  return {
    passed: report.numPassedTests ?? 0,
    failed: (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0),
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}

/** Counts from a Playwright JSON report: unexpected results are failures, flaky ones too. */
export function countPlaywright(report) {
  const s = report.stats ?? {};
  const failed = (s.unexpected ?? 0) + (s.flaky ?? 0) + (report.errors?.length ?? 0);
  return { passed: s.expected ?? 0, failed, skipped: s.skipped ?? 0 };
}

export function summaryLine(counts) {
  const total = counts.reduce(
    (a, c) => ({ passed: a.passed + c.passed, failed: a.failed + c.failed, skipped: a.skipped + c.skipped }),
    { passed: 0, failed: 0, skipped: 0 },
  );
  return { ...total, line: `${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped` };
}

/**
 * Reads the reports a run left. A runner that was expected but left no report counts as one
 * failure, so a crash before reporting can never pass as green.
 */
export function summarise(files) {
  const counts = [];
  for (const { path, kind } of files) {
    if (!existsSync(path)) {
      counts.push({ passed: 0, failed: 1, skipped: 0 });
      continue;
    }
    const report = JSON.parse(readFileSync(path, 'utf8'));
    counts.push(kind === 'vitest' ? countVitest(report) : countPlaywright(report));
  }
  return summaryLine(counts);
}
