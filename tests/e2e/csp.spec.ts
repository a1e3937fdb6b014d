/**
 * The Content-Security-Policy (scripts/csp.mjs): every built page carries it as a header (preview
 * server) and as a <meta> fallback, and the browser itself blocks a cross-origin request from a
 * lab page (a securitypolicyviolation event, before the test's egress guard ever sees a request).
 * That no page violates the policy while its lab works is checked by the `csp` fixture in every
 * e2e test, the per-page axe test included.
 */
import { test, expect, visit } from './fixtures';
import { builtPages } from './pages';

const CONNECT = "connect-src 'self' blob: data:";

test('every page sends the policy as a header and carries it as a meta element', async ({ request }) => {
  const pages = builtPages();
  expect(pages.length).toBeGreaterThan(10);
  for (const path of pages) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(200);
    const header = res.headers()['content-security-policy'] ?? '';
    expect(header, path).toContain(CONNECT);
    expect(header, path).toContain("frame-ancestors 'self' https:");
    expect(header, path).toContain("object-src 'none'");
    const meta = /<meta http-equiv="content-security-policy" content="([^"]+)">/i.exec(await res.text())?.[1] ?? '';
    expect(meta, path).toContain(CONNECT);
    expect(meta, path).not.toContain('frame-ancestors');
    // Inline scripts are allowed by hash, never wholesale.
    expect(meta, path).not.toContain("'unsafe-inline' ");
    expect(/script-src ([^;]+)/.exec(meta)?.[1], path).not.toMatch(/'unsafe-inline'|'unsafe-eval'/);
  }
});

test('a cross-origin fetch from a lab page is blocked by the browser', async ({ page, egress, csp, consoleErrors }) => {
  csp.expectViolations();
  await visit(page, 'weeks/week-06/06-regions/');
  const outcome = await page.evaluate(async () => {
    const event = new Promise<{ directive: string; blocked: string }>((resolve) =>
      document.addEventListener('securitypolicyviolation', (e) => resolve({ directive: e.effectiveDirective, blocked: e.blockedURI }), { once: true }),
    );
    const fetched = await fetch('https://example.com/collect?voxels=1').then(
      () => 'sent',
      (e: Error) => `refused: ${e.name}`,
    );
    return { fetched, event: await event };
  });
  expect(outcome.fetched).toBe('refused: TypeError');
  expect(outcome.event.directive).toBe('connect-src');
  expect(outcome.event.blocked).toContain('https://example.com');
  // Reported once per policy in force (header and meta element), nothing else.
  expect([...new Set(csp.violations.map((v) => v.directive))]).toEqual(['connect-src']);
  // Blocked before it became a request: the test's own egress guard never saw it.
  expect(egress.violations).toEqual([]);
  consoleErrors.length = 0; // the browser logs the refusal, as it should
});
