import { expect, test } from '@playwright/test';
import { savedProject } from './savedProject.ts';
import { exportedMask, paint, paintPersonAndBackgroundOnAstronaut, sample } from './studioPage.ts';

test('Refine edges: the dense CRF refines what is shown and exported, per pixel; the setting survives a reload', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(sample('astronaut.png'));
  await paintPersonAndBackgroundOnAstronaut(page);
  const bySuperpixel = await exportedMask(page);

  await page.keyboard.press('g');
  await expect(page.getByTestId('cmd-refine-edges')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('crf-status')).toContainText(/edges refined by the dense CRF in \d+ ms/);
  console.log(await page.getByTestId('crf-status').textContent());
  const refined = await exportedMask(page);
  let changed = 0;
  refined.forEach((v, i) => (changed += v !== bySuperpixel[i] ? 1 : 0));
  // Edges move, the segmentation stays: a few per cent of the pixels change class, not most of them.
  expect(changed).toBeGreaterThan(0);
  expect(changed / refined.length).toBeLessThan(0.2);
  expect(new Set(refined)).toEqual(new Set([0, 15]));

  // A new stroke gives a new segmentation, refined again.
  await paint(page, [
    [0.9, 0.1],
    [0.95, 0.3],
  ]);
  await expect(page.getByTestId('training-status')).toHaveText('up to date');
  await expect(page.getByTestId('crf-status')).toContainText('edges refined');

  await expect.poll(async () => (await savedProject(page)).project?.crf).toBe(true);
  await page.reload();
  await expect(page.getByTestId('cmd-refine-edges')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('crf-status')).toContainText('edges refined');
  const refinedAfterReload = await exportedMask(page);
  await page.keyboard.press('g');
  await expect(page.getByTestId('crf-status')).toHaveCount(0);
  expect(await exportedMask(page)).not.toEqual(refinedAfterReload);
});
