/**
 * The e2e test base: every test runs with the no-egress guard and fails on console errors.
 *
 * No-egress: routed at the browser-context level (so workers are covered), it records and aborts
 * any request that leaves localhost, and any request to any origin that is not a GET or carries a
 * body. A test that expects a violation (the guard's own self-test) calls `egress.expectViolations()`.
 * Chromium does not route requests made by workers created from blob: URLs; the labs load their
 * workers from same-origin files, which are covered (the guard's self-test proves it).
 *
 * Content-Security-Policy: every `securitypolicyviolation` event on any page of the test is
 * recorded (through a binding that survives navigation); a test fails on one unless it calls
 * `csp.expectViolations()` (the policy's own test does).
 */
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';

export interface Violation {
  method: string;
  url: string;
  reason: string;
}

export class EgressGuard {
  readonly violations: Violation[] = [];
  private expected = false;

  async install(context: BrowserContext): Promise<void> {
    await context.route('**/*', async (route) => {
      const req = route.request();
      const url = new URL(req.url());
      const local = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
      const body = req.postDataBuffer();
      let reason = '';
      if (url.protocol !== 'data:' && url.protocol !== 'blob:' && !local) reason = 'request leaves the machine';
      else if (req.method() !== 'GET' && req.method() !== 'HEAD') reason = `${req.method()} request`;
      else if (body && body.length > 0) reason = 'request carries a body';
      if (reason) {
        this.violations.push({ method: req.method(), url: req.url(), reason });
        await route.abort('blockedbyclient');
        return;
      }
      await route.continue();
    });
    await context.routeWebSocket(/.*/, (ws) => {
      this.violations.push({ method: 'WEBSOCKET', url: ws.url(), reason: 'WebSocket opened' });
      ws.close();
    });
  }

  expectViolations(): void {
    this.expected = true;
  }

  assertClean(): void {
    if (!this.expected) expect(this.violations, 'requests that would send data off the page').toEqual([]);
  }
}

export interface CspViolation {
  directive: string;
  blocked: string;
  page: string;
}

export class CspWatch {
  readonly violations: CspViolation[] = [];
  private expected = false;

  async install(page: Page): Promise<void> {
    await page.exposeBinding('__bratslabCsp', (_src, v: CspViolation) => void this.violations.push(v));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        (window as unknown as { __bratslabCsp: (v: CspViolation) => void }).__bratslabCsp({ directive: e.effectiveDirective, blocked: e.blockedURI, page: location.pathname });
      });
    });
  }

  expectViolations(): void {
    this.expected = true;
  }

  assertClean(): void {
    if (!this.expected) expect(this.violations, 'Content-Security-Policy violations').toEqual([]);
  }
}

export const test = base.extend<{ egress: EgressGuard; consoleErrors: string[]; csp: CspWatch }>({
  csp: [
    async ({ page }, use) => {
      const watch = new CspWatch();
      await watch.install(page);
      await use(watch);
      watch.assertClean();
    },
    { auto: true },
  ],
  egress: [
    async ({ context }, use) => {
      const guard = new EgressGuard();
      await guard.install(context);
      await use(guard);
      guard.assertClean();
    },
    { auto: true },
  ],
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(msg.text());
      });
      page.on('pageerror', (err) => errors.push(err.message));
      await use(errors);
      expect(errors, 'console errors on the page').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/**
 * Visits a site path (relative to the base) and waits until its islands have hydrated. Islands
 * marked client:visible hydrate when scrolled into view, so each is brought into view once.
 */
export async function visit(page: Page, path: string): Promise<void> {
  await page.goto(path.replace(/^\//, ''));
  await page.waitForLoadState('networkidle');
  for (const island of await page.locator('astro-island[ssr]').all()) {
    await island.scrollIntoViewIfNeeded().catch(() => undefined);
  }
  await page.waitForFunction(() => !document.querySelector('astro-island[ssr]'));
  await page.evaluate(() => window.scrollTo(0, 0));
}
