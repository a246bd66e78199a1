// A photo set as a folder: Open folder… takes every photo in it, the ground-truth mask named after one of them
// attaches to that photo, the filmstrip shows thumbnails and status badges, and the metrics panel scores it.
import { expect, test } from '@playwright/test';
import { encode } from 'fast-png';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { paint } from './studioPage.ts';

const PHOTOS = ['astronaut.png', 'chelsea.png', 'coffee.png'];
const [CHELSEA_W, CHELSEA_H] = [451, 300];

/** Background (0) on the left third, cat (VOC 8) on the rest: a class-index mask at chelsea's size. */
function catMask(): Buffer {
  const data = new Uint8Array(CHELSEA_W * CHELSEA_H);
  for (let y = 0; y < CHELSEA_H; y++) data.fill(8, y * CHELSEA_W + Math.floor(CHELSEA_W / 3), (y + 1) * CHELSEA_W);
  return Buffer.from(encode({ width: CHELSEA_W, height: CHELSEA_H, data, depth: 8, channels: 1 }));
}

let folder: string;

test.beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'photo-set-'));
  for (const name of PHOTOS) copyFileSync(resolve('public/samples', name), join(folder, name));
  writeFileSync(join(folder, 'chelsea_mask.png'), catMask());
  writeFileSync(join(folder, 'notes.txt'), 'not a photo');
});

test.afterAll(() => rmSync(folder, { recursive: true, force: true }));

test.beforeEach(async ({ page }) => {
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`[console] ${m.text()}`);
  });
  await page.goto('/');
  await expect(page.getByTestId('model-status')).toHaveText('ready');
});

test('a folder opens as a set: thumbnails, badges, the mask on its photo, and set metrics', async ({ page }) => {
  await expect(page.getByTestId('cmd-open-folder')).toBeEnabled();
  await page.getByTestId('folder-input').setInputFiles(folder);

  const items = page.getByTestId('photo-item');
  await expect(items).toHaveCount(3);
  expect(await items.locator('.name').allTextContents()).toEqual(PHOTOS);
  await expect(page.getByTestId('photo-thumb')).toHaveCount(3);
  // Each thumbnail is a small decoded image.
  const sizes = await page.getByTestId('photo-thumb').evaluateAll((imgs) => (imgs as HTMLImageElement[]).map((i) => [i.complete, i.naturalWidth, i.naturalHeight]));
  for (const [complete, w, h] of sizes) {
    expect(complete).toBe(true);
    expect(Math.max(Number(w), Number(h))).toBe(48);
  }

  const chelsea = items.filter({ hasText: 'chelsea.png' });
  // The mask is not a photo; it is chelsea's ground truth, and only chelsea's.
  await expect(chelsea.getByTestId('badge-ground-truth')).toHaveCount(1);
  await expect(page.getByTestId('badge-ground-truth')).toHaveCount(1);
  for (const name of PHOTOS) await expect(items.filter({ hasText: name })).toContainText('ready');
  await expect(page.getByTestId('badge-features')).toHaveCount(3);

  await chelsea.click();
  await expect(page.getByTestId('sp-count')).toContainText(/\d{3}/);
  // Cat in the middle, background on the left edge.
  await page.getByTestId('cmd-tool-brush').click();
  await page.getByTestId('class-8').click();
  const aspect = CHELSEA_W / CHELSEA_H;
  await paint(page, [[0.45, 0.4], [0.6, 0.55], [0.5, 0.7]], aspect);
  await page.getByTestId('class-0').click();
  await paint(page, [[0.05, 0.1], [0.08, 0.5], [0.05, 0.9]], aspect);
  await expect(chelsea.getByTestId('badge-labelled')).toHaveCount(1);
  await expect(page.getByTestId('badge-labelled')).toHaveCount(1);
  await expect(page.getByTestId('training-status')).toHaveText('up to date');
  await expect(chelsea.getByTestId('badge-segmented')).toHaveCount(1);

  const panel = page.getByTestId('metrics-panel');
  await expect(panel.getByTestId('metrics-miou')).toHaveText(/^\d{1,3}\.\d%$/);
  await expect(panel.getByTestId('metrics-accuracy')).toHaveText(/^\d{1,3}\.\d%$/);
  await expect(panel.getByTestId('metrics-photos')).toHaveText('over 1 of 1 photo with ground truth');
  const rows = panel.getByTestId('metrics-class');
  await expect(rows.filter({ hasText: 'background' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'cat' })).toHaveCount(1);
  for (const iou of await rows.getByTestId('metrics-class-iou').allTextContents()) expect(iou).toMatch(/^\d{1,3}\.\d%$/);
});
