// Ground truth from a COCO instances JSON: three coco-mini photos open, their instances.json loaded once gives each
// its mask (the JSON's other 22 images name no open photo), as one undoable step, kept across a reload.
import { expect, test } from '@playwright/test';
import { resolve } from 'node:path';
import { savedProject } from './savedProject.ts';

const COCO_MINI = resolve('../shared/data/coco-mini');
const PHOTOS = ['000000000139.jpg', '000000000802.jpg', '000000011813.jpg'];

test('Load ground truth… with a COCO JSON attaches a mask to every photo it names, undoably, and keeps them', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('model-status')).toHaveText('ready');
  await page.getByTestId('file-input').setInputFiles(PHOTOS.map((name) => resolve(COCO_MINI, 'images', name)));
  await expect(page.getByTestId('photo-item')).toHaveCount(3);

  await expect(page.getByTestId('cmd-load-ground-truth')).toBeEnabled();
  await page.getByTestId('gt-file-input').setInputFiles(resolve(COCO_MINI, 'instances.json'));
  await expect(page.getByTestId('badge-ground-truth')).toHaveCount(3);
  await expect(page.getByTestId('message-info').filter({ hasText: 'instances.json: ground truth for 3 of 3 open photos' })).toHaveCount(1);

  // One step for the whole set.
  await page.getByTestId('cmd-undo').click();
  await expect(page.getByTestId('badge-ground-truth')).toHaveCount(0);
  await page.getByTestId('cmd-redo').click();
  await expect(page.getByTestId('badge-ground-truth')).toHaveCount(3);

  await expect.poll(async () => Object.values((await savedProject(page)).parts).filter((p) => p.groundTruth).length).toBe(3);
  await page.reload();
  await expect(page.getByTestId('photo-item')).toHaveCount(3);
  await expect(page.getByTestId('badge-ground-truth')).toHaveCount(3);
});
