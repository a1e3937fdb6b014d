import { gzipSync } from 'node:zlib';
import { test, expect, visit } from './fixtures';

/** Sums the gzip-compressed size of every script the page loads (what a host with gzip would send). */
async function scriptBytes(page: import('@playwright/test').Page, path: string) {
  const scripts: { url: string; bytes: number }[] = [];
  page.on('response', async (res) => {
    if (res.request().resourceType() !== 'script') return;
    const body = await res.body().catch(() => Buffer.alloc(0));
    scripts.push({ url: res.url(), bytes: gzipSync(body, { level: 6 }).length });
  });
  await visit(page, path);
  await page.waitForTimeout(300);
  return scripts;
}

test('a lesson page without a lab loads at most 60 KB of compressed JavaScript', async ({ page }) => {
  const scripts = await scriptBytes(page, 'weeks/week-06/12-how-much-data/');
  const total = scripts.reduce((a, s) => a + s.bytes, 0);
  console.log(`lesson 12 JavaScript: ${(total / 1024).toFixed(1)} KB gzip in ${scripts.length} files`);
  expect(total).toBeLessThanOrEqual(60 * 1024);
  expect(scripts.map((s) => s.url).join(' ')).not.toMatch(/niivue|onnx|react-dom|client\.[\w-]+\.js/i);
});

test('heavy lab code loads only on pages that use it', async ({ page }) => {
  const scripts = await scriptBytes(page, 'weeks/week-06/08-running-nnunet/');
  const urls = scripts.map((s) => s.url).join(' ');
  expect(urls).not.toMatch(/niivue|onnxruntime|ort-wasm/i);
});
