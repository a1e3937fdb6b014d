import { test, expect, visit } from './fixtures';

test('an assignment link restores the command builder, and changes go back into the address', async ({ page }) => {
  await visit(page, 'weeks/week-06/08-running-nnunet/?command-builder.id=501&command-builder.fold=3&command-builder.plans=resencL&command-builder.npz=1');
  const builder = page.getByTestId('command-builder');
  await expect(builder.getByLabel('Dataset id')).toHaveValue('501');
  await expect(builder.getByLabel('Fold')).toHaveValue('3');
  await expect(builder.getByLabel(/--npz/)).toBeChecked();
  await expect(builder.getByTestId('command').nth(2)).toHaveText('nnUNetv2_train 501 3d_fullres 3 -p nnUNetResEncUNetLPlans --npz');

  await builder.getByLabel('Configuration').selectOption('2d');
  await expect(page).toHaveURL(/command-builder\.config=2d/);
  await visit(page, page.url());
  await expect(page.getByTestId('command-builder').getByLabel('Configuration')).toHaveValue('2d');
  await expect(page.getByTestId('command').nth(2)).toHaveText('nnUNetv2_train 501 2d 3 -p nnUNetResEncUNetLPlans --npz');
});

test('invalid values in a link fall back to defaults instead of breaking the lab', async ({ page }) => {
  await visit(page, 'weeks/week-06/08-running-nnunet/?command-builder.id=abc&command-builder.config=4d');
  await expect(page.getByTestId('command').nth(2)).toHaveText('nnUNetv2_train 137 3d_fullres 0');
});

test('checklist ticks persist across reloads', async ({ page }) => {
  await visit(page, 'weeks/week-06/13-pre-training-checklist/');
  await page.locator('[data-item="format"]').check();
  await page.locator('[data-item="splits"]').check();
  await expect(page.getByTestId('checklist-count')).toHaveText('2 of 9 checks done');
  await visit(page, page.url());
  await expect(page.locator('[data-item="format"]')).toBeChecked();
  await expect(page.getByTestId('checklist-count')).toHaveText('2 of 9 checks done');
});
