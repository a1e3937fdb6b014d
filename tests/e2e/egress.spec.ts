import { test, expect, visit } from './fixtures';

test('the no-egress guard catches uploads, off-machine requests and worker traffic', async ({ page, context, egress, consoleErrors }) => {
  egress.expectViolations();
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
  expect(seen).toEqual(
    expect.arrayContaining([
      'POST /upload POST request',
      'GET /collect request leaves the machine',
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
