/**
 * The NIfTI inspector end to end. Expected header values come from nibabel; the DICOM part
 * converts a synthetic series (written by tests/fixtures/dicom/make_series.py with pydicom) in
 * the page with dcm2niix's WebAssembly build and checks the result against Debian's `dcm2niix`
 * command on the same series: same voxels, same affine. No request may leave the machine.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { CI, nibabel, nibabelPython, type NibabelView } from '../fixtures/nifti/reference';
import { test, expect } from './fixtures';

const LESSON = 'weeks/week-06/02-dicom-to-nifti/';
const hasNibabel = nibabelPython() !== null;
const hasPydicom = hasNibabel && spawnSync(nibabelPython()!, ['-c', 'import pydicom'], { encoding: 'utf8' }).status === 0;
const hasDcm2niix = spawnSync('dcm2niix', ['-h'], { encoding: 'utf8' }).status !== null;

async function openLab(page: Page) {
  await page.goto(LESSON);
  const island = page.locator('astro-island:has([data-testid="nifti-inspector"])');
  await island.scrollIntoViewIfNeeded();
  // client:visible hydrates once the island is on screen; Astro then drops the `ssr` attribute.
  await expect(island).not.toHaveAttribute('ssr');
}

/** The affine as the page shows it, cell by cell. */
async function shownAffine(page: Page): Promise<number[][]> {
  const rows: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const row: number[] = [];
    for (let j = 0; j < 4; j++) row.push(Number(await page.locator(`[data-cell="${i},${j}"]`).textContent()));
    rows.push(row);
  }
  return rows;
}

async function expectHeader(page: Page, ref: NibabelView) {
  const field = (name: string) => page.locator(`[data-field="${name}"]`);
  await expect(field('shape')).toHaveText(ref.shape.join(' × '));
  const zooms = (await field('zooms').textContent())!.split(' × ').map(Number);
  zooms.forEach((z, i) => expect(z).toBeCloseTo(ref.zooms[i], 4));
  await expect(field('axcodes')).toHaveText(ref.axcodes.join(' '));
  await expect(field('datatype')).toContainText(ref.dtype);
  const affine = await shownAffine(page);
  affine.forEach((row, i) => row.forEach((x, j) => expect(Math.abs(x - ref.affine[i][j])).toBeLessThan(1e-4 * Math.max(1, Math.abs(ref.affine[i][j])))));
  const [min, max] = (await field('intensity').textContent())!.split(' … ').map(Number);
  expect(min).toBeCloseTo(ref.min!, 3);
  expect(max).toBeCloseTo(ref.max!, 3);
}

test.describe('NIfTI inspector', () => {
  test.skip(!hasNibabel && !CI, 'needs nibabel (python3-nibabel)');
  let dir = '';
  let names: string[] = [];
  let refs: NibabelView[] = [];

  test.beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'inspector-e2e-'));
    names = nibabel<string[]>(['write', dir]);
    refs = nibabel<NibabelView[]>(['describe', ...names.map((n) => join(dir, n))]);
  });
  test.afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  for (const name of ['int16_las.nii.gz', 'float32_oblique.nii.gz', 'nifti2_scaled.nii.gz']) {
    test(`shows nibabel's header values for ${name}`, async ({ page }) => {
      await openLab(page);
      await page.getByTestId('nifti-pick').setInputFiles(join(dir, name));
      await expect(page.getByTestId('nifti-status')).toHaveText(`Inspected ${name}.`);
      await expectHeader(page, refs[names.indexOf(name)]);
      // The preview has its text alternative, with the orientation letters of the first two axes.
      const ref = refs[names.indexOf(name)];
      await expect(page.getByTestId('nifti-caption')).toContainText(`towards ${ref.axcodes[0]}`);
      await expect(page.getByTestId('nifti-caption')).toContainText(`towards ${ref.axcodes[1]}`);
      await expect(page.getByTestId('nifti-canvas')).toHaveAttribute('aria-label', /Preview of slice/);
    });
  }

  test('takes a dropped file', async ({ page }) => {
    await openLab(page);
    const name = 'bigendian_int16.nii';
    const b64 = readFileSync(join(dir, name)).toString('base64');
    await page.evaluate(
      ({ b64, name }) => {
        const dt = new DataTransfer();
        dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name));
        const zone = document.querySelector('[data-testid="nifti-drop"]')!;
        zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      },
      { b64, name },
    );
    await expect(page.getByTestId('nifti-status')).toHaveText(`Inspected ${name}.`);
    await expectHeader(page, refs[names.indexOf(name)]);
    await expect(page.locator('[data-field="byteOrder"]')).toHaveText('big-endian');
  });

  test('passes axe with a result shown and fits a 375 px screen', async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 800 });
    await openLab(page);
    await page.getByTestId('nifti-pick').setInputFiles(join(dir, 'uint8_lps.nii.gz'));
    await expect(page.getByTestId('nifti-status')).toHaveText('Inspected uint8_lps.nii.gz.');
    const r = await new AxeBuilder({ page }).include('[data-testid="nifti-inspector"]').analyze();
    expect(r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // Keyboard: the slice slider steps with the arrow keys and the caption follows.
    const slider = page.getByLabel('Slice (k)');
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('nifti-caption')).toContainText('Slice k = 4 (of 0 to 6)');
  });

  test('reports a broken file precisely', async ({ page }) => {
    await openLab(page);
    await page.getByTestId('nifti-pick').setInputFiles({ name: 'broken.nii.gz', mimeType: 'application/gzip', buffer: Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2]) });
    await expect(page.getByTestId('nifti-error')).toContainText('broken.nii.gz could not be read: gzip');
  });
});

test.describe('DICOM series converted in the page', () => {
  test.skip(!(hasPydicom && hasDcm2niix) && !CI, 'needs python3-pydicom and dcm2niix');
  let dir = '';

  test.beforeAll(() => {
    expect(hasPydicom, 'install python3-pydicom').toBe(true);
    expect(hasDcm2niix, 'install dcm2niix').toBe(true);
    dir = mkdtempSync(join(tmpdir(), 'inspector-dicom-'));
    const made = spawnSync(nibabelPython()!, ['tests/fixtures/dicom/make_series.py', join(dir, 'series')], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    mkdirSync(join(dir, 'cli'));
    const cli = spawnSync('dcm2niix', ['-o', join(dir, 'cli'), '-f', 'cli', '-z', 'n', join(dir, 'series')], { encoding: 'utf8' });
    expect(cli.status, cli.stdout + cli.stderr).toBe(0);
  });
  test.afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  test("gives the same voxels and affine as Debian's dcm2niix", async ({ page }) => {
    test.setTimeout(120_000);
    await openLab(page);
    await page.getByTestId('dicom-pick').setInputFiles(join(dir, 'series'));
    await expect(page.getByTestId('nifti-status')).toHaveText(/^Inspected /, { timeout: 60_000 });
    const reference = join(dir, 'cli', readdirSync(join(dir, 'cli')).find((f) => f.endsWith('.nii'))!);
    const ref = nibabel<NibabelView[]>(['describe', reference])[0];
    await expectHeader(page, ref);

    const download = page.waitForEvent('download');
    await page.getByTestId('nifti-save').click();
    const saved = join(dir, 'page.nii');
    await (await download).saveAs(saved);
    const same = nibabel<{ sameShape: boolean; sameVoxels: boolean; maxAffineDiff: number }>(['compare', saved, reference]);
    expect(same.sameShape).toBe(true);
    expect(same.sameVoxels).toBe(true);
    expect(same.maxAffineDiff).toBeLessThan(1e-4);
  });
});
