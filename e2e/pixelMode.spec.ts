import { expect, test } from '@playwright/test';
import { savedProject } from './savedProject.ts';
import { exportedMask, iou, paintPersonAndBackgroundOnAstronaut, sample } from './studioPage.ts';

test('Pixel mode (thesis §3.5): the grid head labels every pixel from the same strokes; the setting survives a reload', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(sample('astronaut.png'));
  await paintPersonAndBackgroundOnAstronaut(page);
  const bySuperpixel = await exportedMask(page);

  await page.getByTestId('cmd-pixel-mode').click();
  await expect(page.getByTestId('cmd-pixel-mode')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('segmentation-mode')).toHaveValue('pixel');
  await expect(page.getByTestId('segmentation-summary')).toContainText('labels per pixel');
  await expect(page.getByTestId('training-status')).toHaveText('up to date');
  // The viewer paints the per-pixel labels (a new object per render would loop React until it gives up).
  await expect(page.getByTestId('viewer-canvas')).toBeVisible();
  await expect(page.getByTestId('panel-error')).toHaveCount(0);
  const byPixel = await exportedMask(page);
  expect(new Set(byPixel)).toEqual(new Set([0, 15]));
  // The same person from the same strokes, with its own boundaries: most of it agrees, not all.
  const person = iou(byPixel, bySuperpixel, 15);
  console.log(`person IoU, pixel mode against superpixel mode: ${person.toFixed(3)}`);
  expect(person).toBeGreaterThan(0.6);
  expect(byPixel.some((v, i) => v !== bySuperpixel[i])).toBe(true);

  await expect.poll(async () => (await savedProject(page)).project?.segmentation).toMatchObject({ segmentationMode: 'pixel' });
  await page.reload();
  await expect(page.getByTestId('cmd-pixel-mode')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('segmentation-summary')).toContainText('labels per pixel');
  await expect(page.getByTestId('panel-error')).toHaveCount(0);
  expect(iou(await exportedMask(page), byPixel, 15)).toBeGreaterThan(0.99);

  await page.getByTestId('segmentation-mode').selectOption('superpixel');
  await expect(page.getByTestId('segmentation-summary')).not.toContainText('labels per pixel');
  expect(iou(await exportedMask(page), bySuperpixel, 15)).toBeGreaterThan(0.99);
});
