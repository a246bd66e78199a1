// Fully supervised in the studio (thesis ch. 3, one head for the set): the ground truth of one coco-mini photo
// trains the head, which labels another photo nobody painted; the metrics say they are in-sample.
import { expect, test } from '@playwright/test';
import { resolve } from 'node:path';

const COCO_MINI = resolve('../shared/data/coco-mini');
const [TRAIN, OTHER] = ['000000018575', '000000062554'];

test('Train on ground truth: a mask trains the head for the set, and a photo with no strokes is labelled from it', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('model-status')).toHaveText('ready');
  await page.getByTestId('file-input').setInputFiles([TRAIN, OTHER].map((stem) => resolve(COCO_MINI, 'images', `${stem}.jpg`)));
  await expect(page.getByTestId('photo-item')).toHaveCount(2);
  await expect(page.getByTestId('cmd-train-on-ground-truth')).toBeDisabled();
  await page.getByTestId('photo-item').first().click();
  await page.getByTestId('gt-file-input').setInputFiles(resolve(COCO_MINI, 'voc_masks', `${TRAIN}.png`));
  await expect(page.getByTestId('badge-ground-truth')).toHaveCount(1);

  await page.getByTestId('cmd-train-on-ground-truth').click();
  await expect(page.getByTestId('cmd-train-on-ground-truth')).toHaveAttribute('aria-pressed', 'true');
  const trained = () =>
    page.evaluate(() => {
      const s = window.__zoomoutStudio!.state();
      return s.photos.map((p) => {
        const seg = s.segmentations[p.id];
        return seg ? { classes: [...new Set(seg.classes)].sort((a, b) => a - b), points: seg.points.length, labelled: seg.labelled } : undefined;
      });
    });
  await expect.poll(async () => (await trained()).every((p) => p && p.classes.length >= 2), { timeout: 60_000 }).toBe(true);
  const [train, other] = await trained();
  // Labels come from the mask, not from suggested points, and nobody painted either photo.
  expect(train!.points + other!.points).toBe(0);
  expect(train!.labelled + other!.labelled).toBe(0);
  // The photo the mask trains on: its classes are those of the mask (VOC person 15 and background at least).
  expect(train!.classes).toContain(0);
  expect(other!.classes).toContain(0);
  await expect(page.getByTestId('metrics-in-sample')).toBeVisible();
  expect(parseFloat((await page.getByTestId('metrics-miou').textContent())!)).toBeGreaterThan(50);

  // Off again: back to strokes (none) and suggestions.
  await page.getByTestId('cmd-train-on-ground-truth').click();
  await expect(page.getByTestId('metrics-in-sample')).toHaveCount(0);
  await expect.poll(async () => (await trained()).every((p) => !p || p.points > 0), { timeout: 60_000 }).toBe(true);
});
