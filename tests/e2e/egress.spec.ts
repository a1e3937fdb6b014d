import { test, expect, visit } from './fixtures';

test('the no-egress guard catches uploads, off-machine requests and worker traffic', async ({ page, context, egress, csp, consoleErrors }) => {
  egress.expectViolations();
  csp.expectViolations();
  // A same-origin worker script (as the labs' workers are) that tries to upload. Registered after
  // the guard's route, so it takes precedence for this one URL.
  await context.route('**/__probe-worker.js', (route) =>
    route.fulfill({
      contentType: 'text/javascript',
      // The site is cross-origin isolated; a worker script needs the same embedder policy.
      headers: { 'Cross-Origin-Embedder-Policy': 'require-corp' },
      body: "fetch('/from-worker', { method: 'POST', body: 'x' }).finally(() => postMessage('done'))",
    }),
  );
  await visit(page, '');
  await page.evaluate(async () => {
    const attempts = [
      fetch('/upload', { method: 'POST', body: 'voxels' }),
      fetch('http://example.com/collect'),
      fetch('/innocent-looking', { method: 'PUT', body: new Uint8Array([1, 2, 3]) }),
    ];
    await Promise.allSettled(attempts);
    const w = new Worker('/__probe-worker.js');
    await Promise.race([new Promise((resolve) => (w.onmessage = resolve)), new Promise((resolve) => setTimeout(resolve, 5000))]);
  });
  const seen = egress.violations.map((v) => `${v.method} ${new URL(v.url).pathname} ${v.reason}`);
  // The off-machine fetch never becomes a request: the site's Content-Security-Policy stops it in
  // the browser first (csp.spec.ts), so the guard sees only what the policy allows.
  // (Reported once per policy: the header's and the meta element's.)
  expect([...new Set(csp.violations.map((v) => `${v.directive} ${v.blocked}`))]).toEqual(['connect-src http://example.com/collect']);
  expect(seen).not.toContain('GET /collect request leaves the machine');
  expect(seen).toEqual(
    expect.arrayContaining([
      'POST /upload POST request',
      'PUT /innocent-looking PUT request',
      'POST /from-worker POST request',
    ]),
  );
  consoleErrors.length = 0; // the aborted requests log network errors, as they should
});

test('plain page loads make no violating request', async ({ page, egress }) => {
  await visit(page, 'weeks/week-06/01-week-at-a-glance/');
  expect(egress.violations).toEqual([]);
});
