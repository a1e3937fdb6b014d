/**
 * The converter takes the student's own BraTS data, as `bratslab convert` does: a BraTS 2021
 * folder (upload field) and a BraTS 2023 zip (names t1n/t1c/t2w/t2f, labels 0–3, written here by
 * nibabel from a sample case). The checker, given a BraTS folder, says so and hands it to the
 * converter. Expected voxel counts come from nibabel.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requirePython } from '../helpers/python';
import { expect, test, visit } from './fixtures';

const FORMAT_LESSON = 'weeks/week-06/03-nnunet-dataset-format/';
const CONVERT_LESSON = 'weeks/week-06/04-converting-brats-2021/';
// The synthetic samples in the BraTS 2021 layout (other samples may be listed beside them).
const synthetic = (JSON.parse(readFileSync('public/data/samples/index.json', 'utf8')) as { cases: { id: string; files: Record<string, string> }[] }).cases.filter((c) => /^BraTS2021_\d+$/.test(c.id));
const python = requirePython('nibabel, numpy', 'python3-nibabel');

/** Two sample cases in the raw BraTS 2021 layout, in a folder of the user's. */
function brats2021Folder(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'brats21-')), 'MyBraTS2021');
  for (const c of synthetic.slice(0, 2)) {
    mkdirSync(join(dir, c.id), { recursive: true });
    for (const p of Object.values(c.files)) cpSync(join('public/data/samples', p), join(dir, p));
  }
  return dir;
}

/** One sample case renamed to the 2023 layout with ET 4 → 3 (nibabel), zipped; and nibabel's ET count. */
function brats2023Zip(): { zip: string; et: number } {
  const dir = mkdtempSync(join(tmpdir(), 'brats23-'));
  const c = synthetic[0];
  const script = `
import sys, os, zipfile, numpy as np, nibabel as nib
src, out, files = sys.argv[1], sys.argv[2], dict(a.split('=') for a in sys.argv[3:])
case = 'BraTS-GLI-00042-000'
names = {'t1': 't1n', 't1ce': 't1c', 't2': 't2w', 'flair': 't2f', 'seg': 'seg'}
with zipfile.ZipFile(os.path.join(out, 'MyBraTS2023.zip'), 'w') as z:
    for k, n in names.items():
        img = nib.load(os.path.join(src, files[k]))
        if k == 'seg':
            d = np.asanyarray(img.dataobj).astype(np.uint8)
            d[d == 4] = 3
            print(int((d == 3).sum()))
            img = nib.Nifti1Image(d, img.affine, img.header)
        p = os.path.join(out, f'{case}-{n}.nii.gz')
        nib.save(img, p)
        z.write(p, f'MyBraTS2023/{case}/{case}-{n}.nii.gz')
`;
  const et = Number(execFileSync(python!, ['-c', script, 'public/data/samples', dir, ...Object.entries(c.files).map(([k, v]) => `${k}=${v}`)], { encoding: 'utf8' }).trim());
  return { zip: join(dir, 'MyBraTS2023.zip'), et };
}

test('converts the user\'s own BraTS 2021 folder', async ({ page }) => {
  await visit(page, CONVERT_LESSON);
  await page.getByRole('radio', { name: 'Your own BraTS folder or zip' }).check();
  await page.getByTestId('converter-folder-input').setInputFiles(brats2021Folder());
  await expect(page.getByTestId('converter-found')).toContainText('2 cases in the BraTS 2021 layout');
  await page.getByRole('button', { name: 'Convert', exact: true }).click();
  const result = page.getByTestId('converter-result');
  await expect(result).toContainText('Dataset137_BraTS2021: 2 training cases', { timeout: 60_000 });
  await expect(result.getByTestId('validator-summary')).toContainText('0 errors');
});

test('converts the user\'s own BraTS 2023 zip (t1n/t1c/t2w/t2f, labels 0–3)', async ({ page }) => {
  test.skip(!python, 'needs nibabel (fails under CI=true)');
  const { zip, et } = brats2023Zip();
  await visit(page, CONVERT_LESSON);
  await page.getByRole('radio', { name: 'Your own BraTS folder or zip' }).check();
  await page.getByTestId('converter-zip-input').setInputFiles(zip);
  await expect(page.getByTestId('converter-found')).toContainText('1 case in the BraTS 2023+ layout');
  await page.getByLabel('Dataset name').fill('BraTS2023');
  await page.getByRole('button', { name: 'Convert', exact: true }).click();
  const result = page.getByTestId('converter-result');
  await expect(result).toContainText('Dataset137_BraTS2023: 1 training cases', { timeout: 60_000 });
  await expect(result.getByTestId('validator-summary')).toContainText('0 errors');
  // Raw 2023 ET (3) stays 3 in Dataset137, voxel for voxel.
  const etRow = result.locator('tr', { hasText: '3 (ET)' }).first();
  await expect(etRow).toContainText(`3 (ET)${et}3 (ET)${et}`);
});

test('the checker, given a BraTS folder, points to the converter and hands the folder over', async ({ page }) => {
  await visit(page, FORMAT_LESSON);
  await page.getByTestId('validator-folder-input').setInputFiles(brats2021Folder());
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('raw BraTS 2021 data (2 cases), not an nnU-Net dataset');
  await alert.getByRole('button', { name: 'Convert it' }).click();
  await expect(page.getByTestId('converter-found')).toContainText('2 cases in the BraTS 2021 layout');
  await page.getByRole('button', { name: 'Convert', exact: true }).click();
  await expect(page.getByTestId('converter-result')).toContainText('Dataset137_BraTS2021: 2 training cases', { timeout: 60_000 });
});
