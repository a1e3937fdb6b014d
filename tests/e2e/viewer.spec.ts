/**
 * The viewer lab end to end, on the real sample files. Which voxel holds which label comes from
 * nibabel (not from the viewer); where that voxel lands on the canvas comes from NiiVue's own
 * world → canvas mapping (window.__bratslabViewer); the colour is read from the WebGL framebuffer.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { REGION_COLOURS, TISSUE_COLOURS } from '../../labs/shared/labels';
import { CI, nibabelPython } from '../fixtures/nifti/reference';
import { test, expect, visit } from './fixtures';

/** The sample folder the site serves (override only to try a sample set before it is committed). */
const SAMPLES = process.env.BRATSLAB_SAMPLES_DIR || 'public/data/samples';
const LESSON = 'weeks/week-06/06-regions/';
/** Two real glioma cases kept outside the repository (shared/eval/real/README.md); absent elsewhere. */
const REAL = '../shared/eval/real/TCGA-DU-7294';

/** For one case: an ET, an ED and a background voxel away from label edges, and per-label volumes. */
const PROBE = String.raw`
import json, sys
import numpy as np, nibabel as nib
root, case_id = sys.argv[1], sys.argv[2]
idx = json.load(open(root + '/index.json'))
case = next(c for c in idx['cases'] if c['id'] == case_id)
seg_img = nib.load(root + '/' + case['files']['seg'])
seg = np.rint(np.asarray(seg_img.dataobj)).astype(int)
img = np.asarray(nib.load(root + '/' + case['files']['t1']).dataobj)
def inplane_interior(m, r):
    out = m.copy()
    for dx in range(-r, r + 1):
        for dy in range(-r, r + 1):
            out &= np.roll(np.roll(m, dx, 0), dy, 1)
    return out
centre = np.array(np.nonzero(seg > 0)).mean(axis=1)
def pick(mask):
    for r in (2, 1, 0):
        cand = np.argwhere(inplane_interior(mask, r))
        if len(cand):
            return [int(x) for x in cand[np.argmin(((cand - centre) ** 2).sum(axis=1))]]
    return None
tumour = seg > 0
near = tumour.copy()
for ax in range(3):
    for s in range(-6, 7):
        near |= np.roll(tumour, s, ax)
brain_far = inplane_interior((img > 0) & ~near, 3)
vml = float(np.prod(seg_img.header.get_zooms()[:3])) / 1000.0
print(json.dumps({
    'id': case_id,
    'et': pick(seg == 4), 'ed': pick(seg == 2), 'ncr': pick(seg == 1), 'bg': pick(brain_far),
    'ml': {str(v): float((seg == v).sum() * vml) for v in (1, 2, 4)},
    'files': case['files'], 'expected': case['volumesMl'], 'hasET': case['hasET'],
}))
`;

interface Probe {
  id: string;
  et: number[] | null;
  ed: number[] | null;
  ncr: number[] | null;
  bg: number[] | null;
  ml: Record<'1' | '2' | '4', number>;
  files: Record<string, string>;
  expected: { NCR: number; ED: number; ET: number };
  hasET: boolean;
}

function probe(caseId: string): Probe {
  const py = nibabelPython();
  if (!py) throw new Error('nibabel is not installed (Debian: apt-get install python3-nibabel)');
  const r = spawnSync(py, ['-c', PROBE, SAMPLES, caseId], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`nibabel probe failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Probe;
}

function catalogue(): { id: string; hasET: boolean }[] {
  return (JSON.parse(readFileSync(`${SAMPLES}/index.json`, 'utf8')) as { cases: { id: string; hasET: boolean }[] }).cases;
}

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

function expectColour(got: number[], hex: string, what: string) {
  const want = rgb(hex);
  for (let c = 0; c < 3; c++) expect(Math.abs(got[c] - want[c]), `${what}: got rgb(${got.slice(0, 3)}) want ${hex}`).toBeLessThanOrEqual(12);
}

/** Moves the crosshair to a voxel, waits until the page shows it, reads the pixel there. */
async function pixel(page: Page, v: number[], viewer = 0): Promise<number[]> {
  await page.evaluate((vox) => window.__bratslabViewer!.setVoxel(vox as [number, number, number]), v);
  await expect(page.getByTestId('viewer-readout')).toContainText(`voxel (${v.join(', ')})`);
  const got = await page.evaluate(([vox, i]) => window.__bratslabViewer!.pixelAt(vox as [number, number, number], i as number), [v, viewer] as const);
  expect(got, `voxel ${v} is on the canvas`).not.toBeNull();
  return got!.rgba;
}

async function ready(page: Page, caseId: string) {
  await page.getByTestId('viewer-lab').scrollIntoViewIfNeeded();
  await page.waitForFunction((id) => window.__bratslabViewer?.caseId === id, caseId, { timeout: 30_000 });
}

test.describe('BraTS viewer lab', () => {
  test.skip(!nibabelPython() && !CI, 'needs python3-nibabel (required when CI=true)');

  test('overlay colours sit where nibabel finds the labels; the region toggle shows the nesting', async ({ page }) => {
    const withEt = catalogue().find((c) => c.hasET);
    expect(withEt, 'the samples include a case with enhancing tumour').toBeTruthy();
    const p = probe(withEt!.id);
    expect(p.et && p.ed && p.bg, 'probe voxels found').toBeTruthy();

    await visit(page, `${LESSON}?viewer.case=${p.id}&viewer.opacity=1&viewer.modality=t1`);
    await ready(page, p.id);
    await page.getByTestId('viewer-crosshair').uncheck();

    // Raw labels: ET voxel in ET's colour, the background voxel grey (no overlay).
    expectColour(await pixel(page, p.et!), TISSUE_COLOURS.ET, 'ET voxel');
    await expect(page.getByTestId('viewer-readout-label')).toContainText('label 4: ET');
    expectColour(await pixel(page, p.ed!), TISSUE_COLOURS.ED, 'ED voxel');
    const bg = await pixel(page, p.bg!);
    expect(Math.max(...bg.slice(0, 3)) - Math.min(...bg.slice(0, 3)), `background voxel is grey, got rgb(${bg.slice(0, 3)})`).toBeLessThanOrEqual(6);
    await expect(page.getByTestId('viewer-readout-label')).toContainText('label 0: background');

    // Volumes as text agree with nibabel's voxel counts and with the generator's answer key.
    const ml = async (sel: string) => Number(await page.locator(sel).getAttribute('data-ml'));
    expect(await ml('[data-testid=viewer-volumes-labels] [data-tissue=ET]')).toBeCloseTo(p.ml['4'], 6);
    expect(await ml('[data-testid=viewer-volumes-labels] [data-tissue=ED]')).toBeCloseTo(p.ml['2'], 6);
    expect(await ml('[data-testid=viewer-volumes-regions] [data-region=WT]')).toBeCloseTo(p.ml['1'] + p.ml['2'] + p.ml['4'], 6);
    expect(Math.abs((await ml('[data-testid=viewer-volumes-labels] [data-tissue=ET]')) - p.expected.ET)).toBeLessThan(0.05);

    // Nested regions: edema is whole tumour; with TC and ET switched off, the enhancing rim is WT too.
    await page.getByLabel('Nested regions (WT ⊃ TC ⊃ ET)').check();
    expectColour(await pixel(page, p.ed!), REGION_COLOURS.WT, 'ED voxel as a region');
    expectColour(await pixel(page, p.et!), REGION_COLOURS.ET, 'ET voxel as a region');
    await page.getByLabel('Show ET').uncheck();
    await page.getByLabel('Show TC').uncheck();
    expectColour(await pixel(page, p.et!), REGION_COLOURS.WT, 'ET voxel with only WT shown');
    const bg2 = await pixel(page, p.bg!);
    expect(Math.max(...bg2.slice(0, 3)) - Math.min(...bg2.slice(0, 3))).toBeLessThanOrEqual(6);
    await expect(page).toHaveURL(/viewer\.display=regions/);

    // The 2×2 grid links the crosshair: the FLAIR panel (fourth) shows the same voxel's label.
    await page.getByLabel('2×2 grid, linked crosshair').check();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=viewer-canvases] canvas').length === 4);
    await page.waitForFunction(() => window.__bratslabViewer !== undefined);
    expectColour(await pixel(page, p.et!, 3), REGION_COLOURS.WT, 'ET voxel in the FLAIR panel');
    // The four panels form an even grid: both cells of a row share their top edge.
    const tops = await page.locator('[data-testid=viewer-canvases] canvas').evaluateAll((cs) => cs.map((c) => Math.round(c.getBoundingClientRect().top)));
    expect(tops[0]).toBe(tops[1]);
    expect(tops[2]).toBe(tops[3]);
  });

  test('a generated case loads from disk with nnU-Net names; the scheme override changes the reading', async ({ page }) => {
    const noEt = catalogue().find((c) => !c.hasET) ?? catalogue()[0];
    const p = probe(noEt.id);
    // nnU-Net names: channels _0000.._0003 in Dataset137 order, the label without a suffix.
    const dir = mkdtempSync(join(tmpdir(), 'viewer-e2e-'));
    const names: Record<string, string> = { t1: 'Local_0000.nii.gz', t1ce: 'Local_0001.nii.gz', t2: 'Local_0002.nii.gz', flair: 'Local_0003.nii.gz', seg: 'Local.nii.gz' };
    for (const [role, name] of Object.entries(names)) copyFileSync(join(SAMPLES, p.files[role]), join(dir, name));

    await visit(page, `${LESSON}?viewer.opacity=1`);
    await page.getByTestId('viewer-files').setInputFiles(Object.values(names).map((n) => join(dir, n)));
    const assign = page.getByTestId('viewer-assign');
    await expect(assign.locator('tr[data-file="Local_0001.nii.gz"]')).toHaveAttribute('data-role', 't1ce');
    await expect(assign.locator('tr[data-file="Local_0003.nii.gz"]')).toHaveAttribute('data-role', 'flair');
    await expect(assign.locator('tr[data-file="Local.nii.gz"]')).toHaveAttribute('data-role', 'seg');
    await page.getByRole('button', { name: 'Show this case' }).click();
    await ready(page, 'Local');

    const scheme = page.getByTestId('viewer-scheme');
    if (!p.hasET) {
      // Values 0-2 fit several schemes; nnU-Net names point to Dataset137, where 1 = edema.
      await expect(scheme).toHaveValue('nnunet137');
      await scheme.selectOption('brats2021');
    }
    await expect(scheme).toHaveValue('brats2021');
    const edMl = Number(await page.locator('[data-testid=viewer-volumes-labels] [data-tissue=ED]').getAttribute('data-ml'));
    expect(edMl).toBeCloseTo(p.ml['2'], 6);
    await page.getByTestId('viewer-crosshair').uncheck();
    expectColour(await pixel(page, p.ed!), TISSUE_COLOURS.ED, 'ED voxel of the local case');
    if (p.ncr) expectColour(await pixel(page, p.ncr), TISSUE_COLOURS.NCR, 'NCR voxel of the local case');
  });

  test('a real 1 mm case with tool-made names (_t1c_bet, _fla_bet, _fusion_simple) loads and agrees with nibabel', async ({ page }) => {
    test.skip(!existsSync(REAL), 'the real eval cases are not on this machine');
    test.setTimeout(150_000);
    const files = readdirSync(REAL).map((f) => join(REAL, f));
    const label = files.find((f) => f.includes('fusion'))!;
    const py = nibabelPython()!;
    const counted = spawnSync(py, ['-c', 'import sys, numpy as np, nibabel as nib; i = nib.load(sys.argv[1]); s = np.asarray(i.dataobj); print(float((s == 2).sum() * np.prod(i.header.get_zooms()[:3]) / 1000))', label], { encoding: 'utf8' });
    const edMl = Number(counted.stdout);
    expect(edMl).toBeGreaterThan(0);

    await visit(page, LESSON);
    await page.getByTestId('viewer-files').setInputFiles(files);
    const assign = page.getByTestId('viewer-assign');
    await expect(assign.locator('tr[data-file$="_t1c_bet.nii.gz"]')).toHaveAttribute('data-role', 't1ce');
    await expect(assign.locator('tr[data-file$="_fla_bet.nii.gz"]')).toHaveAttribute('data-role', 'flair');
    await expect(assign.locator('tr[data-file$="_fusion_simple.nii.gz"]')).toHaveAttribute('data-role', 'seg');
    await page.getByRole('button', { name: 'Show this case' }).click();
    // The site's first sample is the same case at 2 mm (same id): wait for the 1 mm volumes.
    await expect.poll(async () => Number(await page.locator('[data-testid=viewer-volumes-labels] [data-tissue=ED]').getAttribute('data-ml')), { timeout: 90_000 }).toBeCloseTo(edMl, 6);
    // This low-grade case has no enhancing tumour (values 0-2) and mixed names: raw 2021 and "keep"
    // both read 1 as NCR and 2 as edema, so either guess gives the same volumes.
    expect(['brats2021', 'keep']).toContain(await page.getByTestId('viewer-scheme').inputValue());
  });

  test('keyboard steps slices and the link keeps the slice', async ({ page }) => {
    const first = catalogue()[0];
    await visit(page, `${LESSON}?viewer.case=${first.id}&viewer.slice=20`);
    await ready(page, first.id);
    await expect(page.getByTestId('viewer-readout')).toContainText(/voxel \(\d+, \d+, 20\)/);
    await page.getByTestId('viewer-canvases').focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await expect(page.getByTestId('viewer-readout')).toContainText(/voxel \(\d+, \d+, 22\)/);
    await expect(page).toHaveURL(/viewer\.slice=22/);
    await page.getByLabel('3D render').check();
    await expect(page).toHaveURL(/viewer\.view=render/);
    // Scrolled out of sight, the viewer is disposed (its canvases go); back in sight, it returns.
    await page.evaluate(() => window.scrollTo(0, 0));
    await expect(page.locator('[data-testid=viewer-canvases] canvas')).toHaveCount(0);
    await ready(page, first.id);
    await expect(page.locator('[data-testid=viewer-canvases] canvas')).toHaveCount(1);
  });

  test('without WebGL2 the lab says so, shows the capability notice, and still gives the volumes', async ({ page }) => {
    await page.addInitScript(() => {
      const original = HTMLCanvasElement.prototype.getContext;
      HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, type: string, options?: unknown) {
        return type === 'webgl2' ? null : original.call(this, type as '2d', options as CanvasRenderingContext2DSettings);
      } as typeof original;
    });
    const first = catalogue()[0];
    await visit(page, `${LESSON}?viewer.case=${first.id}`);
    await expect(page.getByTestId('viewer-lab').getByText('This browser offers no WebGL2')).toBeVisible();
    await expect(page.getByTestId('viewer-lab').locator('[data-lab=viewer]')).toHaveAttribute('data-runs', 'false');
    await expect(page.locator('[data-testid=viewer-volumes-regions] [data-region=WT]')).toBeVisible();
    await expect(page.locator('[data-testid=viewer-canvases] canvas')).toHaveCount(0);
  });
});
